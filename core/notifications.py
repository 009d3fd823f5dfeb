"""E-mail notifications through an outbox: `notify()` inside a service's transaction, sent after commit."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification
from .queueing import enqueue_on_commit

MAX_ATTEMPTS = 8


def _tasks():
    from . import tasks  # cycle: the sending task calls back into this module

    return tasks


def notify(recipients, *, event: str, subject: str, body: str, url: str = "") -> list[Notification]:
    """Queue one e-mail per recipient (with an address, active); they go out when the transaction commits."""
    rows = []
    for user in {u.pk: u for u in recipients if u is not None}.values():
        if not user.is_active or not user.email:
            continue
        rows.append(Notification(recipient=user, event=event, subject=subject[:200], body=body, url=url[:300]))
    created = Notification.objects.bulk_create(rows)

    for row in created:
        enqueue_on_commit(_tasks().send_notification_task, row.pk)
    return created


def send_notification(notification_id: int) -> bool:
    """Send one notification if it is still unsent. Safe to call twice: the row is locked and marked."""
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, sent_at__isnull=True)
            .first()
        )
        if row is None:
            return False
        row.attempts += 1
        link = f"\n\n{settings.SITE_URL}{row.url}" if row.url else ""
        try:
            send_mail(row.subject, row.body + link, settings.DEFAULT_FROM_EMAIL, [row.recipient.email])
        except OSError as exc:
            row.last_error = f"{type(exc).__name__}: {exc}"[:300]
            row.save(update_fields=["attempts", "last_error"])
            raise
        row.sent_at = timezone.now()
        row.last_error = ""
        row.save(update_fields=["attempts", "sent_at", "last_error"])
        return True


def pending_notification_ids(*, older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.filter(sent_at__isnull=True, created_at__lte=cutoff, attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
