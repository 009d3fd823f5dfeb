"""Capacity: one records table grown step by step (default 100,000, then 1,000,000, then 3,000,000 records), and at
each size the capture rate, search median / p95, the disposition scan, the export rate and the size per record.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/socialgov_bench_capacity SECRET_KEY=bench HTTPS=0 \\
        STATIC_MANIFEST=0 .venv/bin/python bench/capacity.py --sizes 100000,1000000,3000000

The database named in DATABASE_URL is dropped and created afresh (records cannot be deleted on PostgreSQL), and
dropped at the end (--keep keeps it; --reuse measures a kept one, adding only the rows that are missing). Media and
exports go to a temporary folder. Each step reuses the rows of the step before. What it reuses:

- rows: bench/search.py's builder (same kinds, Zipf text, channels, authors; dates at a constant rate from
  2019-01-01 over 7 years at the largest size, so a step covers the earlier part of that span), written with COPY,
  carrying content in the captured format (bench/_records.py): one post in ten holds one of 100 photos, stored
  once each (content-addressed), as bench/export.py models it; 1% under a legal hold, 200 in a records request;
- capture: bench/capture.py's published posts, one public comment each, captured through
  `capture_posts_batch_task` then `capture_comments_batch_task` (chunks of 500, in-process) into the table of
  that size; their text uses none of the search mix's words, so the search mix finds the same records;
- search: bench/search.py's mix of 45 searches (its date filters moved to the newest year of records present),
  the search page's own work and the whole page, --runs timed runs each after a warm-up;
- disposition: bench/disposition.py's `scan()` dry run, as of ten years from today (every record due);
- export: an e-discovery export (DAT load file, no PDF) of a fixed-size sample of records spread evenly over the
  table, built in a fresh process by bench/export.py's builder, as a worker would.

Each step's figures are printed as it ends and appended as one JSON line to --json.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
WORK = Path(tempfile.mkdtemp(prefix="bench-capacity-"))
# Before Django is set up (importing bench/search.py sets it up): media and exports go to the temporary folder.
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ["EXPORT_DIR"] = str(WORK / "exports")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")
for name in ("S3_BUCKET", "S3_RECORDS_BUCKET"):  # local files: the bucket's bytes are counted, not timed
    os.environ.pop(name, None)

# bench/search.py and bench/disposition.py set Django up when imported.
import capture as capture_bench  # noqa: E402
import disposition as disposition_bench  # noqa: E402
import export as export_bench  # noqa: E402
import search as search_bench  # noqa: E402
from _database import drop_database, recreate_database  # noqa: E402
from _records import PHOTO_EVERY, PHOTOS, ContentBuilder  # noqa: E402

SOURCE_TYPE = search_bench.SOURCE_TYPE
# The capture batch's text: no word of the search mix, so the newest records do not change what it finds.
CAPTURE_BODY = "Quarterly capacity drill: zephyr quokka marzipan bench notice text. " * 7


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(int(len(values) * 0.95) - 1, 0)]


def sql(query: str, params=()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


# Building --------------------------------------------------------------------------------------------------


def store_photos() -> list[tuple[str, int]]:
    """The PHOTOS photos as MediaBlobs (bench/export.py's PNGs), stored once each; (sha256, size) in index order."""
    import hashlib

    from django.core.files.base import ContentFile

    from retention.models import MediaBlob

    photos = []
    for i in range(PHOTOS):
        data = export_bench._png(i)
        digest = hashlib.sha256(data).hexdigest()
        if not MediaBlob.objects.filter(sha256=digest).exists():
            blob = MediaBlob(sha256=digest, size=len(data), content_type="image/png")
            blob.file.save(f"{digest[:2]}/{digest}", ContentFile(data), save=False)
            blob.save(force_insert=True)
        photos.append((digest, len(data)))
    return photos


def grow(size: int, final: int, photos: list[tuple[str, int]]) -> tuple[int, float]:
    """Bench records 0 .. size-1 (the missing ones), their photo links, and 1% of them under the bench hold."""
    from retention.models import RequestRecord

    started = time.perf_counter()
    inserted, _ = search_bench.build(size, ContentBuilder(final, photos))
    if not inserted:
        return 0, 0.0
    sql("CREATE TEMP TABLE IF NOT EXISTS bench_photo (n int PRIMARY KEY, sha256 varchar(64)); TRUNCATE bench_photo")
    for n, (digest, _) in enumerate(photos):
        sql("INSERT INTO bench_photo VALUES (%s, %s)", [n, digest])
    sql(
        """INSERT INTO retention_record_media (record_id, mediablob_id)
           SELECT r.id, p.sha256 FROM retention_record r JOIN bench_photo p ON p.n = (r.source_id / %s) %% %s
           WHERE r.source_type = %s AND r.kind IN ('post', 'incident_update') AND r.source_id %% %s = 0
           ON CONFLICT DO NOTHING""",
        [PHOTO_EVERY, PHOTOS, SOURCE_TYPE, PHOTO_EVERY],
    )
    hold, request = search_bench.holds_and_request()
    sql(
        """INSERT INTO retention_heldrecord (hold_id, record_id, added_at)
           SELECT %s, r.id, now() FROM retention_record r
           WHERE r.source_type = %s AND r.source_id %% 100 = 7 ON CONFLICT DO NOTHING""",
        [hold.pk, SOURCE_TYPE],
    )
    if not RequestRecord.objects.filter(request=request).exists():
        top = min(size, 200_000)
        sql(
            """INSERT INTO retention_requestrecord (request_id, record_id, added_by_id, added_at)
               SELECT %s, r.id, %s, now() FROM retention_record r
               WHERE r.source_type = %s AND r.source_id >= %s AND r.source_id < %s""",
            [request.pk, request.assigned_to_id, SOURCE_TYPE, top - 200, top],
        )
    sql("ANALYZE retention_record_media; ANALYZE retention_heldrecord; ANALYZE retention_requestrecord")
    return inserted, time.perf_counter() - started


# Measuring -------------------------------------------------------------------------------------------------


def measure_capture(posts: int, chunk: int) -> dict:
    from retention.bulk_capture import capture_comments_batch_task, capture_posts_batch_task

    smo, supervisor, website = capture_bench.fixtures()
    post_ids, comment_ids = capture_bench.published_posts(
        posts, smo=smo, supervisor=supervisor, website=website, body=CAPTURE_BODY
    )
    at = load()
    made_posts, posts_s = capture_bench.run_tasks(capture_posts_batch_task, post_ids, chunk)
    made_comments, comments_s = capture_bench.run_tasks(capture_comments_batch_task, comment_ids, chunk)
    if made_posts != posts or made_comments != posts:
        raise SystemExit(f"capture made {made_posts} post and {made_comments} comment records, not {posts} each")
    return {
        "records": made_posts + made_comments,
        "seconds": posts_s + comments_s,
        "rate": (made_posts + made_comments) / (posts_s + comments_s),
        "posts_rate": made_posts / posts_s,
        "comments_rate": made_comments / comments_s,
        "load": at,
    }


def searches_now() -> list:
    """bench/search.py's mix, its one-year date filters moved to the newest year of bench records present."""
    from retention.models import Record

    hold, request = search_bench.holds_and_request()
    newest = (
        Record.objects.filter(source_type=SOURCE_TYPE, published_at__isnull=False)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    year = {"date_from": (newest - timedelta(days=364)).date().isoformat(), "date_to": newest.date().isoformat()}
    mix = []
    for label, cases in search_bench.searches(hold, request):
        mix.append((label, [{**c, **year} if "date_from" in c else c for c in cases]))
    return mix


def measure_search(runs: int) -> dict:
    from django.contrib.auth import get_user_model

    from retention.models import RecordSeries

    custodian = get_user_model().objects.get(username="custodian")
    series = RecordSeries.objects.get(code="CW-026").pk
    do_search, do_page = search_bench.search_functions(custodian, series)
    at = load()
    overall = {"search": [], "page": []}
    kinds = {}
    for label, _cases, what, counts, timings in search_bench.time_searches(searches_now(), runs, do_search, do_page):
        overall[what] += timings
        kinds.setdefault(label, {})[what] = {"median": statistics.median(timings), "p95": p95(timings)}
        if what == "search":
            kinds[label]["matches"] = [min(counts), max(counts)]
    return {
        "runs": runs,
        "timed": len(overall["search"]),
        **{f"{w}_median": statistics.median(t) for w, t in overall.items()},
        **{f"{w}_p95": p95(t) for w, t in overall.items()},
        **{f"{w}_max": max(t) for w, t in overall.items()},
        "kinds": kinds,
        "load": at,
    }


def measure_disposition() -> dict:
    from retention.models import Record

    total = Record.objects.count()
    at = load()
    summary, seconds, grew = disposition_bench.timed_scan()
    return {
        "records": total,
        "seconds": seconds,
        "rate": total / seconds,
        "due": summary["due"],
        "held": summary["held"],
        "requested": summary["requested"],
        "memory_mib": grew,
        "load": at,
    }


def measure_export(size: int, sample: int) -> dict:
    from django.contrib.auth import get_user_model

    from retention.exports.services import start_export
    from retention.models import Record

    step = max(size // sample, 1)
    ids = list(
        Record.objects.filter(source_type=SOURCE_TYPE, source_id__in=range(0, size, step)).values_list("pk", flat=True)
    )[:sample]
    export = start_export(
        actor=get_user_model().objects.get(username="custodian"),
        purpose="ediscovery",
        record_ids=ids,
        include_dat=True,
        enqueue=False,
        reason=f"Capacity bench: {len(ids)} records spread over {size:,}",
    )
    at = load()
    child = subprocess.run(
        [sys.executable, str(BENCH / "export.py"), "--build", str(export.pk)],
        env=os.environ,
        capture_output=True,
        text=True,
    )
    if child.returncode:
        raise SystemExit(f"export build failed:\n{child.stderr[-3000:]}")
    built = json.loads(child.stdout.strip().splitlines()[-1])
    if built["status"] != "done":
        raise SystemExit(f"export failed: {built['error']}")
    for package in Path(os.environ["EXPORT_DIR"]).rglob("*.zip"):
        package.unlink()  # keep the temporary folder small; the size is in `built`
    return {
        "records": built["records"],
        "seconds": built["seconds"],
        "rate": built["records"] / built["seconds"],
        "peak_mib": built["peak_mib"],
        "zip_bytes": built["size"],
        "phases": built["phases"],
        "load": at,
    }


def measure_sizes() -> dict:
    records = sql("SELECT count(*) FROM retention_record")[0][0]
    ((heap, indexes, total, media, held, database),) = sql(
        """SELECT pg_relation_size('retention_record'), pg_indexes_size('retention_record'),
                  pg_total_relation_size('retention_record'), pg_total_relation_size('retention_record_media'),
                  pg_total_relation_size('retention_heldrecord'), pg_database_size(current_database())"""
    )
    index_sizes = dict(
        sql(
            "SELECT indexrelname, pg_relation_size(indexrelid) FROM pg_stat_user_indexes WHERE relname = %s",
            ["retention_record"],
        )
    )
    # The bytes of each kind of row as stored (content compressed when PostgreSQL compresses it), from a 1% sample of
    # the bench rows and every record the capture batches made.
    rows = sql(
        """SELECT source_type, kind, count(*), avg(pg_column_size(r.*))::int, avg(pg_column_size(r.content))::int
           FROM retention_record r WHERE r.source_type <> %s OR r.id %% 100 = 0 GROUP BY 1, 2 ORDER BY 1, 2""",
        [SOURCE_TYPE],
    )
    ((photos, photo_bytes),) = sql(
        """SELECT count(*), coalesce(sum(size), 0) FROM retention_mediablob b
           WHERE EXISTS (SELECT 1 FROM retention_record_media m WHERE m.mediablob_id = b.sha256)"""
    )
    ((links, linked_bytes),) = sql(
        """SELECT count(*), coalesce(sum(b.size), 0) FROM retention_record_media m
           JOIN retention_mediablob b ON b.sha256 = m.mediablob_id"""
    )
    files = [p for p in Path(os.environ["MEDIA_ROOT"]).rglob("*") if p.is_file()]
    return {
        "records": records,
        "record_table": total,
        "record_heap_and_toast": total - indexes,
        "record_heap": heap,
        "record_indexes": indexes,
        "index_sizes": index_sizes,
        "media_links_table": media,
        "holds_table": held,
        "database": database,
        "per_record": (total + media + held) / records,
        "database_per_record": database / records,
        "row_bytes": [list(r) for r in rows],
        "photos_stored": photos,
        "photo_bytes": photo_bytes,
        "files_on_disk": len(files),
        "bytes_on_disk": sum(p.stat().st_size for p in files),
        "media_links": links,
        "linked_bytes": linked_bytes,
        "bucket_per_record": photo_bytes / records,
        "linked_per_record": linked_bytes / records,
    }


# Running ---------------------------------------------------------------------------------------------------


def server() -> dict:
    return {
        "cores": os.cpu_count(),
        "postgresql": sql("SHOW server_version")[0][0],
        "shared_buffers": sql("SHOW shared_buffers")[0][0],
        "work_mem": sql("SHOW work_mem")[0][0],
        "python": sys.version.split()[0],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000,3000000", help="record counts, ascending")
    parser.add_argument("--capture-posts", type=int, default=5000, help="posts (and as many comments) per step")
    parser.add_argument("--chunk", type=int, default=500, help="ids per capture task")
    parser.add_argument("--export-sample", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each search")
    parser.add_argument("--json", default=str(BENCH.parent / "var" / "capacity.jsonl"))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database, adding what is missing")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database this script may drop and create.")
    if not args.reuse:
        recreate_database()
    from django.core.management import call_command

    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
        photos = store_photos()
        machine = server()
        print(f"machine: {machine}; load average {load()}", flush=True)
        for size in sizes:
            step = {"size": size, "machine": machine, "started": time.strftime("%Y-%m-%d %H:%M:%S")}
            step["built"], step["build_seconds"] = grow(size, max(sizes), photos)
            step["build_load"] = load()
            print(f"\n== {size:,} bench records: built {step['built']:,} in {step['build_seconds']:.0f} s", flush=True)
            step["capture"] = measure_capture(args.capture_posts, args.chunk)
            print(f"capture: {step['capture']}", flush=True)
            sql("ANALYZE retention_record")
            step["search"] = measure_search(args.runs)
            print(f"search: { {k: v for k, v in step['search'].items() if k != 'kinds'} }", flush=True)
            step["disposition"] = measure_disposition()
            print(f"disposition: {step['disposition']}", flush=True)
            step["export"] = measure_export(size, args.export_sample)
            print(f"export: {step['export']}", flush=True)
            step["sizes"] = measure_sizes()
            print(f"sizes: {step['sizes']}", flush=True)
            results.append(step)
            with out.open("a") as f:
                f.write(json.dumps(step, default=str) + "\n")
        report(results)
    finally:
        import shutil

        shutil.rmtree(WORK, ignore_errors=True)
        if not args.keep:
            drop_database()


def report(results: list[dict]):
    heads = " | ".join(f"{r['sizes']['records']:,} records" for r in results)
    print(f"\n| measure | {heads} |")
    print(f"|---|{'---|' * len(results)}")
    lines = [
        ("capture, posts + comments (records/s)", lambda r: f"{r['capture']['rate']:,.0f}"),
        (
            "search median / p95, search (ms)",
            lambda r: f"{r['search']['search_median']:.1f} / {r['search']['search_p95']:.1f}",
        ),
        (
            "search median / p95, page (ms)",
            lambda r: f"{r['search']['page_median']:.1f} / {r['search']['page_p95']:.1f}",
        ),
        (
            "disposition scan (s; records/s)",
            lambda r: f"{r['disposition']['seconds']:.1f}; {r['disposition']['rate']:,.0f}",
        ),
        ("export, e-discovery sample (records/s)", lambda r: f"{r['export']['rate']:,.0f}"),
        ("records table + links + holds, bytes/record", lambda r: f"{r['sizes']['per_record']:,.0f}"),
        (
            "whole database (MB; bytes/record)",
            lambda r: f"{r['sizes']['database'] / 1e6:,.0f}; {r['sizes']['database_per_record']:,.0f}",
        ),
        ("bucket, bytes/record (distinct photos)", lambda r: f"{r['sizes']['bucket_per_record']:,.1f}"),
    ]
    for label, cell in lines:
        print(f"| {label} | {' | '.join(cell(r) for r in results)} |")


if __name__ == "__main__":
    main()
