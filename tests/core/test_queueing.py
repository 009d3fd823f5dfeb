"""Work queued after an action commits never fails the action (core.queueing): with the broker unreachable the
form answers at once without an error, the action and its outbox rows are saved, and the work waits for its
sweeper. Needs no broker: it points Celery at a port where nothing listens."""

import socket
import time

import pytest

from core import queueing
from core.models import Notification
from moderation.models import ContentReport, Review
from moderation.screening.base import screen_text
from posts.models import Post, Publication
from tests.posts.factories import draft

# Committed for real: work is queued when the action's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)

# Generous: before, the result store's reconnections alone kept a request waiting 19 s.
ANSWER_WITHIN = 3.0


@pytest.fixture
def broker_unreachable(monkeypatch):
    """Broker and result store on a closed port, tasks sent (not run in this process as unit tests do)."""
    from socialgov.celery import app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"redis://127.0.0.1:{s.getsockname()[1]}/0"
    warm_up_screening()
    saved = (app.conf.broker_url, app.conf.result_backend)
    app.conf.broker_url, app.conf.result_backend = url, url
    _fresh_connections(app)
    app.conf.task_always_eager = False  # set back by tests/conftest.py
    monkeypatch.setattr(queueing, "_unreachable_until", 0.0)  # and again afterwards, for the tests that follow
    yield
    app.conf.broker_url, app.conf.result_backend = saved
    _fresh_connections(app)


def warm_up_screening():
    """A process loads the screening models on first use, a few seconds whatever the broker does; load them
    before the clock starts."""
    screen_text("Road closed on Main Street until noon.", kind="post")
    screen_text("Thanks for the update.", kind="comment")


def _fresh_connections(app):
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


def timed_post(client, url, data=None):
    started = time.monotonic()
    response = client.post(url, data or {})
    elapsed = time.monotonic() - started
    assert elapsed < ANSWER_WITHIN, f"POST {url} took {elapsed:.1f}s"
    assert response.status_code == 302, response.status_code
    return response


def test_report_is_filed_and_its_notices_kept_while_the_broker_is_unreachable(
    broker_unreachable, signed_in, member, supervisor, supervisor2
):
    timed_post(
        signed_in(member),
        "/reports/new/",
        {"section": "385.5(a)", "description": "Insulting reply on the page", "link": "https://example.org/p/1"},
    )
    report = ContentReport.objects.get()
    assert report.description == "Insulting reply on the page"
    notices = Notification.objects.filter(event="report.filed")
    assert sorted(n.recipient.username for n in notices) == ["supervisor", "supervisor2"]
    assert all(n.sent_at is None for n in notices)  # waiting for send_pending_notifications


def test_post_is_submitted_approved_and_published_while_the_broker_is_unreachable(
    broker_unreachable, signed_in, author, channel, supervisor
):
    post = draft(author, [channel], title="Parade route")
    timed_post(signed_in(author), f"/posts/{post.pk}/submit/")
    timed_post(signed_in(supervisor), f"/review/{post.pk}/", {"action": "approve"})
    timed_post(signed_in(author), f"/posts/{post.pk}/publish/")
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    # Delivery waits for sweep_publications, the record for archive_published.
    assert list(post.publications.values_list("status", flat=True)) == [Publication.Status.PENDING]
    assert Review.objects.get(post=post).status == Review.Status.APPROVED
