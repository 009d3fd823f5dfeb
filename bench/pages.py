"""Queries and time per page for the review queue, dashboard, post list and post page at 10 and 1,000 posts.

Run:  SECRET_KEY=bench HTTPS=0 STATIC_MANIFEST=0 .venv/bin/python bench/pages.py
      (add DATABASE_URL=postgres://... to measure on PostgreSQL). It builds a throwaway test database.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main():
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run():
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from moderation.models import Review
    from posts.models import Channel, Post

    call_command("seed_demo", verbosity=0)
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    channels = list(Channel.objects.all())

    def add(n):
        now = timezone.now()
        made = Post.objects.bulk_create(
            Post(
                title=f"Bench {i}",
                body="Bench body " * 20,
                category="announcement",
                author=users["smo"],
                status=Post.Status.IN_REVIEW,
                submitted_at=now,
            )
            for i in range(n)
        )
        Post.channels.through.objects.bulk_create(
            Post.channels.through(post_id=p.pk, channel_id=c.pk) for p in made for c in channels
        )
        Review.objects.bulk_create(
            Review(post=p, route="supervisor", post_version=1, submitted_by=users["smo"], submitted_at=now)
            for p in made
        )

    client = Client()
    supervisor = users["supervisor"]
    client.force_login(supervisor)
    device = TOTPDevice.objects.get(user=supervisor)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    post_pk = Post.objects.filter(status="in_review", incident__isnull=True).first().pk
    pages = {
        "review queue": "/review/",
        "dashboard": "/",
        "post list": "/posts/",
        "post page": f"/posts/{post_pk}/",
        "review page": f"/review/{post_pk}/",
    }

    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    print(f"{'page':<14}{'posts':>7}{'queries':>9}{'median ms':>11}{'p95 ms':>9}")
    existing = Post.objects.count()
    for target in (10, 1000):
        add(max(0, target - Post.objects.count() + existing))
        for name, url in pages.items():
            client.get(url)
            counted = []

            def count(execute, sql, params, many, context, counted=counted):
                counted.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                assert client.get(url).status_code == 200
            times = []
            for _ in range(30):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            print(f"{name:<14}{target:>7}{len(counted):>9}{statistics.median(times):>11.1f}{times[28]:>9.1f}")


if __name__ == "__main__":
    main()
