from celery import shared_task

from . import services


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def sync_posting_permissions_task():
    """Periodic: authorizations start and expire by date, so the guardian grants are re-derived."""
    return services.sync_posting_permissions()
