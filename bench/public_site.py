"""The department website during an emergency (385.4(e)): everyone reloads the news at once.

Builds a fresh PostgreSQL database (migrate, seed_demo, a few dozen published posts, one of them real-time safety
information), points the cache at a Redis database of its own, starts gunicorn on loopback and drives each page with
`wrk` at 64 connections: /news/, a post page, the RSS feed, /es/news/, and a static file of the same size as /news/
served by whitenoise (the floor: what the same stack answers with no view at all). Also times, in-process, a page
drawn afresh against one served from the page cache. Run from the repository root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/socialgov_site REDIS_URL=redis://127.0.0.1:6379/11 \
        SECRET_KEY=bench HTTPS=0 STATIC_MANIFEST=0 .venv/bin/python bench/public_site.py

(needs `wrk`: apt-get install wrk). The database named in DATABASE_URL is dropped and recreated; the cache's keys
carry a prefix of this run's own, so nothing else in that Redis database is touched.
"""

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("CACHE_KEY_PREFIX", f"bench-{uuid.uuid4().hex[:8]}")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
STATIC_ROOT = Path(os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="bench-static-")))

from bench._database import drop_database, recreate_database  # noqa: E402 - the path above makes it importable

POSTS = 40
# wrk's own summary has no p95; its Lua hook reads any percentile from the same histogram.
REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f %.3f %d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


def build() -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from posts.models import Channel, Post, Publication
    from posts.public_views import public_slug

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    smo = get_user_model().objects.get(username="smo")
    website = Channel.objects.get(slug="news")
    now = timezone.now()
    made = Post.objects.bulk_create(
        Post(
            title="Shelter in place: gas leak on Elm Street" if i == POSTS - 1 else f"Road work on Route {i}",
            body=("Residents between 3rd and 7th Avenue stay indoors and close windows. " if i == POSTS - 1 else "")
            + "Traffic advisory for the week. " * 20,
            category="real_time_safety" if i == POSTS - 1 else "traffic",
            author=smo,
            status=Post.Status.PUBLISHED,
            approved_at=now,
            published_at=now + timedelta(seconds=i),
            approval_path="supervisor",
        )
        for i in range(POSTS)
    )
    Post.channels.through.objects.bulk_create(Post.channels.through(post_id=p.pk, channel_id=website.pk) for p in made)
    Publication.objects.bulk_create(
        Publication(
            post=p,
            channel=website,
            post_version=1,
            status=Publication.Status.PUBLISHED,
            idempotency_key=f"bench-{p.pk}",
            external_id=str(p.pk),
            published_at=now,
            url=f"http://127.0.0.1/news/{public_slug(p.pk, p.title)}/",
        )
        for p in made
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    emergency = made[-1]
    return {
        "/news/": "/news/",
        "post page": f"/news/{public_slug(emergency.pk, emergency.title)}/",
        "/news/feed/rss/": "/news/feed/rss/",
        "/es/news/": "/es/news/",
    }


def in_process_times(paths: dict) -> dict:
    """Median ms of a page drawn afresh (the generation forgotten before each) and of one served from the cache."""
    from django.test import Client

    from posts.page_cache import forget_pages

    client, rows = Client(), {}
    for name, path in paths.items():
        fresh, kept = [], []
        for _ in range(30):
            forget_pages()
            start = time.perf_counter()
            assert client.get(path).status_code == 200
            fresh.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            assert client.get(path).status_code == 200
            kept.append((time.perf_counter() - start) * 1000)
        rows[name] = (statistics.median(fresh), statistics.median(kept))
    return rows


def static_twin(path: str) -> str:
    """A static file exactly as large as the page, written where whitenoise serves from."""
    from django.test import Client

    size = len(Client().get(path).content)
    (STATIC_ROOT / "bench").mkdir(parents=True, exist_ok=True)
    (STATIC_ROOT / "bench" / "twin.html").write_bytes((b"<p>static twin</p>\n" * (size // 19 + 1))[:size])
    return "/static/bench/twin.html", size


def wrk(url: str, seconds: int, connections: int, threads: int, script: str) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", script, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = re.search(r"RESULT (\d+) (\d+) (\S+) (\S+) (\S+) (\S+) (\d+)", out)
    requests, micros, p50, p95, p99, worst, errors = found.groups()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "rps": int(requests) / (int(micros) / 1e6),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "max": float(worst),
        "errors": int(errors),
        "wrk_cpu": cpu / seconds,  # cores the load generator itself used
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=4, help="deploy/gunicorn.conf.py's default on 2 cores")
    parser.add_argument("--threads", type=int, default=1, help="1 runs sync workers, more gthread workers")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL (a Redis database number of the benchmark's own).")

    recreate_database()
    paths = build()
    static_path, size = static_twin("/news/")
    times = in_process_times(paths)
    paths["static file"] = static_path

    worker = ["--worker-class", "gthread", "--threads", str(args.threads)] if args.threads > 1 else []
    env = {**os.environ, "DEBUG": "0"}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "socialgov.wsgi", "--workers", str(args.workers), *worker]
        + ["--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(REPORT)
    script.close()
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/news/", timeout=2)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        for path in paths.values():
            for _ in range(20):  # every worker process draws and keeps the pages (and opens its connections)
                urllib.request.urlopen(f"{base}{path}", timeout=5).read()  # noqa: S310 - loopback
        version = subprocess.run(["redis-cli", "-u", os.environ["REDIS_URL"], "INFO", "server"], capture_output=True)
        redis = re.search(rb"redis_version:(\S+)", version.stdout)
        print(
            f"cores: {os.cpu_count()}; PostgreSQL; Redis {redis.group(1).decode() if redis else '?'}; gunicorn "
            f"{args.workers} {'gthread' if worker else 'sync'} workers x {args.threads} threads; "
            f"wrk -t{args.wrk_threads} -c{args.connections} -d{args.seconds}s; {POSTS} posts; /news/ is {size} bytes"
        )
        print("in process (Django test client), median ms: drawn afresh / from the page cache")
        for name, (fresh, kept) in times.items():
            print(f"  {name:<16} {fresh:7.2f} / {kept:5.2f}")
        results = {}
        for name, path in paths.items():
            r = results[name] = wrk(f"{base}{path}", args.seconds, args.connections, args.wrk_threads, script.name)
            errors = f"  ({r['errors']} errors!)" if r["errors"] else ""
            print(
                f"{name:<16} {r['rps']:8.0f} req/s  p50 {r['p50']:6.2f} ms  p95 {r['p95']:6.2f} ms  "
                f"p99 {r['p99']:6.2f} ms  max {r['max']:7.2f} ms  wrk used {r['wrk_cpu']:.2f} cores{errors}"
            )
        floor = results["static file"]["rps"]
        for name in paths:
            if name != "static file":
                print(f"{name:<16} {results[name]['rps'] / floor:.2f} of the static file's req/s")
    finally:
        server.terminate()
        server.wait(timeout=20)
        os.unlink(script.name)
        drop_database()


if __name__ == "__main__":
    main()
