"""Redis stops in the middle of the department's day and starts again: nothing is lost, nothing done twice.

The test runs a Redis server of its own (broker, result store and cache, as REDIS_URL configures them) and a real
worker against it. Members submit, approve and publish posts, file a report and the public comments, through the
pages, first with Redis up, then with it stopped: every page answers within a few seconds, never with an error,
and the action is saved. Redis starts again, empty, on the same port; the sweepers beat runs are run, and then
each e-mail has gone out once, each publication reached its platform once, each record was captured once.
"""

import email
import time
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.db.models import F
from django.test import Client

from core import queueing
from core.models import Notification
from core.tasks import send_pending_notifications_task
from moderation.models import ContentReport
from posts.models import Channel, Comment, Post, Publication
from posts.publishing.credential_services import set_channel_credentials
from posts.tasks import sweep_publications_task
from retention.models import Record
from retention.tasks import archive_published_task
from tests.conftest import skip_or_fail
from tests.core.test_queueing import warm_up_screening
from tests.posts.factories import draft
from tests.publishing.fakes import WebhookFake
from tests.redis_server import RedisServer, redis_server_installed
from tests.website.test_public_pages import url_of
from tests.workers import celery_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Generous bounds: before, a report took 19 s and /healthz 2 s with Redis stopped.
ANSWER_WITHIN = 3.0
HEALTH_WITHIN = 1.0
SWEEPERS = (send_pending_notifications_task, sweep_publications_task, archive_published_task)


@pytest.fixture
def redis_server(settings, tmp_path):
    if not settings.REDIS_URL:
        skip_or_fail(
            "the Redis outage test checks the settings REDIS_URL turns on (timeouts of broker, result store and "
            "cache); the embedded default uses no Redis"
        )
    if not redis_server_installed():
        skip_or_fail("redis-server is not installed")
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def receiver():
    with WebhookFake() as fake:
        yield fake


@pytest.fixture
def city_hook(chief, author, receiver, settings):
    settings.CREDENTIALS_KEY = Fernet.generate_key().decode()
    channel = Channel.objects.create(
        name="City alerts", slug="city-alerts", kind="webhook", api_base_url=receiver.endpoint
    )
    set_channel_credentials(actor=chief, channel=channel, credentials={"secret": receiver.token})
    return channel


@contextmanager
def on_redis(url, settings, monkeypatch):
    """This process's broker, result store and cache on `url`, with every other option as REDIS_URL sets them."""
    from socialgov.celery import app

    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": url}}
    saved = (app.conf.broker_url, app.conf.result_backend)
    app.conf.broker_url, app.conf.result_backend = url, url
    _fresh_connections(app)
    monkeypatch.setattr(queueing, "_unreachable_until", 0.0)  # set back afterwards, for the tests that follow
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.result_backend = saved
        _fresh_connections(app)


def _fresh_connections(app):
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


def answer(call, path, *args, expect=(200, 302), within=ANSWER_WITHIN, **kwargs):
    started = time.monotonic()
    response = call(path, *args, **kwargs)
    elapsed = time.monotonic() - started
    assert response.status_code in expect, f"{path} answered {response.status_code}"
    assert elapsed < within, f"{path} took {elapsed:.1f}s"
    return response


class Department:
    """The members at work, through the pages."""

    def __init__(self, signed_in, *, author, supervisor, member, channels):
        self.author, self.supervisor, self.member = signed_in(author), signed_in(supervisor), signed_in(member)
        self.author_user, self.channels = author, channels

    def publish(self, title: str) -> Post:
        post = draft(self.author_user, self.channels, title=title)
        answer(self.author.post, f"/posts/{post.pk}/submit/")
        answer(self.supervisor.post, f"/review/{post.pk}/", {"action": "approve"})
        answer(self.author.post, f"/posts/{post.pk}/publish/")
        post.refresh_from_db()
        assert post.status == Post.Status.PUBLISHED
        return post

    def remove(self, post: Post, reason: str):
        answer(self.supervisor.post, f"/posts/{post.pk}/remove/", {"reason": reason})
        post.refresh_from_db()
        assert post.status == Post.Status.REMOVED

    def report(self, post: Post, description: str):
        answer(self.member.post, "/reports/new/", {"section": "385.5(d)", "post": post.pk, "description": description})
        assert ContentReport.objects.filter(description=description).count() == 1

    def comment(self, post: Post, text: str):
        answer(Client().get, "/news/")
        answer(Client().get, url_of(post))
        answer(Client().post, url_of(post), {"name": "Dana", "text": text}, REMOTE_ADDR="198.51.100.20")
        assert Comment.objects.filter(text=text).count() == 1


def sent_mail(mailbox: Path) -> Counter:
    """(recipient, subject) of every message the worker's file-based mail backend wrote."""
    found = Counter()
    for path in mailbox.glob("*.log"):
        for raw in path.read_text().split("-" * 79):
            if raw.strip():
                message = email.message_from_string(raw.strip())
                found[(message["To"], str(make_header(decode_header(message["Subject"]))))] += 1
    return found


def left_undone(posts, comments, withdrawn=()) -> dict:
    """What the worker has not done yet; empty when everything is."""
    left = {
        "withdrawn publications not taken down": Publication.objects.filter(post__in=withdrawn)
        .exclude(status=Publication.Status.REMOVED)
        .count(),
        "unsent notifications": Notification.objects.filter(sent_at__isnull=True).count(),
        "undelivered publications": Publication.objects.filter(post__in=posts)
        .exclude(status=Publication.Status.PUBLISHED)
        .count(),
        "posts without a record": len(posts)
        - Record.objects.filter(source_type="posts.post", source_id__in=[p.pk for p in posts]).count(),
        "comments without a record": len(comments)
        - Record.objects.filter(source_type="posts.comment", source_id__in=[c.pk for c in comments]).count(),
    }
    return {what: count for what, count in left.items() if count}


def done(posts, comments=()) -> bool:
    return wait_for(lambda: not left_undone(posts, comments), timeout=120)


def test_redis_stopped_midway_loses_nothing_and_does_nothing_twice(
    redis_server, signed_in, author, channel, city_hook, supervisor, member, receiver, settings, tmp_path, monkeypatch
):
    mailbox = tmp_path / "mail"
    worker_env = {
        "REDIS_URL": redis_server.url(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mailbox),
        "CREDENTIALS_KEY": settings.CREDENTIALS_KEY,
        "PUBLISH_SWEEP_AFTER_SECONDS": "0",
    }
    warm_up_screening()
    work = Department(signed_in, author=author, supervisor=supervisor, member=member, channels=[channel, city_hook])

    with on_redis(redis_server.url(), settings, monkeypatch), celery_worker(env_extra=worker_env):
        # Redis up: the worker sends and delivers as each action commits.
        first = work.publish("Water main repair on Oasis Street")
        assert done([first]), left_undone([first], [])
        work.report(first, "The photo shows a resident's licence plate.")
        work.comment(first, "Thanks for the notice.")
        assert done([first], Comment.objects.all()), left_undone([first], Comment.objects.all())

        redis_server.stop()
        second = work.publish("Parade route closes Highway 111")
        work.report(second, "Wrong date in the second paragraph.")
        work.comment(first, "Is the water safe to drink?")
        # Published and, before anything could be delivered, taken down: it must never reach a platform.
        withdrawn = work.publish("Road closure on Jackson Street")
        work.remove(withdrawn, "Wrong street")
        down = answer(Client().get, "/healthz", expect=(503,), within=HEALTH_WITHIN)
        assert down.json() == {"status": "down"}
        assert Publication.objects.filter(post__in=[second, withdrawn], status=Publication.Status.PENDING).count() == 4
        assert Notification.objects.filter(sent_at__isnull=True).exists()
        assert receiver.delivery_count() == 1

        redis_server.start()  # empty: whatever was queued in it is gone
        # The notification sweeper leaves alone what is younger than its task's own retries would take.
        Notification.objects.filter(sent_at__isnull=True).update(created_at=F("created_at") - timedelta(minutes=10))
        comments = list(Comment.objects.all())

        def settled():
            for sweeper in SWEEPERS:  # what beat sends every few minutes
                sweeper.apply_async(ignore_result=True)
            return not left_undone([first, second], comments, [withdrawn])

        assert wait_for(settled, timeout=120, interval=3), left_undone([first, second], comments, [withdrawn])
        answer(Client().get, "/healthz", expect=(200,), within=HEALTH_WITHIN)

    assert ContentReport.objects.count() == 2 and len(comments) == 2
    expected = Counter((n.recipient.email, n.subject) for n in Notification.objects.select_related("recipient"))
    assert {"post.approved", "report.filed"} <= set(Notification.objects.values_list("event", flat=True))
    assert sent_mail(mailbox) == expected  # each notification sent exactly once
    assert receiver.delivery_count() == 2 and receiver.repeats == {}
    assert {d["post_id"] for d in receiver.deliveries} == {first.pk, second.pk}
    assert set(withdrawn.publications.values_list("status", flat=True)) == {Publication.Status.REMOVED}
    assert "Road closure on Jackson Street" not in Client().get("/news/").content.decode()
    for post in (first, second):
        assert Record.objects.filter(source_type="posts.post", source_id=post.pk).count() == 1
    assert Record.objects.filter(source_type="posts.comment", source_version="received").count() == 2
