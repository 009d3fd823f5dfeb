"""Capture follows publication: posts' signals enqueue the capture after commit."""

import logging

from django.db import transaction

from .tasks import capture_comment_task, capture_post_task, capture_removal_task

log = logging.getLogger(__name__)


def _send(task, *args):
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 - the broker may be down; archive_published will capture it
        log.warning("Could not queue %s%s; the archive sweeper will capture it.", task.name, args)


def post_published(sender, post, **kwargs):

    _send(capture_post_task, post.pk)


def post_removed(sender, post, **kwargs):

    _send(capture_removal_task, post.pk)


def comment_received(sender, comment, **kwargs):

    transaction.on_commit(lambda: _send(capture_comment_task, comment.pk))
