"""Capturing posts with photos into local folders and into S3, in one run: the same number of published posts, each
with a photo of its own, captured through the real task path (`capture_posts_batch_task`, chunks of 500), once with
the stores in folders on this machine and once with them in S3 buckets on a moto server (the records bucket with
Object Lock, so every photo is a conditional PUT with a retention date, then a lock refresh once the record is filed).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/socialgov_bench_capture_s3 SECRET_KEY=bench HTTPS=0 \
        STATIC_MANIFEST=0 .venv/bin/python bench/capture_storage.py --posts 2000

The database named in DATABASE_URL is dropped and created afresh, and dropped at the end. The moto server is a
process of this run's own on a free loopback port. Each photo is a distinct JPEG of about 60 KB.
"""

import argparse
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")

from _database import drop_database, recreate_database  # noqa: E402


def photo(seed: int) -> bytes:
    from PIL import Image

    rng = random.Random(seed)
    image = Image.effect_noise((320, 240), 40 + seed % 50).convert("RGB")
    image.putpixel((rng.randrange(320), rng.randrange(240)), (seed % 256, 0, 0))  # every photo distinct
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def attach_photos(post_ids: list[int], uploader) -> None:
    """One photo per post, stored through the default store (a folder or the S3 bucket) as an upload would be."""
    import hashlib

    from django.core.files.base import ContentFile

    from posts.models import Attachment

    rows = []
    for pk in post_ids:
        data = photo(pk)
        attachment = Attachment(
            post_id=pk,
            kind=Attachment.Kind.IMAGE,
            original_name=f"scene-{pk}.jpg",
            content_type="image/jpeg",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            alt_text="Officers at the scene",
            uploaded_by=uploader,
        )
        attachment.file.save(f"scene-{pk}.jpg", ContentFile(data), save=False)
        rows.append(attachment)
    Attachment.objects.bulk_create(rows, batch_size=500)


def capture(post_ids: list[int], chunk: int = 500) -> float:
    from retention.bulk_capture import capture_posts_batch_task

    start = time.perf_counter()
    for i in range(0, len(post_ids), chunk):
        capture_posts_batch_task.apply(args=[post_ids[i : i + chunk]])
    return time.perf_counter() - start


def use_s3(endpoint: str) -> None:
    """From here on the stores are S3 buckets on `endpoint`, as a production setting would make them."""
    import django.test.signals  # noqa: F401 - resets the stores when STORAGES changes
    from django.conf import settings
    from django.test import override_settings

    from core.storage import create_buckets, stores

    tag = os.urandom(4).hex()
    bucket, records_bucket = f"bench-{tag}", f"bench-{tag}-records"
    override_settings(
        S3_BUCKET=bucket,
        S3_RECORDS_BUCKET=records_bucket,
        S3_ENDPOINT_URL=endpoint,
        STORAGES={
            **settings.STORAGES,
            **stores(
                bucket=bucket,
                records_bucket=records_bucket,
                endpoint_url=endpoint,
                region=settings.S3_REGION,
                presigned_seconds=300,
            ),
        },
    ).enable()
    create_buckets()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-capture-storage-"))
    os.environ.setdefault("MEDIA_ROOT", str(folder / "media"))
    recreate_database()
    import django

    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = folder / "media"

    from capture import build

    from retention.models import MediaBlob, Record
    from tests.s3_server import CREDENTIALS, S3Server

    os.environ.update(CREDENTIALS)
    server = S3Server(folder)
    server.start()
    try:
        post_ids, _ = build(2 * args.posts)
        from django.contrib.auth import get_user_model

        smo = get_user_model().objects.get(username="smo")
        local, remote = post_ids[: args.posts], post_ids[args.posts :]
        results = {}

        attach_photos(local, smo)
        seconds = capture(local)
        results["folders"] = (seconds, MediaBlob.objects.count())

        use_s3(server.endpoint)
        attach_photos(remote, smo)
        before = MediaBlob.objects.count()
        seconds = capture(remote)
        results["S3 (moto, Object Lock)"] = (seconds, MediaBlob.objects.count() - before)

        assert Record.objects.filter(source_type="posts.post").count() == 2 * args.posts
        print(f"{args.posts} posts with one photo each, captured through capture_posts_batch_task (chunks of 500)")
        print("| stores | seconds | records/s | media objects |")
        print("|---|---|---|---|")
        for name, (seconds, blobs) in results.items():
            print(f"| {name} | {seconds:.1f} | {args.posts / seconds:,.0f} | {blobs} |")
        ratio = results["folders"][0] / results["S3 (moto, Object Lock)"][0]
        print(f"S3 runs at {ratio:.2f} of the folders' rate")
    finally:
        server.stop()
        drop_database()


if __name__ == "__main__":
    main()
