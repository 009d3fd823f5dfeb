"""Batched capture survives a worker killed mid-batch (385.7): after a restart and the sweeper, every published
post has exactly one record, and every record's hash verifies."""

import os
import signal
import time

import pytest
from django.db.models import Count
from django.utils import timezone

from core.audit import verify_chain
from posts.models import Post, Publication
from retention.bulk_capture import CHUNK, archive_published_batched, capture_posts_batch_task
from retention.models import Record
from tests.workers import celery_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True), pytest.mark.policy("385.7")]
POSTS = 5000


def published_posts(author, channel, n) -> list[int]:
    """n published posts with a website publication each (publishing is tested on its own)."""
    now = timezone.now()
    made = Post.objects.bulk_create(
        (
            Post(
                title=f"Advisory {i}",
                body=f"Road work on street {i}. " * 10,
                category="traffic",
                author=author,
                status=Post.Status.PUBLISHED,
                approved_at=now,
                approved_by=author,
                published_at=now,
                published_by=author,
                approval_path="supervisor",
            )
            for i in range(n)
        ),
        batch_size=1000,
    )
    Post.channels.through.objects.bulk_create(
        (Post.channels.through(post_id=p.pk, channel_id=channel.pk) for p in made), batch_size=1000
    )
    Publication.objects.bulk_create(
        (
            Publication(
                post=p,
                channel=channel,
                post_version=1,
                status=Publication.Status.PUBLISHED,
                idempotency_key=f"reliability-{p.pk}",
                external_id=str(p.pk),
                published_at=now,
                url=f"http://testserver/news/{p.pk}/",
            )
            for p in made
        ),
        batch_size=1000,
    )
    return [p.pk for p in made]


def captured() -> int:
    return Record.objects.filter(source_type="posts.post").count()


def test_worker_killed_mid_batch_leaves_every_post_captured_exactly_once(author, channel, series):
    ids = published_posts(author, channel, POSTS)
    with celery_worker() as queue:
        for start in range(0, POSTS, CHUNK):
            capture_posts_batch_task.delay(ids[start : start + CHUNK])
        # Kill once the first batch is in: the second is then mid-transaction.
        assert wait_for(lambda: captured() >= CHUNK, timeout=60)
        os.kill(queue.process.pid, signal.SIGKILL)
        queue.process.wait(timeout=10)
        killed_at = captured()
    assert killed_at < POSTS, "the worker finished before it could be killed; the test proved nothing"
    assert killed_at % CHUNK == 0, "a batch is stored whole or not at all"

    with celery_worker(queue=str(queue)):
        swept_at = [0.0]

        def settled():
            # What beat runs every 5 minutes, here every few seconds: queues what the killed batch lost.
            if time.monotonic() - swept_at[0] > 5:
                archive_published_batched()
                swept_at[0] = time.monotonic()
            return captured() >= POSTS

        assert wait_for(settled, timeout=120, interval=0.5)

    per_post = dict(
        Record.objects.filter(source_type="posts.post")
        .values_list("source_id")
        .annotate(n=Count("pk"))
        .values_list("source_id", "n")
    )
    assert set(per_post) == set(ids) and set(per_post.values()) == {1}
    for record in Record.objects.filter(source_type="posts.post").iterator(chunk_size=1000):
        assert record.verify(), f"record #{record.pk} does not match its hash"
        assert record.series_id == series.pk
    assert verify_chain().ok
