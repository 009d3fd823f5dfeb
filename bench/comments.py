"""Screening and queueing one public comment, and the monitoring queue at 10 and 10,000 comments.

SECRET_KEY=bench HTTPS=0 STATIC_MANIFEST=0 [DATABASE_URL=postgres://...] .venv/bin/python bench/comments.py
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

TEXTS = [
    "Thank you officers for the quick response on Monroe Street last night!",
    "Is the road closure on Highway 111 still in effect this morning? My commute goes through there.",
    "You people are useless and the chief is an idiot.",
    "I am going to shoot the officers at the station tonight.",
    "Check out cheap watches at www.example-shop.biz best prices!!!",
    "My neighbor John Smith at 123 Elm St, Indio is selling drugs, his phone is 760-555-0142.",
]


def main():
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.COMMENT_RATE_PER_HOUR = 10**9
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


def run():
    from django.core.management import call_command
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from posts.models import Channel, Comment, Post
    from posts.publishing.intake import receive_comment
    from socialgov.celery import app

    app.conf.task_always_eager = True
    call_command("seed_demo", verbosity=0)
    post = Post.objects.get(status="published")
    channel = Channel.objects.get(slug="news")
    from django.contrib.auth import get_user_model

    smo = get_user_model().objects.get(username="smo")
    client = Client()
    client.force_login(smo)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=smo).persistent_id
    session.save()

    def measure(label):
        client.get("/monitoring/?state=all")
        counted = []

        def count(execute, sql, params, many, context):
            counted.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get("/monitoring/?state=all")
        runs = []
        for _ in range(20):
            start = time.perf_counter()
            client.get("/monitoring/?state=all")
            runs.append((time.perf_counter() - start) * 1000)
        print(
            f"monitoring queue at {label:>6} comments: {len(counted)} queries, median {statistics.median(runs):.1f} ms"
        )

    for i in range(10):
        receive_comment(channel=channel, post=post, author_name=f"First {i}", text=TEXTS[i % len(TEXTS)])
    measure(str(Comment.objects.count()))
    receive_comment(channel=channel, post=post, author_name="Warm", text="warm up")
    times = []
    for i in range(300):
        text = TEXTS[i % len(TEXTS)] + f" ({i})"
        start = time.perf_counter()
        receive_comment(
            channel=channel, post=post, author_name=f"Visitor {i}", text=text, ip=f"10.0.{i // 250}.{i % 250}"
        )
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"database: {connection.vendor}; cores: {os.cpu_count()}")
    print(
        f"screen + store + queue one comment: median {statistics.median(times):.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.1f} ms over {len(times)} comments"
    )

    rows = [
        Comment(channel=channel, post=post, author_name=f"Bulk {i}", text=f"Bulk comment {i}")
        for i in range(10_000 - Comment.objects.count())
    ]
    Comment.objects.bulk_create(rows, batch_size=2000)
    measure(str(Comment.objects.count()))


if __name__ == "__main__":
    main()
