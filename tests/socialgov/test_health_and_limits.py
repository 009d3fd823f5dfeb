"""What the public can learn and do without signing in: /healthz says only up or down (staff see why), and the
comment form's hourly limit holds even when the client's address is not known."""

import json
import socket
import time

import pytest
from django.test import Client

from moderation import services as review
from posts import services as posts
from posts.models import Comment
from tests.factories import UserFactory
from tests.posts.factories import draft
from tests.website.test_public_pages import url_of

pytestmark = pytest.mark.django_db


def _broker_down(monkeypatch):
    from socialgov import views

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(views.celery_app, "connection_for_write", refuse)


# /healthz -----------------------------------------------------------------------------------------------------


def test_healthz_tells_anonymous_callers_only_up_or_down(monkeypatch):
    up = Client().get("/healthz")
    assert (up.status_code, json.loads(up.content)) == (200, {"status": "ok"})
    _broker_down(monkeypatch)
    down = Client().get("/healthz")
    assert (down.status_code, json.loads(down.content)) == (503, {"status": "down"})
    assert b"ConnectionRefusedError" not in down.content


def test_healthz_details_are_for_signed_in_staff_only(monkeypatch, signed_in, member):
    _broker_down(monkeypatch)
    for caller in (Client(), signed_in(member)):
        response = caller.get("/healthz")
        assert (response.status_code, json.loads(response.content)) == (503, {"status": "down"})
    staff = signed_in(UserFactory(username="operator", is_staff=True))
    body = json.loads(staff.get("/healthz").content)
    assert body["status"] == "down" and body["database"]["ok"] is True and body["database"]["detail"]
    assert body["broker"] == {"ok": False, "detail": "ConnectionRefusedError"}


def test_healthz_answers_down_within_a_second_when_redis_does_not_answer():
    """A load balancer's probe gives up after a few seconds; a down broker must be reported, not waited on."""
    from socialgov.celery import app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"redis://127.0.0.1:{s.getsockname()[1]}/0"
    saved = app.conf.broker_url
    app.conf.broker_url = closed
    try:
        started = time.monotonic()
        response = Client().get("/healthz")
        elapsed = time.monotonic() - started
    finally:
        app.conf.broker_url = saved
    assert (response.status_code, json.loads(response.content)) == (503, {"status": "down"})
    assert elapsed < 1.0, f"/healthz took {elapsed:.1f}s"


# The comment form's rate limit ------------------------------------------------------------------------------------


@pytest.fixture
def live_post(author, channel, supervisor, django_capture_on_commit_callbacks):
    post = draft(author, [channel], title="Road work")
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=post)
    post.refresh_from_db()
    return post


def test_comments_from_an_unknown_address_are_still_rate_limited(live_post, settings):
    settings.COMMENT_RATE_PER_HOUR = 3
    link = url_of(live_post)
    answers = [
        Client().post(link, {"name": "A", "text": f"Question {i}"}, REMOTE_ADDR="").status_code for i in range(5)
    ]
    assert answers == [302, 302, 302, 400, 400]
    refused = Client().post(link, {"name": "A", "text": "One more"}, REMOTE_ADDR="")
    assert "try again later" in refused.content.decode()
    assert Comment.objects.count() == 3
    known = Client().post(link, {"name": "B", "text": "Hi"}, REMOTE_ADDR="203.0.113.8")
    assert known.status_code == 302 and Comment.objects.count() == 4  # an address of its own is counted on its own
