"""The shared cache (core.cache) when Redis is away: the public website and its comment form keep answering, the
hourly comment limit still holds, and a change made meanwhile is not undone by what Redis kept from before."""

import socket
import time

import pytest
from django.test import Client

from core import cache as resilient
from moderation import services as review
from posts import services as posts
from posts.models import Comment
from tests.conftest import skip_or_fail
from tests.posts.factories import draft
from tests.redis_server import RedisServer, redis_server_installed
from tests.website.test_public_pages import url_of

pytestmark = pytest.mark.django_db

# Generous: a page waiting on Redis without timeouts waits as long as the connection hangs.
ANSWER_WITHIN = 3.0


def use_redis_cache(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"cache-test-{time.monotonic_ns()}",
            # As socialgov.settings sets them with REDIS_URL.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def publish(author, channel, supervisor, django_capture_on_commit_callbacks):
    def publish(**overrides):
        post = draft(author, [channel], **overrides)
        review.submit_for_review(actor=author, post=post)
        review.approve_post(actor=supervisor, post=post)
        with django_capture_on_commit_callbacks(execute=True):
            posts.publish_post(actor=author, post=post)
        post.refresh_from_db()
        return post

    return publish


def timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    elapsed = time.monotonic() - started
    assert elapsed < ANSWER_WITHIN, f"{getattr(call, '__name__', call)}{args} took {elapsed:.1f}s"
    return response


def test_website_and_comment_limit_work_while_redis_is_unreachable(publish, settings):
    settings.COMMENT_RATE_PER_HOUR = 2
    post = publish(title="Water main repair")
    use_redis_cache(settings, f"redis://127.0.0.1:{closed_port()}/0")

    page = timed(Client().get, "/news/")
    assert page.status_code == 200 and "Water main repair" in page.content.decode()
    assert timed(Client().get, url_of(post)).status_code == 200
    for text in ("Thanks", "When does it reopen?"):
        sent = timed(Client().post, url_of(post), {"name": "A", "text": text}, REMOTE_ADDR="203.0.113.7")
        assert sent.status_code == 302
    refused = timed(Client().post, url_of(post), {"name": "A", "text": "Third"}, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 400 and "try again later" in refused.content.decode()
    assert sorted(Comment.objects.values_list("text", flat=True)) == ["Thanks", "When does it reopen?"]


def test_a_post_removed_while_redis_hung_is_gone_once_redis_answers_again(
    publish, supervisor, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    if not redis_server_installed():
        skip_or_fail("redis-server is not installed")
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        use_redis_cache(settings, server.url())
        monkeypatch.setattr(resilient, "RETRY_AFTER", 1.0)
        post = publish(title="Soon removed")
        before = Client().get("/news/")
        assert "Soon removed" in before.content.decode()
        etag = before["ETag"]

        server.freeze()  # Redis keeps the stamp it has; nobody can reach it
        assert timed(Client().get, "/news/").status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            timed(posts.remove_from_public_view, actor=supervisor, post=post, reason="Off-topic")
        assert "Soon removed" not in timed(Client().get, "/news/").content.decode()
        server.thaw()
        time.sleep(resilient.RETRY_AFTER)  # the next call tries Redis again

        # A browser revalidating the page it had before: the stamp Redis kept from then must not answer for it.
        after = Client().get("/news/", HTTP_IF_NONE_MATCH=etag)
        assert after.status_code == 200 and "Soon removed" not in after.content.decode()
    finally:
        server.stop()
