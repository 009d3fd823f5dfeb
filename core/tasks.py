from celery import shared_task
from django.db import connection

from . import notifications


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def healthcheck(token: str = "") -> dict:
    """Proves a worker is consuming and can reach the database; echoes `token` back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        database = cursor.fetchone()[0] == 1
    return {"ok": True, "token": token, "database": database, "vendor": connection.vendor}


@shared_task(
    acks_late=True,
    task_reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def send_notification_task(notification_id: int) -> bool:
    return notifications.send_notification(notification_id)


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def send_pending_notifications_task() -> int:
    """Sweeper: e-mails whose task message was lost (broker down, worker killed) are sent now."""
    sent = 0
    for pk in notifications.pending_notification_ids():
        try:
            sent += notifications.send_notification(pk)
        except OSError:
            continue
    return sent
