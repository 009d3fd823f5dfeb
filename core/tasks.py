from celery import shared_task
from django.db import connection, transaction

from . import checkpoints, notifications, queueing


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


@shared_task(
    acks_late=True,
    task_reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def write_checkpoint_task() -> dict:
    """Every 15 minutes and after each export and disposition: sign the newest event. Idempotent: when the newest
    checkpoint already names the newest event, nothing is written."""
    checkpoint, written = checkpoints.write_checkpoint()
    return {"seq": checkpoint.seq if checkpoint else 0, "written": written}


def write_checkpoint_after_commit() -> None:
    """Queue a checkpoint for when the caller's transaction commits (its audit event is then the newest). A
    checkpoint that cannot be queued or written is logged and never undoes the caller's work: the next periodic
    checkpoint covers the same events."""
    transaction.on_commit(_queue_checkpoint)


def _queue_checkpoint() -> None:
    # The broker or the checkpoint folder may be down: queueing logs it, and beat writes the next checkpoint.
    queueing.enqueue(write_checkpoint_task)
