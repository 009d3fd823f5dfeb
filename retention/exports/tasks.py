"""The export build task and its sweeper. Named under retention.tasks, where the beat schedule finds them."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.queueing import enqueue

from ..models import Export
from .bag import STALE_AFTER, TRANSIENT, build_export
from .services import expire_exports, give_up_export

log = logging.getLogger(__name__)

# A queued export nobody started within this long lost its message (broker restart, worker gone).
QUEUED_TOO_LONG = timedelta(minutes=5)


@shared_task(
    name="retention.tasks.build_export_task",
    acks_late=True,
    task_reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_jitter=True,
    max_retries=6,
)
def build_export_task(export_id: int) -> str:
    """Idempotent: an export already built (or being built by a live worker) is left alone. Only transient
    errors reach here (the build records any other failure on the export) and they are retried."""
    export = build_export(export_id)
    return export.status if export else "skipped"


@shared_task(name="retention.tasks.sweep_exports_task", acks_late=True, task_reject_on_worker_lost=True)
def sweep_exports_task() -> dict:
    """Every few minutes: queue again the exports a lost message or a killed worker left unbuilt, give up those
    whose builds used up EXPORT_MAX_ATTEMPTS, and delete expired packages. Nothing is lost, a package is never
    built twice at once (the build claims it), and an export that keeps failing is not queued forever."""
    now = timezone.now()
    stale = (
        Export.objects.filter(
            Q(status=Export.Status.QUEUED, created_at__lt=now - QUEUED_TOO_LONG)
            | (
                Q(status=Export.Status.RUNNING)
                & (
                    Q(heartbeat_at__lt=now - STALE_AFTER)
                    | Q(heartbeat_at__isnull=True, started_at__lt=now - STALE_AFTER)
                )
            )
        )
        .order_by("pk")
        .values_list("pk", "status", "attempts", "error")
    )
    requeued, failed = [], []
    for pk, status, attempts, error in list(stale):
        if attempts >= settings.EXPORT_MAX_ATTEMPTS:
            if give_up_export(export_id=pk, last_error=_last_failure(status, error)):
                failed.append(pk)
            continue
        # A build the broker could not take is found again by the next sweep.
        if enqueue(build_export_task, pk):
            requeued.append(pk)
    if requeued:
        log.info("Queued again exports %s", requeued)
    return {"requeued": requeued, "failed": failed, "expired": expire_exports(now)}


def _last_failure(status: str, error: str) -> str:
    """What became of the last attempt of an export given up here, for the reason it shows."""
    if status == Export.Status.RUNNING or not error:
        return "stopped without finishing (its worker was lost)"
    return f"was interrupted: {error}"
