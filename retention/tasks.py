from celery import shared_task

from . import media, services
from .bulk_capture import (
    archive_published_batched,
    capture_posts_batch_task,  # noqa: F401  (registers the batch task with the worker)
)
from .disposition import scan
from .exports.tasks import build_export_task, sweep_exports_task  # noqa: F401  (register the export tasks)
from .fixity import run_fixity_check


@shared_task(
    acks_late=True,
    task_reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=6,
)
def capture_post_task(post_id: int) -> bool:
    return services.capture_post(post_id)[1]


@shared_task(
    acks_late=True,
    task_reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=6,
)
def capture_removal_task(post_id: int) -> bool:
    return services.capture_removal(post_id)[1]


@shared_task(
    acks_late=True,
    task_reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=6,
)
def capture_comment_task(comment_id: int, stage: str = "received") -> bool:
    return services.capture_comment(comment_id, stage=stage)[1]


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def archive_published_task() -> dict:
    """Sweeper: a lost message or a broker outage loses nothing. Posts and comments go in batches."""

    queued = archive_published_batched()
    return {"queued": queued, **services.archive_published(posts_and_comments=False)}


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def disposition_scan_task() -> dict:
    """Daily: gather records past their retention (not held) into a batch for the custodian to review."""

    return scan(apply=True)


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def fixity_check_task() -> dict:

    check = run_fixity_check()
    return {"checked": check.checked, "mismatches": len(check.mismatches)}


@shared_task(
    acks_late=True,
    task_reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=6,
)
def refresh_media_locks_task(record_ids: list[int]) -> int:
    """Lock and hold these records' media as their retention and holds now require (idempotent)."""
    return media.refresh_for_records(record_ids)


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def sweep_media_locks_task() -> dict:
    """Daily: extend locks that end soon, mend legal holds a lost message left wrong, delete disposed media whose
    lock has ended."""
    return media.sweep()
