"""Tasks of background vetting (385.5.4(d))."""

from celery import shared_task
from django.db import OperationalError

from .services import destroy_expired_files, end_expired_designations

__all__ = ["destroy_expired_vetting_files_task", "end_expired_designations_task"]


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


@shared_task(
    acks_late=True,
    task_reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def end_expired_designations_task() -> int:
    """Daily: profiles of members whose searcher designation ran out no longer show a sensitive position."""
    return end_expired_designations()
