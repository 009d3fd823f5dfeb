"""The website's pages are served whole from the shared cache, and never once what they show has changed: a post
removed from public view (385.5) is gone from the list, its page and the feeds as soon as the removal commits, and a
new post is on them as soon as it is delivered, in both languages."""

import re

import pytest
from django.test import Client

from moderation import services as review
from posts import page_cache
from posts import services as posts
from posts.models import Publication
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5")]

PAGES = ("/news/", "/news/feed/rss/", "/news/feed/atom/", "/es/news/", "/es/news/feed/rss/")


@pytest.fixture
def approved(author, channel, supervisor):
    def make(**overrides):
        post = draft(author, [channel], **overrides)
        review.submit_for_review(actor=author, post=post)
        review.approve_post(actor=supervisor, post=post)
        return post

    return make


@pytest.fixture
def live(approved, author, django_capture_on_commit_callbacks):
    def publish(**overrides):
        post = approved(**overrides)
        with django_capture_on_commit_callbacks(execute=True):
            posts.publish_post(actor=author, post=post)
        post.refresh_from_db()
        return post

    return publish


def post_pages(post):
    path = Publication.objects.get(post=post, channel__kind="website").url.split("8000")[-1]
    return (path, path.replace("/news/", "/es/news/", 1))


def text(path) -> str:
    response = Client().get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_a_cached_page_costs_no_query_and_the_post_page_only_its_view_count(
    live, django_assert_num_queries, django_assert_max_num_queries
):
    post = live(title="Boil water advisory")
    english, spanish = post_pages(post)
    for path in (*PAGES, english, spanish):
        assert "Boil water advisory" in text(path)  # drawn and kept
    for path in PAGES:
        with django_assert_num_queries(0):
            assert "Boil water advisory" in text(path)
    for path in (english, spanish):
        with django_assert_max_num_queries(1):  # the day's view counter
            assert "Boil water advisory" in text(path)
    assert post.daily_views.get().views == 4


def test_cached_answers_keep_their_validators_and_cache_control(live):
    post = live()
    for path in ("/news/", post_pages(post)[0], "/es/news/"):
        client = Client()
        drawn, kept = client.get(path), client.get(path)
        for header in ("ETag", "Last-Modified", "Cache-Control", "Content-Language", "Vary", "Content-Type"):
            assert drawn.get(header) == kept.get(header), (path, header)
        not_modified = client.get(path, HTTP_IF_NONE_MATCH=kept["ETag"])
        assert not_modified.status_code == 304 and not_modified["ETag"] == kept["ETag"]
    feed = Client().get("/news/feed/rss/")
    assert Client().get("/news/feed/rss/")["Last-Modified"] == feed["Last-Modified"]


def test_each_visitor_gets_a_comment_form_token_of_their_own(live):
    post = live()
    path = post_pages(post)[0]
    text(path)  # kept without any visitor's token
    tokens = []
    for address in ("198.51.100.20", "198.51.100.21"):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
        assert "csrftoken" in page.cookies
        tokens.append(token)
        sent = visitor.post(
            path, {"name": "Dana", "text": "Thank you.", "csrfmiddlewaretoken": token}, REMOTE_ADDR=address
        )
        assert sent.status_code == 302  # the token works with the cookie the page set
    assert tokens[0] != tokens[1]


def test_a_removed_post_is_not_served_from_the_cache_once_the_removal_commits(
    live, supervisor, django_capture_on_commit_callbacks
):
    live(title="Shelter at Lincoln school")
    post = live(title="Evacuate Elm street")
    english, spanish = post_pages(post)
    for path in (*PAGES, english, spanish):
        assert "Evacuate Elm street" in text(path)
    with django_capture_on_commit_callbacks(execute=True):
        posts.remove_from_public_view(actor=supervisor, post=post, reason="Wrong street")
    for path in PAGES:
        html = text(path)
        assert "Evacuate Elm street" not in html and "Shelter at Lincoln school" in html, path
    for path in (english, spanish):
        assert Client().get(path).status_code == 404


def test_a_page_drawn_while_a_removal_commits_is_not_kept(live, supervisor, django_capture_on_commit_callbacks):
    """A request can read the database between the removal's save and its commit (another process, before the
    commit): what it files under the generation it drew then must not be read after the commit."""
    post = live(title="Evacuate Elm street")
    with django_capture_on_commit_callbacks(execute=True):
        posts.remove_from_public_view(actor=supervisor, post=post, reason="Wrong street")
        during = page_cache.generation()
    assert page_cache.generation() != during


def test_a_new_post_is_on_every_page_once_delivered(live, approved, author, django_capture_on_commit_callbacks):
    live(title="Shelter at Lincoln school")
    for path in PAGES:
        text(path)
    post = approved(title="Tornado warning")
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=post)
        # Published, not yet delivered to the website: visitors reloading now get (and keep) the page without it.
        for path in PAGES:
            assert "Tornado warning" not in text(path)
    # Delivery sets the publication's status without a save; its audit event still ends the kept pages.
    assert Publication.objects.get(post=post, channel__kind="website").status == Publication.Status.PUBLISHED
    for path in PAGES:
        assert "Tornado warning" in text(path), path
    for path in post_pages(post):
        assert "Tornado warning" in text(path)


def test_a_comment_shown_by_the_team_appears_on_the_kept_post_page(live, team, django_capture_on_commit_callbacks):
    from moderation.monitoring import moderate_comment
    from posts.models import Comment

    post = live()
    english, spanish = post_pages(post)
    Client().post(english, {"name": "Dana", "text": "Which roads are closed?"}, REMOTE_ADDR="198.51.100.30")
    for path in (english, spanish):
        assert "Which roads are closed?" not in text(path)  # awaiting review, and kept so
    with django_capture_on_commit_callbacks(execute=True):
        moderate_comment(actor=team, comment=Comment.objects.get(), action="show")
    for path in (english, spanish):
        assert "Which roads are closed?" in text(path)
