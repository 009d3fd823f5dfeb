"""Capture follows publication: posts' signals enqueue the capture after commit. A capture the broker could not
take is done by the archive sweeper (archive_published), which captures whatever has no record yet."""

from django.dispatch import receiver

from core.queueing import enqueue, enqueue_on_commit
from moderation.signals import tip_received

from . import services
from .tasks import capture_comment_task, capture_post_task, capture_removal_task


def post_published(sender, post, **kwargs):
    # Sent by posts once publish_post has committed.
    enqueue(capture_post_task, post.pk)


def post_removed(sender, post, **kwargs):
    # Sent by posts once remove_from_public_view has committed.
    enqueue(capture_removal_task, post.pk)


def comment_received(sender, comment, **kwargs):

    enqueue_on_commit(capture_comment_task, comment.pk)


def account_post_version_seen(sender, version, **kwargs):
    # In the transaction that stored the wording: the wording and its record are kept together or not at all.
    services.capture_account_post_version(version.pk)


# Connected here rather than in RetentionConfig.ready, which imports this module.
@receiver(tip_received, dispatch_uid="retention.tip_received")
def capture_received_tip(sender, tip, **kwargs):
    # In the tip's own transaction: a tip and its record are stored together or not at all, so no sweeper has to
    # look for tips without one.
    services.capture_tip(tip.pk)
