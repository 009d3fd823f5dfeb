"""Exporting 100,000 records as a BagIt package (ZIP), beside what standard tools take to hash and zip the same
bytes. Run on PostgreSQL for the recorded figures:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/socialgov_bench_export SECRET_KEY=bench HTTPS=0 \
        STATIC_MANIFEST=0 .venv/bin/python bench/export.py --records 100000

The database named in DATABASE_URL is dropped and created afresh, and dropped again at the end (--keep keeps it):
records cannot be deleted on PostgreSQL (retention/migrations/0002). Media and packages go to a temporary folder.

The records are written with bulk inserts in the captured-content format (a post with its publication, a review
with a finding, three revisions; one record in five a public comment linked to its post; one post in ten with a
photo, 100 distinct photos). The export (e-discovery, every kept record, with the DAT load file, no PDF) is then
built in a fresh process, as a worker would, so its peak memory is the build's own. Then the package is unpacked
and the same files are hashed with `sha256sum` and zipped with `zip -r` (Info-ZIP), for comparison.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")

from _database import drop_database, recreate_database  # noqa: E402

BODY = (
    "Traffic advisory: Highway 111 is closed between Monroe Street and Jackson Street while crews repair a water "
    "main. Use Avenue 44 or Avenue 48 instead; expect delays through the evening commute. "
) * 2


def _png(n: int) -> bytes:
    from tests.conftest import _png_bytes

    return _png_bytes(width=8 + n % 50, height=8 + n // 50)


def seed(n: int, chunk: int = 5000) -> float:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from members.models import Role
    from retention.models import MediaBlob, Record, RecordSeries, RetentionSchedule

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    custodian = get_user_model().objects.create_user(
        "custodian",
        password="bench-pass",
        first_name="Dana",  # noqa: S106
        last_name="Reyes",
        email="custodian@police.example.gov",
    )
    custodian.groups.add(Group.objects.get(name=Role.CUSTODIAN))
    series = RecordSeries.objects.create(code="CW-026", title="Social media content")
    schedule = RetentionSchedule.objects.create(
        series=series,
        version=1,
        period=2,
        unit="years",
        trigger="publication",
        action="destroy",
        citation="CW-026",
        approved_by=custodian,
    )
    import hashlib

    blobs = []
    for i in range(100):
        data = _png(i)
        digest = hashlib.sha256(data).hexdigest()
        blob = MediaBlob(sha256=digest, size=len(data), content_type="image/png")
        blob.file.save(f"{digest[:2]}/{digest}", ContentFile(data), save=False)
        blob.save(force_insert=True)
        blobs.append(blob)
    now = timezone.now().isoformat()
    last_post = None
    for start in range(0, n, chunk):
        rows, links = [], []
        for i in range(start, min(start + chunk, n)):
            if i % 5 == 4 and last_post is not None:
                content = {
                    "comment_id": i,
                    "channel": "news",
                    "post_id": last_post,
                    "author_name": f"Resident {i}",
                    "author_handle": "",
                    "text": "Is the detour signed for trucks as well?",
                    "url": "",
                    "created_at": now,
                    "external_id": "",
                    "screening": [],
                }
                rows.append(
                    Record(
                        kind="comment",
                        source_type="posts.comment",
                        source_id=i,
                        source_version="received",
                        published_at=timezone.now(),
                        channel_slugs=["news"],
                        author_username=f"Resident {i}",
                        title=f"Comment by Resident {i}",
                        text=content["text"],
                        content=content,
                        sha256=Record.hash_of(content),
                        series=series,
                        schedule=schedule,
                        parent_id=last_post,
                    )
                )
                continue
            media = [blobs[i % 100]] if i % 10 == 0 else []
            revision = {
                "at": now,
                "by": "smo",
                "reason": "Draft created",
                "version": 1,
                "status": "draft",
                "title": f"Highway 111 closure {i}",
                "body": BODY,
                "translation_body": "",
            }
            content = {
                "post_id": i,
                "version": 1,
                "title": f"Highway 111 closure {i}",
                "body": BODY,
                "category": "traffic",
                "translation_language": "",
                "translation_body": "",
                "channels": ["news"],
                "incident": None,
                "author": "smo",
                "approval_path": "supervisor",
                "approved_by": "supervisor",
                "approved_at": now,
                "published_by": "smo",
                "published_at": now,
                "publications": [
                    {
                        "channel": "news",
                        "status": "published",
                        "external_id": str(i),
                        "url": f"https://police.example.gov/news/{i}-highway-111-closure/",
                        "published_at": now,
                        "version": 1,
                    }
                ],
                "media": [
                    {
                        "sha256": b.sha256,
                        "name": "closure.png",
                        "content_type": "image/png",
                        "alt_text": "Crews at the water main break",
                        "size": b.size,
                    }
                    for b in media
                ],
                "reviews": [
                    {
                        "route": "supervisor",
                        "status": "approved",
                        "version": 1,
                        "submitted_by": "smo",
                        "submitted_at": now,
                        "decided_by": "supervisor",
                        "decided_at": now,
                        "note": "",
                        "findings": [
                            {
                                "rule": "a11y.readability",
                                "section": "385.4",
                                "severity": "info",
                                "excerpt": "",
                                "explanation": "Grade 9 reading level.",
                                "acknowledged_by": None,
                                "acknowledged_at": None,
                            }
                        ],
                        "comments": [],
                    }
                ],
                "revisions": [
                    revision,
                    {**revision, "reason": "post.submitted", "status": "in_review"},
                    {**revision, "reason": "post.published", "status": "published"},
                ],
            }
            rows.append(
                Record(
                    kind="post",
                    source_type="posts.post",
                    source_id=i,
                    source_version="v1",
                    published_at=timezone.now(),
                    channel_slugs=["news"],
                    author_username="smo",
                    title=content["title"],
                    text=BODY,
                    content=content,
                    sha256=Record.hash_of(content),
                    series=series,
                    schedule=schedule,
                )
            )
            if media:
                links.append((len(rows) - 1, media))
        with transaction.atomic():
            made = Record.objects.bulk_create(rows)
            Record.media.through.objects.bulk_create(
                Record.media.through(record_id=made[index].pk, mediablob_id=m.pk)
                for index, media in links
                for m in media
            )
        posts = [r.pk for r in made if r.kind == "post"]
        last_post = posts[-1] if posts else last_post
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def build_in_this_process(export_id: int):
    """The child: build one export as a worker would, and report its time and peak memory."""
    import django

    django.setup()
    from retention.exports.bag import build_export

    phases, current = {}, {"phase": None, "since": 0.0}

    def observe(phase: str, done: int, total: int):
        if phase != current["phase"]:
            now = time.perf_counter()
            if current["phase"]:
                phases[current["phase"]] = now - current["since"]
            current.update(phase=phase, since=now)

    started = time.perf_counter()
    export = build_export(export_id, observer=observe)
    seconds = time.perf_counter() - started
    phases[current["phase"]] = started + seconds - current["since"]
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mib": peak_kib / 1024,
                "status": export.status,
                "phases": phases,
                "error": export.error,
                "records": export.done,
                "size": export.size,
            }
        )
    )


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build_in_this_process(args.build)
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database this script may drop and create.")
    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    os.environ["MEDIA_ROOT"] = str(work / "media")
    os.environ["EXPORT_DIR"] = str(work / "exports")
    recreate_database()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from retention.exports.services import start_export
    from retention.exports.verify import verify_package

    try:
        seeded = seed(args.records)
        custodian = get_user_model().objects.get(username="custodian")
        export = start_export(
            actor=custodian,
            purpose="ediscovery",
            query={},
            include_dat=True,
            enqueue=False,
            reason="Benchmark: every kept record",
        )
        child = subprocess.run(
            [sys.executable, __file__, "--build", str(export.pk)],
            env=os.environ,
            capture_output=True,
            text=True,
            check=True,
        )
        built = json.loads(child.stdout.strip().splitlines()[-1])
        if built["status"] != "done":
            raise SystemExit(f"export failed: {built['error']}")
        export.refresh_from_db()
        started = time.perf_counter()
        verification = verify_package(export.path, workdir=work)
        verify_seconds = time.perf_counter() - started
        unpacked = work / "unpacked"
        shutil.unpack_archive(export.path, unpacked)
        (bag,) = unpacked.iterdir()
        files = [p for p in bag.rglob("*") if p.is_file()]
        payload_bytes = sum(p.stat().st_size for p in files)
        sha_seconds = timed(["sh", "-c", "find . -type f -print0 | xargs -0 sha256sum > /dev/null"], bag)
        zip_seconds = timed(["zip", "-q", "-r", str(work / "raw.zip"), "."], bag)
        raw_zip = (work / "raw.zip").stat().st_size
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        records = built["records"]
        print(f"cores: {os.cpu_count()}; PostgreSQL {server}; Python {sys.version.split()[0]}")
        print(f"seed {records} records (bulk inserts): {seeded:.1f} s")
        print(
            f"export (e-discovery, DAT, no PDF), built in a fresh process: {records} records in "
            f"{built['seconds']:.1f} s = {records / built['seconds']:,.0f} records/s; peak RSS "
            f"{built['peak_mib']:.0f} MiB; ZIP {export.size / 1e6:,.1f} MB, {len(files)} files, "
            f"{payload_bytes / 1e6:,.1f} MB unpacked"
        )
        print("  phases: " + "; ".join(f"{name} {secs:.1f} s" for name, secs in built["phases"].items()))
        print(
            f"verify_export of that ZIP: {verify_seconds:.1f} s; "
            f"{'OK' if verification.ok else verification.problems[:3]}, {verification.files} files"
        )
        print(
            f"same files, standard tools: sha256sum {sha_seconds:.1f} s; zip -r (Info-ZIP, deflate -6) "
            f"{zip_seconds:.1f} s, {raw_zip / 1e6:,.1f} MB"
        )
        if not verification.ok:
            raise SystemExit("the package does not verify")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if not args.keep:
            drop_database()


if __name__ == "__main__":
    main()
