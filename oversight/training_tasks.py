"""Tasks of training compliance (385.8)."""

from celery import shared_task
from django.db import OperationalError

from .training import send_training_reminders

__all__ = ["send_training_reminders_task"]


@shared_task(
    acks_late=True,
    task_reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def send_training_reminders_task() -> int:
    """Daily: reminders 30 and 7 days before training runs out. Safe to run twice or late: what was sent is kept,
    and a missed day is caught up by the next run."""
    return send_training_reminders()
