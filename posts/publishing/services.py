"""Delivering published posts to their channels, exactly once per (post version, channel).

A publication is claimed (status "publishing", committed) before its platform is called, and its result is
recorded in a second transaction. A worker that dies in between leaves the claim behind; the sweeper finds it
once its lease has run out and reconciles before trying again: the same idempotency key where the platform
honours one, a lookup where it can search, and otherwise a stop for a person to check.
"""

import logging
import random
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import queueing
from core.audit import record_event
from core.errors import InvalidInput, InvalidTransition, PermissionRefused
from core.net import web_address
from core.notifications import notify
from members.models import Role

from .. import page_cache
from ..models import ManualPostingTodo, Post, Publication, RemovalTodo
from ..permissions import can_manage_channels, can_remove_from_public_view
from ..selectors import users_with_roles
from . import checks
from .adapters.website import public_slug
from .base import MANUAL_KIND, AdapterError, Capability, MediaItem, PostVersion, adapter_for

log = logging.getLogger(__name__)
P = Publication.Status
MAX_ATTEMPTS = 8


def _tasks():
    from .. import tasks  # cycle: the tasks call back into these services

    return tasks


def lease() -> timedelta:
    return timedelta(seconds=settings.PUBLISH_LEASE_SECONDS)


def backoff_seconds(attempt: int) -> float:
    """Exponential backoff with full jitter: up to 2^attempt × 10 s, capped at an hour."""
    return random.uniform(1, min(3600, 10 * 2 ** max(0, attempt - 1)))  # noqa: S311 - jitter, not security


def enqueue(publication_ids) -> None:
    """Send the delivery tasks after commit. A broker that is down loses nothing: the sweeper finds the rows."""
    for pk in publication_ids:
        queueing.enqueue_on_commit(_tasks().publish_publication_task, pk)


def release(post: Post) -> list[Publication]:
    """Inside publish_post's transaction: one pending Publication per channel of this version."""
    made = []
    for channel in post.channels.all():
        publication, _ = Publication.objects.get_or_create(
            post=post,
            channel=channel,
            post_version=post.version,
            defaults={"idempotency_key": uuid.uuid4().hex},
        )
        made.append(publication)
    enqueue([p.pk for p in made if p.status == P.PENDING])
    return made


def version_of(post: Post, publication: Publication) -> PostVersion:

    return PostVersion(
        post_id=post.pk,
        version=publication.post_version,
        title=post.title,
        body=post.body,
        idempotency_key=publication.idempotency_key,
        canonical_url=f"{settings.SITE_URL}/news/{public_slug(post.pk, post.title)}/",
        translation_language=post.translation_language,
        translation_body=post.translation_body,
        media=tuple(
            MediaItem(name=a.original_name, content_type=a.content_type, file=a.file.name, alt_text=a.alt_text)
            for a in post.attachments.all()
        ),
    )


class Outcome:
    SKIPPED = "skipped"
    PUBLISHED = "published"
    RETRY = "retry"
    FAILED = "failed"


def _claim(publication_id: int):
    """Lock the row and mark it publishing (committed). Returns (publication, reconcile) or (None, False)."""
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("post", "channel")
            .filter(pk=publication_id)
            .first()
        )
        if publication is None or publication.status not in {P.PENDING, P.PUBLISHING}:
            return None, False
        now = timezone.now()
        reconcile = publication.status == P.PUBLISHING
        if reconcile and publication.started_at and now - publication.started_at < lease():
            return None, False  # another worker holds it
        if publication.next_attempt_at and publication.next_attempt_at > now and not reconcile:
            return None, False
        publication.status = P.PUBLISHING
        publication.started_at = now
        publication.attempts += 1
        publication.save(update_fields=["status", "started_at", "attempts"])
    return publication, reconcile


def _hand_over(publication: Publication) -> tuple[str, None]:
    """A channel posted by hand: the approved text goes on the Social Media Officer's to-do list (once)."""
    post = publication.post
    with transaction.atomic():
        todo, created = ManualPostingTodo.objects.get_or_create(
            publication=publication, defaults={"text": f"{post.title}\n\n{post.body}"}
        )
        Publication.objects.filter(pk=publication.pk).update(status=P.AWAITING_HAND)
        if created:
            record_event("system", "publication.awaiting_hand", post, details={"channel": publication.channel.slug})
            notify(
                users_with_roles(Role.SMO),
                event="publication.awaiting_hand",
                subject=f"To post by hand on {publication.channel.name}",
                body=f"Post #{post.pk} is approved for {publication.channel.name}, which has no platform API. Post "
                "the approved text there, then confirm it in socialgov.",
                url="/removals/",
            )
    return Outcome.PUBLISHED, None


@transaction.atomic
def confirm_manual_posting(*, actor, todo: ManualPostingTodo, url: str = "") -> ManualPostingTodo:
    """A person posted the approved text by hand on a platform without an API, and says where."""
    if not (can_manage_channels(actor) or actor.pk == todo.publication.post.author_id):
        raise PermissionRefused("Only the Social Media Officer or the author confirms a post made by hand.")
    todo = ManualPostingTodo.objects.select_for_update(of=("self",)).select_related("publication").get(pk=todo.pk)
    if todo.confirmed_at or todo.publication.status != P.AWAITING_HAND:
        raise InvalidTransition("This post is not waiting to be posted by hand.", field="status")
    link = web_address(url)
    if (url or "").strip() and not link:
        raise InvalidInput("Give the address of the post as an http(s) link, or leave it empty.", field="url")
    now = timezone.now()
    todo.confirmed_by, todo.confirmed_at = actor, now
    todo.save(update_fields=["confirmed_by", "confirmed_at"])
    Publication.objects.filter(pk=todo.publication_id).update(
        status=P.PUBLISHED, external_id=f"by-hand-{todo.pk}", url=link[:500], published_at=now
    )
    page_cache.forget_pages_now_and_on_commit()
    record_event(
        actor, "publication.posted_by_hand", todo.publication.post, details={"channel": todo.publication.channel.slug}
    )
    return todo


def _record(publication: Publication, **fields) -> None:
    with transaction.atomic():
        Publication.objects.filter(pk=publication.pk).update(**fields)
        failed = fields.get("status") == P.FAILED
        if failed or publication.attempts >= settings.PUBLISH_ATTENTION_ATTEMPTS:
            _needs_attention(publication, fields.get("last_error", ""), failed=failed)


def _needs_attention(publication: Publication, message: str, *, failed: bool) -> None:
    """A publication failed for good, or keeps failing: the Social Media Officer and the supervisors are told,
    once until it is published or retried by hand (not once per attempt); the dashboards list it meanwhile."""
    first = Publication.objects.filter(pk=publication.pk, attention_notified_at__isnull=True).update(
        attention_notified_at=timezone.now()
    )
    if not first:
        return
    channel, post = publication.channel, publication.post
    state = "failed" if failed else f"is still failing after {publication.attempts} attempts"
    notify(
        users_with_roles(Role.SMO, Role.SUPERVISOR),
        event="publication.needs_attention",
        subject=f"Publishing to {channel.name} {state}",
        body=f"Post #{post.pk} on {channel.name} {state}. The platform said: {message[:500] or '(nothing)'}",
        url=f"/posts/{post.pk}/",
    )


def _held_at_send(publication: Publication):
    """Checked again right before this delivery (a first attempt, a retry, a lost message found by the sweeper):
    the post's content and approval, and the standing of whoever published it, for this channel. Stopped, the
    publication fails with the reasons and reaches a person; a Retry checks again."""
    post = publication.post
    reasons = checks.send_refusals(post)
    if post.published_by_id:
        reasons = (
            checks.about(
                post.published_by,
                "who published it",
                checks.standing_refusals(post.published_by, [publication.channel]),
            )
            + reasons
        )
    if not reasons:
        return None
    message = "Stopped at the moment of sending: " + " ".join(f"{r.message} ({r.section})" for r in reasons)
    with transaction.atomic():
        _record(publication, status=P.FAILED, last_error=message[:2000], last_error_code="held_at_send")
        record_event(
            "system",
            "publication.held_at_send",
            post,
            details={
                "channel": publication.channel.slug,
                "reasons": [{"section": r.section, "code": r.code} for r in reasons],
            },
        )
    return Outcome.FAILED, None


def publish_publication(publication_id: int) -> tuple[str, float | None]:
    """Deliver one publication. Returns (outcome, retry-after seconds). Safe to run twice, concurrently or late."""
    publication, reconcile = _claim(publication_id)
    if publication is None:
        return Outcome.SKIPPED, None
    held = _held_at_send(publication)
    if held:
        return held
    if publication.channel.kind == MANUAL_KIND:
        return _hand_over(publication)
    adapter = adapter_for(publication.channel)
    if adapter is None:
        _record(
            publication,
            status=P.FAILED,
            last_error=f"No adapter for {publication.channel.get_kind_display()}.",
            last_error_code="no_adapter",
        )
        return Outcome.FAILED, None
    caps = adapter.capabilities
    try:
        if reconcile and Capability.IDEMPOTENT not in caps:
            found = adapter.find(publication.idempotency_key) if Capability.LOOKUP in caps else None
            if found is not None:
                return _published(publication, found, reconciled=True)
            if Capability.LOOKUP not in caps:
                # The platform can neither deduplicate nor be searched: a person must check before re-posting.
                _record(
                    publication,
                    status=P.FAILED,
                    last_error_code="unknown_outcome",
                    last_error="An earlier attempt may have reached the platform; check the page, then Retry.",
                )
                return Outcome.FAILED, None
        result = adapter.publish(version_of(publication.post, publication))
    except ImproperlyConfigured as error:
        # A deployment problem (e.g. CREDENTIALS_KEY missing): stop and show it rather than retry forever.
        _record(publication, status=P.FAILED, last_error=str(error)[:2000], last_error_code="configuration")
        return Outcome.FAILED, None
    except AdapterError as error:
        if error.permanent or publication.attempts >= MAX_ATTEMPTS:
            _record(publication, status=P.FAILED, last_error=error.message[:2000], last_error_code=error.code)
            _audit_failure(publication, error)
            return Outcome.FAILED, None
        wait = error.retry_after or backoff_seconds(publication.attempts)
        _record(
            publication,
            status=P.PENDING,
            last_error=error.message[:2000],
            last_error_code=error.code,
            next_attempt_at=timezone.now() + timedelta(seconds=wait),
        )
        return Outcome.RETRY, wait
    return _published(publication, result)


def _published(publication, result, *, reconciled=False):
    now = timezone.now()
    with transaction.atomic():
        Publication.objects.filter(pk=publication.pk).update(
            status=P.PUBLISHED,
            external_id=result.external_id[:200],
            url=result.url[:500],
            published_at=now,
            attention_notified_at=None,
            last_error="",
            last_error_code="",
            next_attempt_at=None,
        )
        # A queryset update sends no post_save: the website's pages are told here that what they show changed.
        page_cache.forget_pages_now_and_on_commit()
        record_event(
            "system",
            "publication.delivered",
            publication.post,
            details={
                "channel": publication.channel.slug,
                "external_id": result.external_id,
                # The website's address is made from the headline: the trail keeps the post's number instead.
                **({} if publication.channel.kind == "website" else {"url": result.url}),
                "version": publication.post_version,
                "reconciled": reconciled,
            },
        )
    return Outcome.PUBLISHED, None


def _audit_failure(publication, error):
    with transaction.atomic():
        record_event(
            "system",
            "publication.failed",
            publication.post,
            details={"channel": publication.channel.slug, "code": error.code, "message": error.message[:500]},
        )


@transaction.atomic
def retry_publication(*, actor, publication: Publication) -> Publication:

    if not (can_manage_channels(actor) or actor.pk == publication.post.author_id):
        raise PermissionRefused("Only the author or the Social Media Officer retries a publication.")
    publication = Publication.objects.select_for_update(of=("self",)).get(pk=publication.pk)
    if publication.status != P.FAILED:
        raise InvalidTransition("Only a failed publication can be retried.", field="status")
    publication.status, publication.next_attempt_at, publication.attempts = P.PENDING, None, 0
    publication.attention_notified_at = None  # a failure after this retry is news again
    publication.save(update_fields=["status", "next_attempt_at", "attempts", "attention_notified_at"])
    record_event(actor, "publication.retried", publication.post, details={"channel": publication.channel.slug})
    enqueue([publication.pk])
    return publication


# What a removed post's publication must leave: it is on its platform, or might still get there.
NOT_TAKEN_DOWN = (P.PUBLISHED, P.PENDING, P.PUBLISHING, P.FAILED, P.AWAITING_HAND)


def remove_everywhere(post: Post, *, reason: str) -> None:
    """Inside remove_from_public_view's transaction: take the post down on each channel after commit."""
    ids = list(post.publications.filter(status__in=NOT_TAKEN_DOWN).values_list("pk", flat=True))

    # The sweeper re-sends removals of removed posts still published somewhere.
    for pk in ids:
        queueing.enqueue_on_commit(_tasks().remove_publication_task, pk, reason)


def remove_publication(publication_id: int, reason: str = "") -> str:
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update(of=("self",))
            .select_related("channel", "post")
            .filter(pk=publication_id)
            .first()
        )
        if publication is None or publication.status in {P.REMOVED, P.REMOVAL_PENDING}:
            return Outcome.SKIPPED
        if publication.status != P.PUBLISHED:
            # Never delivered: make sure it never will be.
            publication.status, publication.removed_at = P.REMOVED, timezone.now()
            publication.save(update_fields=["status", "removed_at"])
            return Outcome.PUBLISHED
    adapter = adapter_for(publication.channel)
    if adapter is None or Capability.REMOVE not in adapter.capabilities:
        with transaction.atomic():
            RemovalTodo.objects.get_or_create(publication=publication, defaults={"reason": reason or "Removed"})
            Publication.objects.filter(pk=publication.pk).update(status=P.REMOVAL_PENDING)
        return Outcome.FAILED
    adapter.remove(publication.external_id)
    with transaction.atomic():
        Publication.objects.filter(pk=publication.pk).update(status=P.REMOVED, removed_at=timezone.now())
        page_cache.forget_pages_now_and_on_commit()
        record_event(
            "system",
            "publication.removed",
            publication.post,
            details={"channel": publication.channel.slug, "external_id": publication.external_id},
        )
    return Outcome.PUBLISHED


def sweep() -> dict:
    """Find work a lost message left undone and send it again. Idempotent; runs every minute."""
    now = timezone.now()
    stale = now - lease()
    waiting = list(
        Publication.objects.filter(
            Q(status=P.PENDING, created_at__lte=now - timedelta(seconds=settings.PUBLISH_SWEEP_AFTER_SECONDS))
            & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            | Q(status=P.PUBLISHING, started_at__lte=stale)
        )
        # A post removed before its delivery was sent is taken down below, never delivered first.
        .exclude(post__status=Post.Status.REMOVED)
        .values_list("pk", flat=True)[:1000]
    )

    for pk in waiting:
        queueing.enqueue(_tasks().publish_publication_task, pk)
    removals = list(
        Publication.objects.filter(post__status=Post.Status.REMOVED, status__in=NOT_TAKEN_DOWN).values_list(
            "pk", flat=True
        )[:1000]
    )
    for pk in removals:
        queueing.enqueue(_tasks().remove_publication_task, pk, "Removed from public view")
    due = publish_due_scheduled()
    return {"publications": len(waiting), "removals": len(removals), "scheduled": due}


def publish_due_scheduled() -> int:
    """Scheduled posts whose time has come are published under their author's authorization (385.3). One that no
    longer passes the checks made at sending (its author's standing included) is returned to review and shown on
    the dashboards instead of waiting, still "scheduled", for its author to be eligible again."""

    from .. import services as post_services  # cycle: posts.services releases and removes posts through here

    count = 0
    due = Post.objects.filter(status=Post.Status.SCHEDULED, scheduled_for__lte=timezone.now()).select_related("author")
    for post in due:
        try:
            sent = post_services.publish_post(actor=post.author, post=post, scheduled=True)
        except Exception:  # one post's failure must not stop the others; it stays due and is tried next minute
            log.exception("Scheduled post %s could not be published", post.pk)
            continue
        if sent.status == Post.Status.PUBLISHED:
            count += 1
        else:
            log.warning("Scheduled post %s was stopped at sending and returned to review", post.pk)
    return count


@transaction.atomic
def confirm_manual_removal(*, actor, todo: RemovalTodo) -> RemovalTodo:
    """A person removed the post on a platform that has no removal API, and says so (385.5)."""

    if not can_remove_from_public_view(actor):
        raise PermissionRefused("Only a supervisor or the Social Media Officer confirms a removal.", section="385.5")
    todo = RemovalTodo.objects.select_for_update(of=("self",)).select_related("publication").get(pk=todo.pk)
    if todo.confirmed_at:
        raise InvalidTransition("This removal was already confirmed.", field="status")
    todo.confirmed_by, todo.confirmed_at = actor, timezone.now()
    todo.save(update_fields=["confirmed_by", "confirmed_at"])
    Publication.objects.filter(pk=todo.publication_id).update(status=P.REMOVED, removed_at=todo.confirmed_at)
    page_cache.forget_pages_now_and_on_commit()
    record_event(
        actor,
        "publication.removed_by_hand",
        todo.publication.post,
        details={"channel": todo.publication.channel.slug, "url": todo.publication.url},
    )
    return todo
