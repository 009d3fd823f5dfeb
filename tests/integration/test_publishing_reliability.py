"""Exactly-once publishing when things go wrong: a worker killed mid-batch, a broker that is down.

A real worker process publishes to a webhook receiver that speaks the documented protocol. The receiver
counts distinct Idempotency-Keys and, separately, every delivery request it received: it answers a repeated key
with the first result, so only the count of requests shows a publication that was sent twice.
"""

import os
import shutil
import signal
import socket
import subprocess

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.utils import timezone

from posts import services as posts
from posts.models import Channel, Post, Publication
from posts.publishing import services as publishing
from posts.publishing.credential_services import set_channel_credentials
from posts.tasks import publish_publication_task
from tests.conftest import skip_or_fail
from tests.publishing.fakes import WebhookFake
from tests.workers import celery_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
P = Publication.Status


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


def approved_posts(author, channel, n):
    """n approved posts on `channel` (the approval workflow is tested on its own)."""
    now = timezone.now()
    made = Post.objects.bulk_create(
        Post(
            title=f"Alert {i}",
            body=f"Water main repair on street {i}.",
            category="traffic",
            author=author,
            status=Post.Status.APPROVED,
            approved_at=now,
            approval_path="supervisor",
        )
        for i in range(n)
    )
    Post.channels.through.objects.bulk_create(Post.channels.through(post_id=p.pk, channel_id=channel.pk) for p in made)
    return made


def worker_env(settings):
    return {"CREDENTIALS_KEY": settings.CREDENTIALS_KEY, "PUBLISH_LEASE_SECONDS": "3"}


def test_worker_killed_mid_batch_publishes_every_post_exactly_once(author, city_hook, receiver, settings):
    settings.PUBLISH_LEASE_SECONDS = 3
    settings.PUBLISH_SWEEP_AFTER_SECONDS = 0
    batch = approved_posts(author, city_hook, 200)
    with celery_worker(env_extra=worker_env(settings)) as queue:
        for post in batch:
            posts.publish_post(actor=author, post=post)
        assert wait_for(lambda: receiver.delivery_count() >= 40)
        os.kill(queue.process.pid, signal.SIGKILL)
        queue.process.wait(timeout=10)
        killed_at = receiver.delivery_count()
    assert killed_at < 200, "the worker finished before it could be killed; the test proved nothing"

    with celery_worker(env_extra=worker_env(settings), queue=str(queue)):

        def settled():
            publishing.sweep()  # what beat runs every minute: finds claims left by the dead worker
            return Publication.objects.filter(post__in=batch, status=P.PUBLISHED).count() == 200

        assert wait_for(settled, timeout=180, interval=2)

    keys = set(Publication.objects.filter(post__in=batch).values_list("idempotency_key", flat=True))
    assert len(keys) == 200
    assert receiver.delivery_count() == 200  # 200 distinct items at the receiver
    assert {d["idempotency_key"] for d in receiver.deliveries} == keys
    assert {d["post_id"] for d in receiver.deliveries} == {p.pk for p in batch}
    # None twice: the one worker killed can have had one request in flight, whose answer it never recorded;
    # the sweeper sends that one again under the same key. Any other request would be a second send.
    killed_workers = 1
    assert 200 <= receiver.send_count() <= 200 + killed_workers, (
        f"{receiver.send_count()} delivery requests for 200 publications; {len(receiver.repeats)} keys sent again"
    )
    assert sum(receiver.repeats.values()) <= killed_workers


def test_two_workers_claiming_the_same_publications_at_once_deliver_each_exactly_once(
    author, city_hook, receiver, settings, monkeypatch
):
    if connection.vendor != "postgresql":
        skip_or_fail("two workers claiming the same rows at once need PostgreSQL (SQLite has a single writer)")
    count = 100
    batch = approved_posts(author, city_hook, count)
    released = []
    # The test sends the delivery messages itself, so that both workers get every one of them at the same moment.
    with monkeypatch.context() as patch:
        patch.setattr(publishing, "enqueue", released.extend)
        for post in batch:
            posts.publish_post(actor=author, post=post)
    assert len(released) == count

    # No worker dies here, so no claim may ever look abandoned: a lease far longer than one delivery takes.
    env = {**worker_env(settings), "PUBLISH_LEASE_SECONDS": "120"}
    with celery_worker(env_extra=env) as first, celery_worker(env_extra=env) as second:
        sent = [
            (queue, publish_publication_task.apply_async((pk,), queue=queue))
            for pk in sorted(released)
            for queue in (first, second)
        ]
        outcomes = {first: [], second: []}
        for queue, result in sent:
            outcomes[queue].append(result.get(timeout=120))

    assert Publication.objects.filter(post__in=batch, status=P.PUBLISHED).count() == count
    assert receiver.delivery_count() == count
    assert receiver.send_count() == count, (
        f"{receiver.send_count()} delivery requests for {count} publications; {len(receiver.repeats)} keys sent again"
    )
    assert receiver.repeats == {}
    assert sorted(Publication.objects.filter(post__in=batch).values_list("attempts", flat=True)) == [1] * count
    for queue in (first, second):
        assert set(outcomes[queue]) <= {publishing.Outcome.PUBLISHED, publishing.Outcome.SKIPPED}
        assert publishing.Outcome.PUBLISHED in outcomes[queue], "one worker won every claim; the claims never met"
    assert sum(outcome == publishing.Outcome.PUBLISHED for queue in outcomes for outcome in outcomes[queue]) == count


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A Redis server of this test's own, so stopping it disturbs nothing else on the machine."""

    def __init__(self):
        self.port = _free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self.ping, timeout=20, interval=0.1)

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"


def _use_broker(app, url):
    app.conf.broker_url = url
    app.conf.task_publish_retry = False
    app.conf.broker_connection_timeout = 1
    app._pool = None
    app.amqp._producer_pool = None


def test_broker_down_while_posts_are_approved_loses_nothing(author, city_hook, receiver, settings):
    if not settings.REDIS_URL:
        skip_or_fail("the broker outage test needs Redis (set REDIS_URL)")
    if not shutil.which("redis-server"):
        skip_or_fail("redis-server is not installed")
    from socialgov.celery import app

    settings.PUBLISH_SWEEP_AFTER_SECONDS = 0
    redis = PrivateRedis()
    redis.start()
    saved = (app.conf.broker_url, app.conf.task_publish_retry, app.conf.broker_connection_timeout)
    _use_broker(app, redis.url)
    try:
        env = {**worker_env(settings), "REDIS_URL": redis.url}
        with celery_worker(env_extra=env):
            redis.stop()
            batch = approved_posts(author, city_hook, 20)
            for post in batch:
                posts.publish_post(actor=author, post=post)  # commits; queuing the delivery fails quietly
            assert Post.objects.filter(pk__in=[p.pk for p in batch], status="published").count() == 20
            assert receiver.delivery_count() == 0
            redis.start()
            _use_broker(app, redis.url)

            def settled():
                publishing.sweep()
                return Publication.objects.filter(post__in=batch, status=P.PUBLISHED).count() == 20

            assert wait_for(settled, timeout=120, interval=2)
        assert receiver.delivery_count() == 20 and receiver.repeats == {}
        assert receiver.send_count() == 20
    finally:
        app.conf.broker_url, app.conf.task_publish_retry, app.conf.broker_connection_timeout = saved
        app._pool = None
        app.amqp._producer_pool = None
        if redis.process and redis.process.poll() is None:
            redis.stop()
