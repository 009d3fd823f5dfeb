"""Thin tasks: load by id, call the service. All idempotent; the sweeper re-finds what a lost message left."""

import logging

from celery import shared_task

from .publishing import account_watch, comment_actions, renewal
from .publishing import services as publishing
from .publishing.intake import collect_metrics, fetch_platform_comments, flush_view_counts

log = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, task_reject_on_worker_lost=True, max_retries=None)
def publish_publication_task(self, publication_id: int) -> str:
    outcome, wait = publishing.publish_publication(publication_id)
    if outcome == publishing.Outcome.RETRY:
        raise self.retry(countdown=wait)
    return outcome


@shared_task(
    acks_late=True,
    task_reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=8,
)
def remove_publication_task(publication_id: int, reason: str = "") -> str:
    return publishing.remove_publication(publication_id, reason)


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def sweep_publications_task() -> dict:
    return publishing.sweep()


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def fetch_comments_task() -> int:

    return fetch_platform_comments()


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def collect_metrics_task() -> int:

    return collect_metrics()


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def flush_view_counts_task() -> int:
    """Every minute: the website's view counts, counted in Redis, into the database."""
    return flush_view_counts()


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def carry_out_comment_action_task(action_id: int) -> str:
    """A hide or removal decided in socialgov, done on the comment's platform (or left as a to-do)."""
    return comment_actions.carry_out(action_id)


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def sweep_comment_actions_task() -> int:
    return comment_actions.sweep()


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def read_accounts_task() -> dict:
    """Every department account's own posts, wherever they were made, captured (385.7) and checked (385.5(g))."""
    return account_watch.read_accounts()


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def renew_credentials_task() -> dict:
    """Platform credentials renewed before they expire; the team warned a week ahead when they cannot be."""
    return {"renewed": renewal.renew_due(), "warned": renewal.warn_expiring()}
