"""What members and visitors must not learn: updates still in review, drafts behind conditional GETs, and links
from platforms that are not web addresses."""

import html
import re

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from moderation import services as review
from posts import services as posts
from posts.models import Channel, Comment, Publication
from posts.publishing import intake
from posts.publishing.credential_services import set_channel_credentials
from tests.posts.factories import draft
from tests.publishing.fakes import MastodonFake

pytestmark = pytest.mark.django_db

IN_REVIEW_TEXT = "Evacuation warning east of Jackson St., not yet approved."
PUBLISHED_TEXT = "Shelter open at Indio High School."
FAR_FUTURE = http_date(4102444800)  # 2100-01-01
UNSAFE_LINKS = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "ftp://example.social/file",
    "https:alert(1)",
    "//example.social/@someone/1",
]


# Incident page (385.4.1) --------------------------------------------------------------------------------------


@pytest.fixture
def updates(incident, author, channel, commander):
    """One update the commander approved (so it is published) and one still in review."""
    published = draft(author, [channel], incident=incident, body=PUBLISHED_TEXT)
    review.submit_for_review(actor=author, post=published)
    review.approve_post(actor=commander, post=published)
    pending = draft(author, [channel], incident=incident, body=IN_REVIEW_TEXT)
    review.submit_for_review(actor=author, post=pending)
    published.refresh_from_db()
    pending.refresh_from_db()
    return published, pending


@pytest.mark.policy("385.4.1")
class TestIncidentPage:
    def test_a_member_sees_published_updates_but_not_those_in_review(self, updates, incident, member, signed_in):
        published, pending = updates
        client = signed_in(member)
        assert client.get(f"/posts/{pending.pk}/").status_code == 404
        page = client.get(f"/incidents/{incident.pk}/").content.decode()
        assert PUBLISHED_TEXT in page
        assert IN_REVIEW_TEXT not in page
        assert f"/posts/{pending.pk}/" not in page
        assert f"/posts/{published.pk}/" not in page  # the member's /posts/N/ answers 404 for it too

    def test_the_commander_author_and_supervisors_see_every_update(
        self, updates, incident, commander, author, supervisor, signed_in
    ):
        published, pending = updates
        for viewer in (commander, author, supervisor):
            page = signed_in(viewer).get(f"/incidents/{incident.pk}/").content.decode()
            assert PUBLISHED_TEXT in page and IN_REVIEW_TEXT in page, viewer.username
            assert f"/posts/{pending.pk}/" in page and f"/posts/{published.pk}/" in page, viewer.username

    def test_the_page_costs_the_same_queries_whatever_the_number_of_updates(
        self, updates, incident, author, channel, member, signed_in
    ):
        client = signed_in(member)
        client.get(f"/incidents/{incident.pk}/")
        with CaptureQueriesContext(connection) as few:
            client.get(f"/incidents/{incident.pk}/")
        for n in range(3):
            later = draft(author, [channel], incident=incident, body=f"Road reopened, part {n}.")
            review.submit_for_review(actor=author, post=later)
        with CaptureQueriesContext(connection) as many:
            client.get(f"/incidents/{incident.pk}/")
        assert len(many) == len(few)


# Conditional GET on the website ---------------------------------------------------------------------------------


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


def conditional_gets(path):
    """The answers to the validators a cache or a curious visitor may send."""
    client = Client()
    return [
        client.get(path, HTTP_IF_MODIFIED_SINCE=FAR_FUTURE),
        client.get(path, HTTP_IF_NONE_MATCH="*"),
        client.head(path, HTTP_IF_MODIFIED_SINCE=FAR_FUTURE),
        client.get(path),
    ]


class TestConditionalGet:
    @pytest.mark.policy("385.5(g)")
    def test_a_draft_answers_404_whatever_the_headers(self, live, author, channel):
        live()  # the website has something on it
        secret = draft(author, [channel], title="Raid planned")
        for response in conditional_gets(f"/news/{secret.pk}-x/"):
            assert response.status_code == 404
            assert not response.has_header("Last-Modified") and not response.has_header("ETag")

    @pytest.mark.policy("385.5(g)")
    def test_a_post_in_review_answers_404_whatever_the_headers(self, live, author, channel):
        live()
        pending = draft(author, [channel], title="Suspect named")
        review.submit_for_review(actor=author, post=pending)
        for response in conditional_gets(f"/news/{pending.pk}-x/"):
            assert response.status_code == 404
            assert not response.has_header("Last-Modified") and not response.has_header("ETag")

    @pytest.mark.policy("385.5")
    def test_a_post_removed_from_public_view_answers_404_whatever_the_headers(self, live, supervisor):
        post = live(title="Taken down")
        path = Publication.objects.get(post=post).url.split("8000")[-1]
        posts.remove_from_public_view(actor=supervisor, post=post, reason="Personal information")
        for response in conditional_gets(path):
            assert response.status_code == 404
            assert not response.has_header("Last-Modified") and not response.has_header("ETag")

    def test_a_published_post_still_revalidates(self, live):
        post = live()
        path = Publication.objects.get(post=post).url.split("8000")[-1]
        first = Client().get(path)
        assert first.status_code == 200 and first["Last-Modified"]
        again = Client().get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert again.status_code == 304 and again["Last-Modified"] == first["Last-Modified"]


# Links on comments from platforms -------------------------------------------------------------------------------


@pytest.fixture
def mastodon(chief, settings):
    settings.CREDENTIALS_KEY = Fernet.generate_key().decode()
    with MastodonFake() as fake:
        channel = Channel.objects.create(
            name="Mastodon test", slug="mastodon-test", kind="mastodon", api_base_url=fake.url
        )
        set_channel_credentials(actor=chief, channel=channel, credentials={"access_token": fake.token})
        yield fake


class TestCommentLinks:
    @pytest.mark.parametrize("link", UNSAFE_LINKS)
    def test_intake_drops_a_link_that_is_not_http_and_keeps_the_comment(self, channel, link):
        comment = intake.receive_comment(
            channel=channel, post=None, author_name="Visitor", text="Look at this", external_id="c-1", url=link
        )
        comment.refresh_from_db()
        assert comment.url == "" and comment.text == "Look at this"

    @pytest.mark.parametrize("link", ["https://example.social/@someone/1", "http://example.social/@someone/2"])
    def test_intake_keeps_web_links(self, channel, link):
        comment = intake.receive_comment(
            channel=channel, post=None, author_name="Visitor", text="Look at this", external_id="c-1", url=link
        )
        comment.refresh_from_db()
        assert comment.url == link

    def test_a_fetched_mention_with_a_script_link_is_taken_in_without_it(self, mastodon):
        mention = mastodon.add_mention("Thanks for the update", acct="neighbor@example.social")
        mention["status"]["url"] = "javascript:alert(document.cookie)"
        mastodon.add_mention("Roads are clear now", acct="other@example.social")
        assert intake.fetch_platform_comments() == 2
        dropped = Comment.objects.get(author_handle__contains="neighbor")
        kept = Comment.objects.get(author_handle__contains="other")
        assert dropped.url == "" and "Thanks for the update" in dropped.text
        assert kept.url.startswith("https://example.social/@other/")

    @pytest.mark.parametrize("link", UNSAFE_LINKS)
    def test_pages_do_not_turn_a_stored_script_link_into_an_href(self, channel, author, signed_in, link):
        stored = stored_comment(channel, link)
        client = signed_in(author)
        for path in (f"/monitoring/comments/{stored.pk}/", "/monitoring/?state=pending"):
            page = client.get(path).content.decode()
            assert "Look at this" in page, path
            assert link not in hrefs(page) and link.strip() not in hrefs(page), path

    def test_pages_link_a_stored_web_link(self, channel, author, signed_in):
        stored = stored_comment(channel, "https://example.social/@someone/1")
        client = signed_in(author)
        for path in (f"/monitoring/comments/{stored.pk}/", "/monitoring/?state=pending"):
            assert "https://example.social/@someone/1" in hrefs(client.get(path).content.decode()), path


def stored_comment(channel, link):
    """A comment stored before links were checked on arrival."""
    comment = intake.receive_comment(
        channel=channel, post=None, author_name="Visitor", text="Look at this", external_id="c-1"
    )
    Comment.objects.filter(pk=comment.pk).update(url=link)
    return comment


def hrefs(page: str) -> set[str]:
    return {html.unescape(value) for value in re.findall(r'href="([^"]*)"', page)}


# Links to a post on its platforms (385.5) -----------------------------------------------------------------------


@pytest.mark.parametrize("link", UNSAFE_LINKS)
def test_a_platforms_script_link_to_a_publication_is_not_an_href(channel, author, smo, signed_in, link):
    from django.utils import timezone

    from posts.models import RemovalTodo

    post = draft(author, [channel], body="Fire on Avenue 44: avoid the area.")
    publication = Publication.objects.create(
        post=post,
        channel=channel,
        post_version=post.version,
        idempotency_key=f"k-{post.pk}",
        status=Publication.Status.REMOVAL_PENDING,
        external_id="x-1",
        url=link,
        published_at=timezone.now(),
    )
    RemovalTodo.objects.create(publication=publication, reason="Removed from public view")
    client = signed_in(smo)
    for path in (f"/posts/{post.pk}/", "/removals/"):
        response = client.get(path)
        page = response.content.decode()
        assert response.status_code == 200 and channel.name in page, path  # the publication is listed
        assert link not in hrefs(page) and link.strip() not in hrefs(page), path
