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
        with django_assert_max_num_queries(1):  # the day's view counter (none with Redis, which counts it)
            assert "Boil water advisory" in text(path)
    from posts.publishing.intake import flush_view_counts

    flush_view_counts()
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


@pytest.fixture
def stack_calls(monkeypatch):
    """How many requests reached the session middleware (the stack behind the front of the page cache)."""
    from django.contrib.sessions.middleware import SessionMiddleware

    calls = []
    original = SessionMiddleware.process_request

    def counted(self, request):
        calls.append(request.path)
        return original(self, request)

    monkeypatch.setattr(SessionMiddleware, "process_request", counted)
    return calls


def test_kept_pages_are_answered_before_sessions_and_authentication_run(live, stack_calls):
    post = live(title="Heat advisory")
    english, spanish = post_pages(post)
    for path in (*PAGES, english, spanish):
        text(path)  # drawn by the whole stack, and kept at the front
    drawn = len(stack_calls)
    for path in (*PAGES, english, spanish):
        assert "Heat advisory" in text(path)
    assert len(stack_calls) == drawn  # none of them went past the front


def test_the_front_keeps_the_whole_stack_headers(live, settings):
    post = live()
    path = post_pages(post)[0]
    drawn, kept = Client().get(path), Client().get(path)
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Vary"):
        assert drawn.get(header) == kept.get(header), header
    assert int(kept["Content-Length"]) == len(kept.content)
    head = Client().head(path)
    assert head.status_code == 200 and head.content == b""


def test_signed_in_staff_and_visitors_preferring_spanish_get_the_whole_stack(live, author, stack_calls):
    post = live(title="Road closed on Monroe")
    english = post_pages(post)[0]
    text("/news/")
    text(english)
    before = len(stack_calls)
    staff = Client()
    staff.force_login(author)
    assert staff.get("/news/").status_code == 200
    assert len(stack_calls) == before + 1
    spanish_reader = Client(HTTP_ACCEPT_LANGUAGE="es")
    answer = spanish_reader.get("/news/")
    assert answer.status_code == 302 and answer["Location"].startswith("/es/news/")
    chooser = Client().get("/news/?language=es")
    assert chooser.status_code == 302


def test_views_of_a_kept_post_page_are_counted(live, settings, django_capture_on_commit_callbacks):
    from posts.publishing.intake import flush_view_counts

    post = live(title="Shelter open")
    english, spanish = post_pages(post)
    for _ in range(3):
        text(english)
    text(spanish)
    flush_view_counts()  # with Redis the views wait there for this; without it they are in the database already
    assert post.daily_views.get().views == 4
    assert flush_view_counts() == 0  # moved once, never twice
