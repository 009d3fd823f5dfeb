"""Exporting records as a BagIt package (ZIP), beside what standard tools take to hash and zip the same bytes, with
the stores in local folders and then on S3. Run on PostgreSQL for the recorded figures:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/socialgov_bench_export SECRET_KEY=bench HTTPS=0 \
        STATIC_MANIFEST=0 .venv/bin/python bench/export.py --records 20000

The database named in DATABASE_URL is dropped and created afresh, and dropped again at the end (--keep keeps it):
records cannot be deleted on PostgreSQL (retention/migrations/0002). Media and packages go to a temporary folder.

The records are written with bulk inserts in the captured-content format (a post with its publication, a review
with a finding, three revisions; one record in five a public comment linked to its post; one post in ten with a
photo, 100 distinct photos). The export (e-discovery, every kept record, with the DAT load file, no PDF) is then
built in a fresh process, as a worker would, so its peak memory is the build's own. The package is read back from
the exports store, unpacked, and the same files are hashed with `sha256sum` and zipped with `zip -r` (Info-ZIP);
ratio = (sha256sum + zip) / export, so 1.0 would be as fast as the standard tools; the same with CPU seconds (the
export process's own; PostgreSQL's are not counted) for a machine whose other load moves wall times.

Then the same export is built again with the four stores on S3: an S3 server (moto in server mode, as the tests
start it: tests/s3_server.py) on loopback, fresh buckets, the photos copied into the records bucket with their
versions. `--no-s3` leaves that out.
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

S3_KEYS = (
    "S3_BUCKET",
    "S3_RECORDS_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
)

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


def high_water_mib() -> float:
    """This process's peak resident memory. (Not getrusage's ru_maxrss: Linux carries that over from the parent
    across exec, so a child started by a process that had seeded the data would report the parent's peak.)"""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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

    before, start_mib = resource.getrusage(resource.RUSAGE_SELF), high_water_mib()
    started = time.perf_counter()
    export = build_export(export_id, observer=observe)
    seconds = time.perf_counter() - started
    phases[current["phase"]] = started + seconds - current["since"]
    after = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "seconds": seconds,
                # CPU time of this process: the machine is shared, and wall time moves with the other load on it.
                "cpu_seconds": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
                "start_mib": start_mib,
                "peak_mib": high_water_mib(),
                "status": export.status,
                "phases": phases,
                "error": export.error,
                "records": export.done,
                "size": export.size,
            }
        )
    )


def prepare_s3():
    """The child, with the S3 environment: create the buckets and copy the photos into the records bucket, each
    recording its object version as capture does."""
    import django

    django.setup()
    from core.storage import create_buckets, get, write_once
    from retention.models import MediaBlob

    create_buckets()
    records = get("records")
    folder = Path(os.environ["MEDIA_ROOT"])
    for blob in MediaBlob.objects.all():
        written = write_once(records, blob.file.name, (folder / blob.file.name).read_bytes())
        MediaBlob.objects.filter(pk=blob.pk).update(version=written.version)


def build_child(export_id: int, env: dict) -> dict:
    child = subprocess.run(
        [sys.executable, __file__, "--build", str(export_id)], env=env, capture_output=True, text=True, check=True
    )
    built = json.loads(child.stdout.strip().splitlines()[-1])
    if built["status"] != "done":
        raise SystemExit(f"export failed: {built['error']}")
    return built


def report(label: str, built: dict, size: int, files: int, payload_bytes: int, standard: tuple) -> str:
    records = built["records"]
    phases = "; ".join(f"{name} {secs:.1f} s" for name, secs in built["phases"].items())
    return (
        f"{label}: {records} records in {built['seconds']:.1f} s = {records / built['seconds']:,.0f} records/s; "
        f"ratio {standard[0] / built['seconds']:.2f}; CPU {built['cpu_seconds']:.1f} s (CPU ratio "
        f"{standard[1] / built['cpu_seconds']:.2f}); peak RSS {built['peak_mib']:.0f} "
        f"MiB (before the build {built['start_mib']:.0f} MiB); ZIP {size / 1e6:,.1f} MB, "
        f"{files} files, {payload_bytes / 1e6:,.1f} MB unpacked\n  phases: {phases}"
    )


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, of the command and what it starts) of a command."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - started, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-s3", action="store_true", help="only the local folders")
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--prepare-s3", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build_in_this_process(args.build)
        return
    if args.prepare_s3:
        prepare_s3()
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database this script may drop and create.")
    for key in S3_KEYS:
        os.environ.pop(key, None)  # the first run is on local folders, whatever this shell has set
    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    os.environ["MEDIA_ROOT"] = str(work / "media")
    os.environ["EXPORT_DIR"] = str(work / "exports")
    recreate_database()
    import logging

    import django

    django.setup()
    logging.getLogger("bagit").setLevel(logging.WARNING)  # it logs a line per file it verifies
    from django.contrib.auth import get_user_model
    from django.db import connection

    from core import storage
    from retention.exports.services import start_export
    from retention.exports.verify import verify_package

    server = None
    try:
        seeded = seed(args.records)
        custodian = get_user_model().objects.get(username="custodian")

        def export_all(reason: str):
            return start_export(
                actor=custodian, purpose="ediscovery", query={}, include_dat=True, enqueue=False, reason=reason
            )

        export = export_all("Benchmark: every kept record")
        built = build_child(export.pk, dict(os.environ))
        export.refresh_from_db()
        package = work / export.file_name
        with storage.get("exports").open(export.file_name, "rb") as source, open(package, "wb") as sink:
            shutil.copyfileobj(source, sink, 1 << 20)
        started = time.perf_counter()
        verification = verify_package(package, workdir=work)
        verify_seconds = time.perf_counter() - started
        unpacked = work / "unpacked"
        shutil.unpack_archive(package, unpacked)
        (bag,) = unpacked.iterdir()
        files = [p for p in bag.rglob("*") if p.is_file()]
        payload_bytes = sum(p.stat().st_size for p in files)
        sha_seconds, sha_cpu = timed(["sh", "-c", "find . -type f -print0 | xargs -0 sha256sum > /dev/null"], bag)
        zip_seconds, zip_cpu = timed(["zip", "-q", "-r", str(work / "raw.zip"), "."], bag)
        raw_zip = (work / "raw.zip").stat().st_size
        standard = (sha_seconds + zip_seconds, sha_cpu + zip_cpu)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server_version = cursor.fetchone()[0]
        records = built["records"]
        print(f"cores: {os.cpu_count()}; PostgreSQL {server_version}; Python {sys.version.split()[0]}")
        print(f"seed {records} records (bulk inserts): {seeded:.1f} s")
        print(
            f"same files, standard tools: sha256sum {sha_seconds:.1f} s + zip -r (Info-ZIP, deflate -6) "
            f"{zip_seconds:.1f} s = {standard[0]:.1f} s (CPU {standard[1]:.1f} s), {raw_zip / 1e6:,.1f} MB"
        )
        print(report("export, local folders", built, export.size, len(files), payload_bytes, standard))
        print(
            f"verify_export of that ZIP: {verify_seconds:.1f} s; "
            f"{'OK' if verification.ok else verification.problems[:3]}, {verification.files} files"
        )
        if not verification.ok:
            raise SystemExit("the package does not verify")
        if args.no_s3:
            return

        from tests.s3_server import CREDENTIALS, S3Server, bucket_names, s3_environment

        server = S3Server(work)
        server.start()
        bucket, records_bucket = bucket_names()
        s3_env = {**os.environ, **s3_environment(server.endpoint, bucket, records_bucket)}
        subprocess.run([sys.executable, __file__, "--prepare-s3"], env=s3_env, check=True)
        on_s3 = export_all("Benchmark: every kept record, stores on S3")
        built_s3 = build_child(on_s3.pk, s3_env)
        on_s3.refresh_from_db()
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=server.endpoint,
            region_name="us-east-1",
            **{
                "aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
                "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            },
        )
        from_s3 = work / f"s3-{on_s3.file_name}"
        client.download_file(bucket, f"exports/{on_s3.file_name}", str(from_s3))
        checked = verify_package(from_s3, workdir=work)
        print(report("export, S3 stores (moto on loopback)", built_s3, on_s3.size, len(files), payload_bytes, standard))
        print(f"  the package in the exports bucket: {'verifies' if checked.ok else checked.problems[:3]}")
        if not checked.ok:
            raise SystemExit("the package stored on S3 does not verify")
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
        if not args.keep:
            drop_database()


if __name__ == "__main__":
    main()
