"""Tasks of background vetting (385.5.4(d))."""

from celery import shared_task
from django.db import OperationalError

from .services import destroy_expired_files

__all__ = ["destroy_expired_vetting_files_task"]


@shared_task(
    acks_late=True,
    task_reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def destroy_expired_vetting_files_task() -> int:
    """Daily: destroy vetting files past their personnel-series retention. A missed day is caught up by the next."""
    return destroy_expired_files()
