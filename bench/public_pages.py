"""Public website pages under load: gunicorn on loopback, wrk as the load generator in a second process.

Builds a fresh database with N published posts (default 10,000), starts gunicorn, and measures the post list
and one post page. Run on PostgreSQL for the recorded figures:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/socialgov_bench SECRET_KEY=bench HTTPS=0 \
        .venv/bin/python bench/public_pages.py --posts 10000

(needs `wrk`: apt-get install wrk). The database named in DATABASE_URL is dropped and recreated.
"""

import argparse
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")


def build(n: int) -> str:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    from django.contrib.auth import get_user_model

    from posts.models import Channel, Post, Publication

    smo = get_user_model().objects.get(username="smo")
    website = Channel.objects.get(slug="news")
    now = timezone.now()
    existing = Post.objects.filter(title__startswith="Bench ").count()
    batch = []
    for i in range(existing, n):
        batch.append(
            Post(
                title=f"Bench {i}",
                body="Traffic advisory. " * 30,
                category="traffic",
                author=smo,
                status=Post.Status.PUBLISHED,
                approved_at=now,
                published_at=now,
                approval_path="supervisor",
            )
        )
        if len(batch) == 2000 or i == n - 1:
            made = Post.objects.bulk_create(batch)
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
                    external_id=f"{p.pk}-bench-{i}",
                    published_at=now,
                    url=f"http://127.0.0.1/news/{p.pk}/",
                )
                for p in made
            )
            batch = []
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics after the bulk load, as autovacuum would give
    from posts.public_views import public_slug

    sample = Post.objects.filter(title__startswith="Bench ").order_by("pk")[n // 2]
    return f"/news/{public_slug(sample.pk, sample.title)}/"


def wrk(url: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def grab(pattern):
        m = re.search(pattern, out)
        return m.group(1) if m else "?"

    return {
        "p50": grab(r"\n\s+50%\s+(\S+)"),
        "p90": grab(r"90%\s+(\S+)"),
        "p99": grab(r"99%\s+(\S+)"),
        "rps": grab(r"Requests/sec:\s+(\S+)"),
        "errors": "Non-2xx" in out or "Socket errors" in out,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    page = build(args.posts)
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "DEBUG": "0"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "socialgov.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/news/", timeout=2)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        from django.db import connection

        print(
            f"posts: {args.posts}; database: {connection.vendor}; cores: {os.cpu_count()}; "
            f"gunicorn 2 sync workers; wrk -t2 -d{args.seconds}s"
        )
        for connections in (2, 8):
            for name, path in (("post list", "/news/"), ("post list p.50", "/news/?page=50"), ("post page", page)):
                r = wrk(f"http://127.0.0.1:{args.port}{path}", args.seconds, connections)
                print(
                    f"c={connections} {name:<15} median {r['p50']:>8}  p90 {r['p90']:>8}  p99 {r['p99']:>8}  "
                    f"{r['rps']:>8} req/s{'  (errors!)' if r['errors'] else ''}"
                )
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
