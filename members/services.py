"""Every change to people goes through these functions: permission first, one transaction, audited."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import record_event
from core.errors import InvalidInput, PermissionRefused, PolicyViolation
from core.history import stamp as _stamp

from . import permissions
from .models import Authorization, MemberProfile, RemotePostingException, TrainingRecord, TrainingTopic

# A form filled in a few minutes ago still starts "now"; anything earlier would back-date a grant.
BACKDATING_TOLERANCE = timedelta(hours=1)


def _describe_channels(auth: Authorization) -> str:
    if auth.all_channels:
        return "all channels"
    return ", ".join(sorted(c.name for c in auth.channels.all())) or "no channels"


def _overlapping(member, valid_from, valid_until, all_channels: bool, channel_ids: set[int]):
    window = Q(valid_until__isnull=True) | Q(valid_until__gt=valid_from)
    if valid_until is not None:
        window &= Q(valid_from__lt=valid_until)
    candidates = Authorization.objects.filter(member=member).unrevoked().filter(window).prefetch_related("channels")
    for existing in candidates:
        theirs = {c.pk for c in existing.channels.all()}
        if all_channels or existing.all_channels or theirs & channel_ids:
            return existing
    return None


@transaction.atomic
def grant_authorization(
    *,
    actor,
    member,
    channels=(),
    all_channels: bool = False,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    note: str = "",
) -> Authorization:
    """Authorize `member` to post on behalf of the department (385.3). Requires current training (385.8)."""
    if not permissions.can_grant_authorization(actor):
        raise PolicyViolation(
            "385.3",
            "Only the Chief of Police or the authorized designee may authorize members to post.",
            code="not_chief_or_designee",
        )
    now = timezone.now()
    valid_from = valid_from or now
    channels = list(channels)
    if not member.is_active:
        raise InvalidInput(f"{member.get_username()}'s account is disabled.", field="member")
    if all_channels and channels:
        raise InvalidInput("Choose specific channels or all channels, not both.", field="channels")
    if not all_channels and not channels:
        raise InvalidInput("Choose at least one channel, or all channels.", field="channels")
    if valid_until is not None and valid_until <= valid_from:
        raise InvalidInput("“Valid until” must be after “Valid from”.", field="valid_until")
    if valid_from < now - BACKDATING_TOLERANCE:
        raise InvalidInput("“Valid from” is in the past: authorizations are not back-dated.", field="valid_from")
    if valid_until is not None and valid_until <= now:
        raise InvalidInput("“Valid until” is already in the past.", field="valid_until")
    inactive = [c.name for c in channels if not c.is_active]
    if inactive:
        raise InvalidInput(f"Channel not in use: {', '.join(inactive)}.", field="channels")
    training = permissions.training_reasons(member, timezone.localdate(max(valid_from, now)))
    if training:
        raise PolicyViolation(
            "385.8",
            f"{member.get_username()} cannot be authorized: {training[0].message} "
            "Authorized members must have current training in legal issues, privacy, civil rights, "
            "dissemination and retention.",
            code=training[0].code,
        )
    clash = _overlapping(member, valid_from, valid_until, all_channels, {c.pk for c in channels})
    if clash:
        until = f"{timezone.localtime(clash.valid_until):%Y-%m-%d}" if clash.valid_until else "until revoked"
        raise InvalidInput(
            f"Overlaps authorization #{clash.pk} ({_describe_channels(clash)}, from "
            f"{timezone.localtime(clash.valid_from):%Y-%m-%d}, {until}). Revoke it or choose other dates or channels.",
            field="channels",
        )
    auth = Authorization(
        member=member,
        granted_by=actor,
        granted_at=now,
        all_channels=all_channels,
        valid_from=valid_from,
        valid_until=valid_until,
        note=note.strip(),
    )
    auth.full_clean(exclude=["channels"])
    _stamp(auth, actor, "Authorization granted").save()
    if channels:
        auth.channels.set(channels)
    record_event(
        actor,
        "authorization.granted",
        auth,
        details={
            "member": member.get_username(),
            "channels": "all" if all_channels else sorted(c.slug for c in channels),
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else None,
        },
    )
    return auth


@transaction.atomic
def revoke_authorization(*, actor, authorization: Authorization, reason: str) -> Authorization:
    if not permissions.can_revoke_authorization(actor):
        raise PolicyViolation(
            "385.3",
            "Only the Chief of Police or the authorized designee may revoke an authorization to post.",
            code="not_chief_or_designee",
        )
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give the reason for revoking.", field="reason")
    auth = Authorization.objects.select_for_update().get(pk=authorization.pk)
    if auth.revoked_at:
        raise InvalidInput(f"Authorization #{auth.pk} was already revoked.", field="authorization")
    auth.revoked_at = timezone.now()
    auth.revoked_by = actor
    auth.revocation_reason = reason
    _stamp(auth, actor, f"Revoked: {reason}").save()
    record_event(actor, "authorization.revoked", auth, details={"member": auth.member.get_username(), "reason": reason})
    return auth


@transaction.atomic
def record_training(
    *,
    actor,
    member,
    course: str,
    topics: list[str],
    completed_on: date,
    expires_on: date,
    note: str = "",
) -> TrainingRecord:
    """Record completed social media training (385.8)."""
    if not permissions.can_record_training(actor):
        raise PermissionRefused("Only the Chief, a designee or a supervisor may record training.")
    course = (course or "").strip()
    if not course:
        raise InvalidInput("Name the course.", field="course")
    unknown = [t for t in topics if t not in TrainingTopic.values]
    if unknown:
        raise InvalidInput(f"Unknown topic: {', '.join(unknown)}.", field="topics")
    if not topics:
        raise InvalidInput("Choose the topics the course covered.", field="topics")
    if completed_on > timezone.localdate():
        raise InvalidInput("“Completed on” cannot be in the future.", field="completed_on")
    if expires_on <= completed_on:
        raise InvalidInput("“Expires on” must be after “Completed on”.", field="expires_on")
    record = TrainingRecord(
        member=member,
        course=course,
        topics=[t for t in TrainingTopic.values if t in set(topics)],
        completed_on=completed_on,
        expires_on=expires_on,
        recorded_by=actor,
        note=note.strip(),
    )
    record.full_clean()
    _stamp(record, actor, "Training recorded").save()
    record_event(
        actor,
        "training.recorded",
        record,
        details={
            "member": member.get_username(),
            "course": course,
            "topics": record.topics,
            "completed_on": completed_on.isoformat(),
            "expires_on": expires_on.isoformat(),
        },
    )
    return record


@transaction.atomic
def grant_remote_posting_exception(
    *, actor, member, reason: str, valid_until: datetime, valid_from: datetime | None = None
) -> RemotePostingException:
    """385.3: a supervisor documents permission to post from other than department-approved equipment."""
    if not permissions.can_grant_remote_exception(actor):
        raise PolicyViolation(
            "385.3",
            "Only a supervisor may allow posting from other than department-approved equipment.",
            code="not_supervisor",
        )
    if actor.pk == member.pk:
        raise PolicyViolation(
            "385.3", "A supervisor cannot grant a remote-posting exception to themselves.", code="self_grant"
        )
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Document the reason for the exception.", field="reason")
    now = timezone.now()
    valid_from = valid_from or now
    if valid_until <= valid_from:
        raise InvalidInput("“Valid until” must be after “Valid from”.", field="valid_until")
    limit = timedelta(days=settings.REMOTE_POSTING_MAX_DAYS)
    if valid_until - valid_from > limit:
        raise InvalidInput(
            f"An exception may last at most {settings.REMOTE_POSTING_MAX_DAYS} days.", field="valid_until"
        )
    exception = RemotePostingException(
        member=member, granted_by=actor, granted_at=now, reason=reason, valid_from=valid_from, valid_until=valid_until
    )
    exception.full_clean()
    _stamp(exception, actor, "Remote-posting exception granted").save()
    record_event(
        actor,
        "remote_exception.granted",
        exception,
        details={"member": member.get_username(), "reason": reason, "valid_until": valid_until.isoformat()},
    )
    return exception


@transaction.atomic
def revoke_remote_posting_exception(*, actor, exception: RemotePostingException) -> RemotePostingException:
    if not permissions.can_grant_remote_exception(actor):
        raise PolicyViolation("385.3", "Only a supervisor may end a remote-posting exception.", code="not_supervisor")
    exception = RemotePostingException.objects.select_for_update().get(pk=exception.pk)
    if exception.revoked_at:
        raise InvalidInput("This exception was already ended.", field="exception")
    exception.revoked_at = timezone.now()
    exception.revoked_by = actor
    _stamp(exception, actor, "Remote-posting exception ended").save()
    record_event(actor, "remote_exception.revoked", exception, details={"member": exception.member.get_username()})
    return exception


def end_sessions_of(user) -> int:
    """Delete every live session that belongs to `user`."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def disable_member(*, actor, member, reason: str) -> int:
    """Disable an account: it can no longer log in, all its sessions end, its authorizations are revoked."""
    if not permissions.can_grant_authorization(actor):
        raise PermissionRefused(
            "Only the Chief of Police or the authorized designee may disable an account.", section="385.3"
        )
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give the reason for disabling the account.", field="reason")
    if actor.pk == member.pk:
        raise InvalidInput("You cannot disable your own account.", field="member")
    ended = end_sessions_of(member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    now = timezone.now()
    for auth in Authorization.objects.filter(member=member).unrevoked().select_for_update():
        auth.revoked_at, auth.revoked_by, auth.revocation_reason = now, actor, f"Account disabled: {reason}"
        _stamp(auth, actor, "Account disabled").save()
    record_event(actor, "member.disabled", member, details={"reason": reason, "sessions_ended": ended})
    return ended


def ensure_profile(user, *, badge_number: str, division: str = "", rank: str = "") -> MemberProfile:
    profile, _ = MemberProfile.objects.get_or_create(
        user=user, defaults={"badge_number": badge_number, "division": division, "rank": rank}
    )
    return profile
