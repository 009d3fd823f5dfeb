"""Hiding or removing a public comment where it is: on its platform (385.5, 385.5.1(a)).

Hiding or removing a comment in socialgov changes the local row at once (moderation.monitoring); this module then
carries the decision to the platform after commit. Where the platform's API can (a Facebook Page deletes or hides a
comment, X hides a reply) it is done there; where it cannot (Mastodon: a department cannot delete another account's
post, it can report it to the instance and block the account), the adapter says what a person must do, and that
becomes a to-do on /removals/ until someone confirms it by hand. A failure is retried with backoff; a lost message is
found again by the sweeper. Nothing is ever dropped: each request is a row until it is done or confirmed.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core import queueing
from core.audit import record_event
from core.errors import InvalidInput, InvalidTransition, PermissionRefused

from ..models import Comment, PlatformCommentAction
from ..permissions import can_remove_from_public_view
from .base import AdapterError, Capability, CommentRef, adapter_for

log = logging.getLogger(__name__)
S = PlatformCommentAction.Status
ACTIONS = ("hide", "remove", "show")
MAX_ATTEMPTS = 8
SWEEP_AFTER = timedelta(minutes=2)


def _tasks():
    from .. import tasks  # cycle: the tasks call back into this module

    return tasks


def _backoff(attempt: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempt - 1)))


def request_on_platform(*, actor, comment: Comment, action: str, reason: str = "") -> PlatformCommentAction | None:
    """Inside the moderation transaction: record that the decision is to be carried to the comment's platform, and
    send the work after commit. None for comments that live only in socialgov (the website's own)."""
    if action not in ACTIONS:
        raise InvalidInput("Choose hide, remove or show.", field="action")
    if not comment.external_id:
        return None
    adapter = adapter_for(comment.channel)
    if action == "show" and not (adapter and Capability.MODERATE_COMMENTS in adapter.capabilities):
        return None  # nothing was done on the platform, so there is nothing to undo there
    todo = ""
    status = S.PENDING
    if adapter is None or Capability.MODERATE_COMMENTS not in adapter.capabilities:
        status = S.TODO
        todo = (
            f"socialgov cannot {action} comments on {comment.channel} through its API. "
            f"{action.capitalize()} this comment on the platform by hand, then confirm here."
        )
    entry = PlatformCommentAction.objects.create(
        comment=comment, action=action, reason=reason, status=status, requested_by=actor, todo=todo
    )
    record_event(
        actor,
        "comment.platform_action_requested",
        comment,
        details={"action": action, "channel": comment.channel.slug, "status": status},
    )
    if status == S.PENDING:
        queueing.enqueue_on_commit(_tasks().carry_out_comment_action_task, entry.pk)
    return entry


def _ref(comment: Comment) -> CommentRef:
    in_reply_to = ""
    if comment.post_id:
        publication = comment.post.publications.filter(channel=comment.channel).exclude(external_id="").first()
        in_reply_to = publication.external_id if publication else ""
    return CommentRef(
        external_id=comment.external_id, author_handle=comment.author_handle, in_reply_to=in_reply_to, url=comment.url
    )


def carry_out(action_id: int) -> str:
    """The task body: ask the platform to do it and record what it said. Returns the row's new status."""
    with transaction.atomic():
        entry = (
            PlatformCommentAction.objects.select_for_update(of=("self",))
            .select_related("comment__channel", "comment__post")
            .filter(pk=action_id)
            .first()
        )
        if entry is None or entry.status != S.PENDING:
            return entry.status if entry else "missing"
        if entry.next_attempt_at and entry.next_attempt_at > timezone.now():
            return S.PENDING
        entry.attempts += 1
        entry.next_attempt_at = timezone.now() + _backoff(entry.attempts)  # a worker that dies leaves it for later
        entry.save(update_fields=["attempts", "next_attempt_at"])
    adapter = adapter_for(entry.comment.channel)
    try:
        if adapter is None or Capability.MODERATE_COMMENTS not in adapter.capabilities:
            raise AdapterError("the platform cannot act on comments", permanent=True, code="invalid")
        outcome = adapter.moderate_comment(_ref(entry.comment), entry.action, entry.reason)
    except AdapterError as error:
        return _failed(entry, error)
    with transaction.atomic():
        entry = PlatformCommentAction.objects.select_for_update(of=("self",)).get(pk=entry.pk)
        if entry.status != S.PENDING:
            return entry.status
        entry.summary = outcome.summary[:2000]
        entry.todo = outcome.todo[:2000]
        entry.status = S.TODO if outcome.todo else S.DONE
        entry.done_at = timezone.now() if outcome.done else None
        entry.next_attempt_at, entry.last_error = None, ""
        entry.save(update_fields=["summary", "todo", "status", "done_at", "next_attempt_at", "last_error"])
        record_event(
            "system",
            "comment.platform_action",
            entry.comment,
            details={
                "action": entry.action,
                "channel": entry.comment.channel.slug,
                "done": outcome.done,
                "summary": entry.summary[:500],
                "to_do": bool(outcome.todo),
            },
        )
    return entry.status


def _failed(entry: PlatformCommentAction, error: AdapterError) -> str:
    with transaction.atomic():
        entry = PlatformCommentAction.objects.select_for_update(of=("self",)).get(pk=entry.pk)
        entry.last_error = error.message[:2000]
        if error.permanent or entry.attempts >= MAX_ATTEMPTS:
            # What the platform would not do, a person does: the failure becomes a to-do.
            entry.status = S.TODO
            entry.todo = (
                f"{entry.comment.channel} refused to {entry.action} this comment ({error.message}). "
                f"{entry.action.capitalize()} it on the platform by hand, then confirm here."
            )[:2000]
            entry.next_attempt_at = None
        else:
            wait = timedelta(seconds=error.retry_after) if error.retry_after else _backoff(entry.attempts)
            entry.next_attempt_at = timezone.now() + wait
        entry.save(update_fields=["last_error", "status", "todo", "next_attempt_at"])
        record_event(
            "system",
            "comment.platform_action_failed",
            entry.comment,
            details={"action": entry.action, "channel": entry.comment.channel.slug, "code": error.code},
        )
    return entry.status


def sweep() -> int:
    """Pending actions whose message was lost or whose retry is due are sent again."""
    now = timezone.now()
    due = list(
        PlatformCommentAction.objects.filter(status=S.PENDING, created_at__lte=now - SWEEP_AFTER)
        .exclude(next_attempt_at__gt=now)
        .values_list("pk", flat=True)[:500]
    )
    for pk in due:
        queueing.enqueue(_tasks().carry_out_comment_action_task, pk)
    return len(due)


def open_todos():
    return (
        PlatformCommentAction.objects.filter(status=S.TODO)
        .select_related("comment__channel", "comment__post", "requested_by")
        .order_by("created_at", "pk")
    )


def _locked_todo(actor, entry: PlatformCommentAction) -> PlatformCommentAction:
    if not can_remove_from_public_view(actor):
        raise PermissionRefused(
            "Only a supervisor or the Social Media Officer confirms what was done on a platform.", section="385.5"
        )
    entry = (
        PlatformCommentAction.objects.select_for_update(of=("self",))
        .select_related("comment__channel")
        .get(pk=entry.pk)
    )
    if entry.status != S.TODO:
        raise InvalidTransition("This to-do is already closed.", field="status")
    return entry


@transaction.atomic
def confirm_by_hand(*, actor, action: PlatformCommentAction, note: str = "") -> PlatformCommentAction:
    """A person did on the platform what socialgov could not, and says so."""
    entry = _locked_todo(actor, action)
    note = (note or "").strip()
    if not note:
        raise InvalidInput("Say what was done on the platform.", field="note")
    entry.status, entry.confirmed_by, entry.confirmed_at = S.CONFIRMED, actor, timezone.now()
    entry.confirmation_note = note[:2000]
    entry.save(update_fields=["status", "confirmed_by", "confirmed_at", "confirmation_note"])
    record_event(
        actor,
        "comment.platform_action_confirmed",
        entry.comment,
        details={"action": entry.action, "channel": entry.comment.channel.slug, "note": note[:500]},
    )
    return entry


def can_block(entry: PlatformCommentAction) -> bool:
    adapter = adapter_for(entry.comment.channel)
    return bool(adapter and callable(getattr(adapter, "block_account", None)))


def block_author(*, actor, action: PlatformCommentAction) -> str:
    """Block the comment's author on the platform (where the platform lets the account do so). The to-do stays
    open: blocking does not take the comment down."""
    with transaction.atomic():
        entry = _locked_todo(actor, action)
    adapter = adapter_for(entry.comment.channel)
    block = getattr(adapter, "block_account", None) if adapter else None
    if block is None:
        raise InvalidTransition(f"socialgov cannot block accounts on {entry.comment.channel}.", field="action")
    try:
        said = block(_ref(entry.comment))
    except AdapterError as error:
        raise InvalidTransition(f"{entry.comment.channel} did not block the account: {error.message}") from None
    with transaction.atomic():
        entry = PlatformCommentAction.objects.select_for_update(of=("self",)).get(pk=entry.pk)
        entry.summary = f"{entry.summary}\n{said}".strip()[:2000]
        entry.save(update_fields=["summary"])
        record_event(
            actor,
            "comment.author_blocked",
            entry.comment,
            details={"channel": entry.comment.channel.slug, "handle": entry.comment.author_handle},
        )
    return said
