from celery import shared_task

from . import services


@shared_task(acks_late=True, task_reject_on_worker_lost=True, autoretry_for=(Exception,), retry_backoff=True,
             retry_jitter=True, max_retries=6)
def capture_post_task(post_id: int) -> bool:
    return services.capture_post(post_id)[1]


@shared_task(acks_late=True, task_reject_on_worker_lost=True, autoretry_for=(Exception,), retry_backoff=True,
             retry_jitter=True, max_retries=6)
def capture_removal_task(post_id: int) -> bool:
    return services.capture_removal(post_id)[1]


@shared_task(acks_late=True, task_reject_on_worker_lost=True, autoretry_for=(Exception,), retry_backoff=True,
             retry_jitter=True, max_retries=6)
def capture_comment_task(comment_id: int, stage: str = "received") -> bool:
    return services.capture_comment(comment_id, stage=stage)[1]


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def archive_published_task() -> dict:
    """Sweeper: a lost message or a broker outage loses nothing."""
    return services.archive_published()
