"""Capturing records in bulk: 100,000 published posts with one public comment each, captured through the real
task path (`capture_posts_batch_task`, then `capture_comments_batch_task`, in chunks of 500), beside the raw
`bulk_create` rate of the same Record rows. Run on PostgreSQL for the recorded figures:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/socialgov_bench_capture SECRET_KEY=bench HTTPS=0 \
        STATIC_MANIFEST=0 .venv/bin/python bench/capture.py --posts 100000

The database named in DATABASE_URL is dropped and created afresh, and dropped again at the end (--keep keeps it).
Records cannot be deleted on PostgreSQL (retention/migrations/0002), so a throwaway database is the only way to
start clean.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")

from _database import drop_database, recreate_database  # noqa: E402


def build(n: int, chunk: int = 2000) -> tuple[list[int], list[int]]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    smo, supervisor, website = fixtures()
    return published_posts(n, smo=smo, supervisor=supervisor, website=website, chunk=chunk)


def fixtures():
    """(smo, supervisor, the website channel): made, with the CW-026 series and its rules, unless they exist."""
    from django.contrib.auth import get_user_model

    from posts.models import Channel
    from retention.models import ClassificationRule, RecordSeries, RetentionSchedule

    users = get_user_model().objects
    existing = {u.username: u for u in users.filter(username__in=["smo", "supervisor", "custodian"])}

    def user(name):
        return existing.get(name) or users.create_user(name, password="bench-pass")  # noqa: S106 - throwaway

    smo, supervisor, custodian = user("smo"), user("supervisor"), user("custodian")
    website = Channel.objects.filter(slug="news").first() or Channel.objects.create(
        name="Department website", slug="news", kind="website"
    )
    if not RecordSeries.objects.filter(code="CW-026").exists():
        cw026 = RecordSeries.objects.create(code="CW-026", title="Social media content")
        RetentionSchedule.objects.create(
            series=cw026,
            version=1,
            period=2,
            unit="years",
            trigger="publication",
            action="destroy",
            citation="City records schedule CW-026",
            approved_by=custodian,
        )
        for kind in ("post", "comment"):
            ClassificationRule.objects.create(kind=kind, series=cw026, created_by=custodian)
    return smo, supervisor, website


BODY = "Traffic advisory: Highway 111 closed at Miles Avenue. " * 8


def published_posts(
    n: int, *, smo, supervisor, website, chunk: int = 2000, body: str = BODY
) -> tuple[list[int], list[int]]:
    """n published posts (one website publication each) with one visible public comment each, bulk inserted;
    returns (post ids, comment ids)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from posts.models import Comment, Post, Publication

    now = timezone.now()
    post_ids, comment_ids = [], []
    for start in range(0, n, chunk):
        with transaction.atomic():
            made = Post.objects.bulk_create(
                Post(
                    title=f"Bench {i}",
                    body=body,
                    category="traffic",
                    author=smo,
                    status=Post.Status.PUBLISHED,
                    approved_at=now,
                    approved_by=supervisor,
                    published_at=now,
                    published_by=smo,
                    approval_path="supervisor",
                )
                for i in range(start, min(start + chunk, n))
            )
            Post.channels.through.objects.bulk_create(
                Post.channels.through(post_id=p.pk, channel_id=website.pk) for p in made
            )
            Publication.objects.bulk_create(
                Publication(
                    post=p,
                    channel=website,
                    post_version=1,
                    status=Publication.Status.PUBLISHED,
                    idempotency_key=f"bench-{p.pk}",
                    external_id=f"{p.pk}",
                    published_at=now,
                    url=f"http://127.0.0.1/news/{p.pk}/",
                )
                for p in made
            )
            comments = Comment.objects.bulk_create(
                Comment(
                    channel=website,
                    post=p,
                    author_name=f"Resident {p.pk}",
                    text="Is the detour signed?",
                    status=Comment.Status.VISIBLE,
                    created_at=now,
                )
                for p in made
            )
        post_ids += [p.pk for p in made]
        comment_ids += [c.pk for c in comments]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics after the bulk load, as autovacuum would give
    return post_ids, comment_ids


def run_tasks(task, ids: list[int], chunk: int) -> tuple[int, float]:
    started, created = time.perf_counter(), 0
    for start in range(0, len(ids), chunk):
        result = task.apply(args=[ids[start : start + chunk]])
        if not result.successful():
            raise SystemExit(f"{task.name} failed: {result.traceback}")
        created += result.result
    return created, time.perf_counter() - started


def raw_bulk_create(chunk: int) -> tuple[int, float]:
    """The same rows again under another source type: what the INSERT alone costs, with the rows already built."""
    from django.db import transaction

    from retention.models import Record

    fields = [
        "kind",
        "source_id",
        "source_version",
        "captured_at",
        "published_at",
        "channel_slugs",
        "author_username",
        "title",
        "text",
        "content",
        "sha256",
        "parent_id",
    ]
    rows = [
        Record(source_type=f"bench.{source_type}", **values)
        for source_type, values in (
            (v.pop("source_type"), v) for v in Record.objects.values("source_type", *fields).iterator(5000)
        )
    ]
    started = time.perf_counter()
    for start in range(0, len(rows), chunk):
        with transaction.atomic():
            Record.objects.bulk_create(rows[start : start + chunk])
    return len(rows), time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database this script may drop and create.")
    recreate_database()
    import django

    django.setup()
    from django.db import connection

    from core.audit import verify_chain
    from core.models import AuditEvent
    from retention.bulk_capture import capture_comments_batch_task, capture_posts_batch_task
    from retention.models import Record

    try:
        started = time.perf_counter()
        post_ids, comment_ids = build(args.posts)
        built = time.perf_counter() - started
        posts, posts_s = run_tasks(capture_posts_batch_task, post_ids, args.chunk)
        comments, comments_s = run_tasks(capture_comments_batch_task, comment_ids, args.chunk)
        again, again_s = run_tasks(capture_posts_batch_task, post_ids, args.chunk)
        unfiled = Record.objects.filter(series__isnull=True).count()
        bad = sum(not r.verify() for r in Record.objects.only("content", "sha256", "status").iterator(5000))
        orphans = Record.objects.filter(source_type="posts.comment", parent__isnull=True).count()
        events = AuditEvent.objects.filter(verb="record.captured_batch").count()
        chain_ok = verify_chain().ok
        raw, raw_s = raw_bulk_create(args.chunk)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        print(f"cores: {os.cpu_count()}; PostgreSQL {server}; Python {sys.version.split()[0]}; chunk {args.chunk}")
        print(f"build {args.posts} posts + publications + comments (bulk inserts): {built:.1f} s")
        print(
            f"capture posts    (capture_posts_batch_task.apply): {posts} records in {posts_s:.1f} s "
            f"= {posts / posts_s:,.0f} records/s"
        )
        print(
            f"capture comments (capture_comments_batch_task.apply): {comments} records in {comments_s:.1f} s "
            f"= {comments / comments_s:,.0f} records/s"
        )
        total = posts + comments
        print(
            f"capture, both: {total} records in {posts_s + comments_s:.1f} s "
            f"= {total / (posts_s + comments_s):,.0f} records/s"
        )
        print(f"re-run over captured posts: {again} created in {again_s:.1f} s")
        print(f"raw Record.objects.bulk_create of the same rows: {raw} in {raw_s:.1f} s = {raw / raw_s:,.0f} rows/s")
        print(
            f"checks: unfiled {unfiled}, hash mismatches {bad}, comments without parent {orphans}, "
            f"batch audit events {events}, audit chain {'verifies' if chain_ok else 'BROKEN'}"
        )
        if posts != args.posts or comments != args.posts or again or unfiled or bad or orphans or not chain_ok:
            raise SystemExit("checks failed")
    finally:
        if not args.keep:
            drop_database()


if __name__ == "__main__":
    main()
