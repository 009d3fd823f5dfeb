"""The department website channel, as a visitor (no login) sees it."""

import pytest
from django.test import Client
from django.utils import timezone

from moderation import services as review
from posts import page_cache
from posts import services as posts
from posts.models import Comment, Post, Publication
from tests.posts.factories import draft

pytestmark = pytest.mark.django_db

DISCLAIMERS = [
    "Opinions expressed by visitors do not reflect the opinions of the department.",
    "The department reserves the right to remove obscenities, off-topic comments and personal attacks.",
    "Any content posted or submitted for posting is subject to public disclosure.",
]
XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "<iframe src=javascript:alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


@pytest.fixture
def live(author, channel, supervisor, django_capture_on_commit_callbacks):
    def publish(**overrides):
        post = draft(author, [channel], **overrides)
        review.submit_for_review(actor=author, post=post)
        review.approve_post(actor=supervisor, post=post)
        with django_capture_on_commit_callbacks(execute=True):
            posts.publish_post(actor=author, post=post)
        post.refresh_from_db()
        return post

    return publish


def url_of(post):
    return Publication.objects.get(post=post, channel__kind="website").url.split("8000")[-1]


@pytest.mark.policy("385.5.1(a)")
def test_list_shows_published_posts_newest_first_with_the_disclaimers(live, author, channel):
    first = live(title="First news")
    second = live(title="Second news")
    draft(author, [channel], title="Unpublished draft")
    html = Client().get("/news/").content.decode()
    assert html.index("Second news") < html.index("First news")
    assert "Unpublished draft" not in html
    for text in DISCLAIMERS:
        assert text in html
    assert url_of(first) in html and url_of(second) in html


def test_post_page_answers_conditional_gets(live):
    post = live()
    client = Client()
    response = client.get(url_of(post))
    assert response.status_code == 200 and response["ETag"] and response["Last-Modified"]
    assert client.get(url_of(post), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    listing = client.get("/news/")
    assert "public" in listing["Cache-Control"]
    assert client.get("/news/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304


def test_pages_that_can_be_taken_down_are_revalidated_every_time(live, supervisor, django_capture_on_commit_callbacks):
    """385.5: once a removal commits, no browser or proxy may serve the post from its cache, not even for a minute."""
    post = live(title="Wrong street closed")
    client = Client()
    for path in ("/news/", url_of(post)):
        control = client.get(path)["Cache-Control"]
        assert "no-cache" in control and "max-age=60" not in control, (path, control)
    listing = client.get("/news/")
    with django_capture_on_commit_callbacks(execute=True):
        posts.remove_from_public_view(actor=supervisor, post=post, reason="Wrong street")
    again = client.get("/news/", HTTP_IF_NONE_MATCH=listing["ETag"])
    assert again.status_code == 200 and "Wrong street closed" not in again.content.decode()


@pytest.mark.policy("385.5.1")
def test_comment_is_stored_as_plain_text_and_queued_for_review(live, channel):
    post = live()
    response = Client().post(
        url_of(post),
        {"name": "<b>Dana</b>", "email": "", "text": "<script>alert(1)</script>Thanks for the \u202eupdate\u200b!"},
        REMOTE_ADDR="198.51.100.4",
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.author_name, comment.text) == ("Dana", "Thanks for the update!")
    assert comment.status == Comment.Status.PENDING and comment.ip == "198.51.100.4"
    assert comment.screening.findings == []
    assert "Thanks for the update!" not in Client().get(url_of(post)).content.decode()  # not until reviewed


@pytest.mark.parametrize("payload", XSS)
def test_markup_never_reaches_the_page(live, channel, payload):
    from posts.services import save_channel

    save_channel(actor=_chief(), channel=channel, comments_require_review=False)
    post = live()
    Client().post(url_of(post), {"name": payload, "text": f"Before {payload} after"}, REMOTE_ADDR="198.51.100.5")
    html = Client().get(url_of(post)).content.decode()
    assert "<script>alert(1)" not in html and "onerror=alert" not in html and "<svg/onload" not in html
    assert 'href="javascript:' not in html and "<iframe" not in html


def _chief():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="chief")


def test_comments_are_rate_limited_per_address(live, settings):
    settings.COMMENT_RATE_PER_HOUR = 2
    post = live()
    for _ in range(2):
        assert Client().post(url_of(post), {"name": "A", "text": "Hi"}, REMOTE_ADDR="203.0.113.7").status_code == 302
    refused = Client().post(url_of(post), {"name": "A", "text": "Hi"}, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 400 and "try again later" in refused.content.decode()
    assert Client().post(url_of(post), {"name": "B", "text": "Hi"}, REMOTE_ADDR="203.0.113.8").status_code == 302
    assert Comment.objects.count() == 3


def test_oversize_and_empty_comments_are_refused_by_field(live):
    post = live()
    too_long = Client().post(url_of(post), {"name": "A", "text": "x" * 100_000}, REMOTE_ADDR="203.0.113.9")
    assert too_long.status_code == 400 and "limited to 5000 characters" in too_long.content.decode()
    empty = Client().post(url_of(post), {"name": "A", "text": "<p></p>"}, REMOTE_ADDR="203.0.113.9")
    assert "Write a comment." in empty.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.policy("385.5", "385.7")
def test_removed_post_leaves_public_view_but_stays_a_record(live, supervisor, django_capture_on_commit_callbacks):
    post = live(title="Soon removed")
    link = url_of(post)
    with django_capture_on_commit_callbacks(execute=True):
        posts.remove_from_public_view(actor=supervisor, post=post, reason="Wrong address published")
    assert Client().get(link).status_code == 404
    assert "Soon removed" not in Client().get("/news/").content.decode()
    post.refresh_from_db()
    assert post.status == Post.Status.REMOVED and post.title == "Soon removed"


def test_views_are_counted_without_cookies(live):
    post = live()
    response = Client().get(url_of(post))
    Client().get(url_of(post))
    from posts.publishing.intake import flush_view_counts

    flush_view_counts()  # with Redis, views wait in a counter there for the flush beat runs every minute
    assert post.daily_views.get(day=timezone.localdate()).views == 2
    assert "sessionid" not in response.cookies


def test_feeds_list_the_published_posts(live):
    post = live(title="Feed item")
    rss = Client().get("/news/feed/rss/")
    atom = Client().get("/news/feed/atom/")
    assert rss["Content-Type"].startswith("application/rss+xml") and "Feed item" in rss.content.decode()
    assert atom["Content-Type"].startswith("application/atom+xml") and url_of(post) in atom.content.decode()


def test_public_pages_issue_constant_queries(live, django_assert_max_num_queries):
    first = live()

    def count(url):
        page_cache.forget_pages()  # what drawing a page costs, not what a cached copy costs (test_page_cache.py)
        with django_assert_max_num_queries(20) as ctx:
            assert Client().get(url).status_code == 200
        return len(ctx.captured_queries)

    count(url_of(first))  # the day's first view creates its counter row
    list_small, post_small = count("/news/"), count(url_of(first))
    for i in range(12):
        live(title=f"More news {i}")
    assert count("/news/") == list_small
    assert count(url_of(first)) == post_small
