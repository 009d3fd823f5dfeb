"""How long pages and forms take while Redis answers, while it is stopped, and while it hangs.

Starts a private redis-server on a free port (broker, results and cache point at it), builds a fresh database with
the demo department, and times, in-process with Django's test client, the public site, a public comment, a content
report and /healthz in each state. Run on PostgreSQL for the recorded figures:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/socialgov_bench SECRET_KEY=bench HTTPS=0 STATIC_MANIFEST=0 \
        .venv/bin/python bench/redis_outage.py

The database named in DATABASE_URL is dropped and recreated.
"""

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

from tests.redis_server import RedisServer  # noqa: E402 - the path above makes the project importable

RUNS = 10


def _timed(call, i) -> tuple[float, int]:
    start = time.perf_counter()
    response = call(i)
    return (time.perf_counter() - start) * 1000, response.status_code


def measure(client, member_client, post, news) -> dict:
    rows = {}
    cases = {
        "GET /news/": lambda i: client.get("/news/"),
        "GET /news/<post>/": lambda i: client.get(news),
        "POST public comment": lambda i: client.post(
            news,
            {"name": f"Visitor {i}", "text": f"Thank you for the update number {i}."},
            REMOTE_ADDR=f"198.51.100.{i}",
        ),
        "POST /reports/new/": lambda i: member_client.post(
            "/reports/new/", {"section": "385.5(d)", "post": post.pk, "description": f"Wrong street name ({i})."}
        ),
        "GET /healthz": lambda i: client.get("/healthz"),
    }
    for name, call in cases.items():
        times, statuses = [], set()
        for i in range(RUNS):
            ms, status = _timed(call, i)
            times.append(ms)
            statuses.add(status)
        rows[name] = (statistics.median(times), max(times), sorted(statuses))
    return rows


def main():
    with tempfile.TemporaryDirectory() as folder:
        redis = RedisServer(Path(folder))
        redis.start()
        os.environ["REDIS_URL"] = redis.url(0)
        from bench._database import drop_database, recreate_database

        recreate_database()
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from posts.models import Post, Publication
        from posts.publishing.services import publish_publication

        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
        # No worker runs here: deliver the demo's website publications in this process.
        for pk in Publication.objects.filter(status="pending", channel__kind="website").values_list("pk", flat=True):
            publish_publication(pk)
        listing = Client().get("/news/").content.decode()
        news = re.search(r'href="(/news/\d+-[^"/]*/)"', listing).group(1)
        post = Post.objects.get(pk=int(news.split("/")[2].split("-")[0]))
        member = Client()
        member.post(
            "/accounts/login/", {"username": "member", "password": os.environ.get("DEMO_PASSWORD", "demo-pass-2026")}
        )
        results = {}
        try:
            results["Redis up"] = measure(Client(), member, post, news)
            redis.freeze()
            results["Redis hanging"] = measure(Client(), member, post, news)
            redis.thaw()
            redis.stop()
            results["Redis stopped"] = measure(Client(), member, post, news)
        finally:
            redis.stop()
            drop_database()
    print("| state | request | median ms | max ms | statuses |")
    print("|---|---|---|---|---|")
    for state, rows in results.items():
        for name, (median, worst, statuses) in rows.items():
            print(f"| {state} | {name} | {median:.0f} | {worst:.0f} | {', '.join(map(str, statuses))} |")


if __name__ == "__main__":
    main()
