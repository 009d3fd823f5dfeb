"""E-mail notifications leave through the outbox: a real worker sends them after commit, and the sweeper
sends what a lost message left behind."""

import email
from email.header import decode_header, make_header
from pathlib import Path

import pytest

from core.models import Notification
from core.notifications import pending_notification_ids
from core.tasks import send_pending_notifications_task
from moderation import services as review
from tests.posts.factories import draft
from tests.workers import celery_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_supervisor_is_emailed_by_the_worker_when_a_post_is_submitted(author, channel, supervisor, tmp_path):
    mailbox = tmp_path / "mail"
    env = {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(mailbox)}
    with celery_worker(env_extra=env):
        post = draft(author, [channel], title="Holiday safety tips")
        review.submit_for_review(actor=author, post=post)
        assert wait_for(lambda: Notification.objects.filter(sent_at__isnull=False).exists())
    raw = "".join(p.read_text() for p in Path(mailbox).glob("*.log")).split("-" * 79)[0]
    message = email.message_from_string(raw)
    assert message["To"] == "supervisor@police.example.gov"
    assert str(make_header(decode_header(message["Subject"]))) == "Awaiting your approval: “Holiday safety tips”"
    assert f"/review/{post.pk}/" in message.get_payload(decode=True).decode()


def test_sweeper_sends_what_a_lost_message_left_unsent(author, channel, supervisor, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core import mail

    # The broker "loses" the message: the row is written but no task is ever sent.
    Notification.objects.create(
        recipient=supervisor, event="review.requested", subject="Awaiting your approval", body="x"
    )
    Notification.objects.update(created_at=Notification.objects.get().created_at.replace(year=2020))
    assert len(pending_notification_ids()) == 1
    assert send_pending_notifications_task.apply().get() == 1
    assert [m.to for m in mail.outbox] == [["supervisor@police.example.gov"]]
    assert pending_notification_ids() == []
    assert send_pending_notifications_task.apply().get() == 0  # idempotent
