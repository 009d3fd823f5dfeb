import re

import pytest
from django.utils import timezone

from core.models import AuditEvent
from moderation import services as review
from moderation.models import Review
from posts import services as posts
from posts.models import Post
from tests.posts.factories import draft

pytestmark = pytest.mark.django_db
S = Post.Status


def bulk_in_review(author, channels, n):
    """n posts awaiting review, made quickly (the services are exercised elsewhere)."""
    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(
            title=f"Post {i}",
            body=f"Body {i}",
            category="announcement",
            author=author,
            status=S.IN_REVIEW,
            submitted_at=now,
        )
        for i in range(n)
    )
    Post.channels.through.objects.bulk_create(
        Post.channels.through(post_id=p.pk, channel_id=c.pk) for p in posts for c in channels
    )
    Review.objects.bulk_create(
        Review(post=p, route="supervisor", post_version=1, submitted_by=author, submitted_at=now) for p in posts
    )
    return posts


@pytest.mark.parametrize("url", ["/review/", "/", "/posts/"])
def test_pages_issue_constant_queries_at_10_and_1000_posts(
    signed_in, supervisor, author, channel, other_channel, django_assert_max_num_queries, url
):
    client = signed_in(supervisor)
    bulk_in_review(author, [channel, other_channel], 10)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    bulk_in_review(author, [channel, other_channel], 990)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_post_page_query_count_does_not_grow_with_reviews(
    signed_in, supervisor, author, channel, django_assert_max_num_queries
):
    post = draft(author, [channel])
    client = signed_in(author)

    def count():
        with django_assert_max_num_queries(40) as ctx:
            assert client.get(f"/posts/{post.pk}/").status_code == 200
        return len(ctx.captured_queries)

    review.submit_for_review(actor=author, post=post)
    review.request_changes(actor=supervisor, post=post, note="One")
    count()  # the first request of a session also touches the session and device rows
    first = count()
    for n in range(5):
        review.submit_for_review(actor=author, post=post)
        review.request_changes(actor=supervisor, post=post, note=f"Again {n}")
    assert count() == first


def test_queue_is_oldest_first_and_filters(signed_in, supervisor, author, channel, other_channel):
    old = draft(author, [channel], title="Old one")
    new = draft(author, [other_channel], title="New one", category="traffic")
    review.submit_for_review(actor=author, post=old)
    review.submit_for_review(actor=author, post=new)
    client = signed_in(supervisor)
    html = client.get("/review/").content.decode()
    assert html.index("Old one") < html.index("New one")
    filtered = client.get("/review/?category=traffic").content.decode()
    assert "New one" in filtered and "Old one" not in filtered
    assert "Old one" not in client.get(f"/review/?channel={other_channel.slug}").content.decode()


@pytest.mark.policy("385.3")
def test_author_sees_no_approve_button_and_a_forged_post_is_refused(signed_in, author, channel):
    post = draft(author, [channel])
    review.submit_for_review(actor=author, post=post)
    client = signed_in(author)
    page = client.get(f"/review/{post.pk}/").content.decode()
    assert ">Approve</button>" not in page
    assert "You wrote this post" in page and "385.3" in page
    events = AuditEvent.objects.count()
    response = client.post(f"/review/{post.pk}/", {"action": "approve"}, follow=True)
    assert "You wrote this post" in response.content.decode()
    post.refresh_from_db()
    assert post.status == S.IN_REVIEW and AuditEvent.objects.count() == events


def test_supervisor_sees_findings_and_can_decide(signed_in, supervisor, author, channel):
    post = draft(author, [channel], body="We know he did it, and he will be convicted.")
    review.submit_for_review(actor=author, post=post)
    page = signed_in(supervisor).get(f"/review/{post.pk}/").content.decode()
    assert ">Approve</button>" in page and ">Request changes</button>" in page and ">Reject</button>" in page
    assert page.count('name="acknowledge"') == 2 and "385.5.2(b)" in page


def test_post_page_names_the_path_and_section(signed_in, author, channel, road_closure):
    post = draft(author, [channel])
    html = signed_in(author).get(f"/posts/{post.pk}/").content.decode()
    assert "Needs supervisor approval before posting — 385.3" in html
    assert "Publish now" not in html


def test_create_form_shows_errors_on_fields(signed_in, author, channel):
    response = signed_in(author).post(
        "/posts/new/", {"title": "x", "body": "", "category": "traffic", "channels": [channel.pk], "action": "save"}
    )
    assert response.status_code == 200
    assert re.search(r"The body is empty", response.content.decode())
    assert Post.objects.count() == 0


def test_stale_edit_form_is_refused_with_a_message(signed_in, author, supervisor, channel):
    post = draft(author, [channel])
    data = {
        "title": "A",
        "body": "Mine",
        "category": "announcement",
        "channels": [channel.pk],
        "version": post.version,
        "action": "save",
    }
    assert signed_in(supervisor).post(f"/posts/{post.pk}/edit/", {**data, "body": "Theirs"}).status_code == 302
    response = signed_in(author).post(f"/posts/{post.pk}/edit/", data)
    assert "Someone else changed this post" in response.content.decode()
    post.refresh_from_db()
    assert post.body == "Theirs"


@pytest.mark.policy("385.3")
def test_member_without_authorization_is_sent_to_post_requests(signed_in, member):
    response = signed_in(member).get("/posts/new/")
    assert response.status_code == 302 and response["Location"] == "/requests/new/"


@pytest.mark.policy("385.4.1")
def test_commander_review_page_fits_a_phone(signed_in, incident, author, channel, commander):
    post = draft(author, [channel], incident=incident)
    review.submit_for_review(actor=author, post=post)
    html = signed_in(commander).get(f"/review/{post.pk}/").content.decode()
    assert 'name="viewport" content="width=device-width' in html
    assert ">Approve</button>" in html


def test_the_post_form_says_the_title_is_the_public_headline_and_the_site_shows_it(
    signed_in, author, supervisor, channel, client, django_capture_on_commit_callbacks
):
    form = signed_in(author).get("/posts/new/").content.decode()
    assert "Internal; not published" not in form
    assert re.search(r'<label for="id_title">Title', form) and "The public headline" in form
    post = draft(author, [channel], title="Road closed on Monroe St.", body="Monroe St. is closed until 6 pm.")
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=post)
    page = client.get("/news/").content.decode()
    assert "Road closed on Monroe St." in page  # the headline is what the public reads


def test_every_field_on_the_review_page_has_its_own_label(signed_in, supervisor, author, channel):
    post = draft(author, [channel])
    review.submit_for_review(actor=author, post=post)
    page = signed_in(supervisor).get(f"/review/{post.pk}/").content.decode()
    ids = re.findall(r'<(?:textarea|input|select)[^>]*\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "field ids repeat"
    labelled = set(re.findall(r'<label for="([^"]+)"', page))
    textareas = re.findall(r'<textarea[^>]*\bid="([^"]+)"', page)
    assert len(textareas) >= 4 and set(textareas) <= labelled


def test_the_navigation_names_post_requests_apart_from_public_records_requests(signed_in, author):
    page = signed_in(author).get("/").content.decode()
    assert ">Post requests</a>" in page and ">Requests</a>" not in page
