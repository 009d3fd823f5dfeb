"""Disposition scan over N records (default 1,000,000) on the database in DATABASE_URL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/socialgov_bench_disp SECRET_KEY=bench HTTPS=0 \
        .venv/bin/python bench/disposition.py --records 1000000

Builds the rows with bulk inserts (reporting that rate too), places a keyword hold over 1% of them, then times
`retention.disposition.scan()` (dry run) and reports the peak memory the scan added.
"""

import argparse
import os
import resource
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")

import django  # noqa: E402

django.setup()


def timed_scan(days_ahead: int = 3650) -> tuple[dict, float, float]:
    """`scan()` as a dry run, as of `days_ahead` days from today: (its summary, seconds, MiB of peak memory added)."""
    from django.utils import timezone

    from retention.disposition import scan

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    summary = scan(as_of=timezone.localdate() + timedelta(days=days_ahead), apply=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return summary, seconds, (after - before) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    args = parser.parse_args()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from retention.holds import place_hold
    from retention.models import Record, RecordSeries

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    from django.contrib.auth import get_user_model

    custodian = get_user_model().objects.get(username="custodian")
    series = RecordSeries.objects.get(code="CW-026")
    schedule = series.current_schedule()
    now = timezone.now()
    existing = Record.objects.filter(source_type="bench.post").count()
    start = time.perf_counter()
    batch = []
    for i in range(existing, args.records):
        text = "Monroe Street closure" if i % 100 == 0 else "Community meeting notice"
        batch.append(
            Record(
                kind="post",
                source_type="bench.post",
                source_id=i,
                source_version="v1",
                captured_at=now - timedelta(days=900),
                published_at=now - timedelta(days=900 + i % 400),
                channel_slugs=["news"],
                author_username="smo",
                title=f"Bench {i}",
                text=text,
                content={"i": i},
                sha256=Record.hash_of({"i": i}),
                series=series,
                schedule=schedule,
            )
        )
        if len(batch) == 10_000:
            Record.objects.bulk_create(batch)
            batch = []
    if batch:
        Record.objects.bulk_create(batch)
    inserted = args.records - existing
    insert_seconds = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE retention_record")
    place_hold(actor=custodian, matter="Bench", requested_by="Bench", reason="Bench", keywords=["Monroe Street"])
    summary, seconds, grew = timed_scan()
    total = Record.objects.count()
    print(f"database: {connection.vendor}; cores: {os.cpu_count()}; records: {total}")
    if inserted:
        print(f"bulk insert: {inserted} records in {insert_seconds:.1f} s ({inserted / insert_seconds:,.0f} rows/s)")
    print(
        f"scan: {seconds:.1f} s ({total / seconds:,.0f} records/s); due {summary['due']}, held {summary['held']}; "
        f"peak memory grew {grew:.0f} MiB"
    )


if __name__ == "__main__":
    main()
