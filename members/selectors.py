"""Read queries the member pages share. Each issues a fixed number of queries whatever the size."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.utils import timezone

from core.models import AuditEvent

from .models import (
    REQUIRED_TRAINING_TOPICS,
    Authorization,
    DesigneeAppointment,
    RemotePostingException,
    TrainingRecord,
)

User = get_user_model()


@dataclass
class MemberRow:
    user: object
    roles: list[str]
    authorized: bool
    training_until: object  # date or None
    training_complete: bool


def _training_summary(records, today):
    current = [r for r in records if r.is_current(today)]
    covered = set().union(*(set(r.topics) for r in current)) if current else set()
    complete = REQUIRED_TRAINING_TOPICS <= covered
    until = min((r.expires_on for r in current), default=None) if complete else None
    return complete, until


def member_rows(*, search: str = "", supervisor=None) -> list[MemberRow]:
    """Active members (with `supervisor`: only that supervisor's people)."""
    now = timezone.now()
    today = timezone.localdate()
    users = (
        User.objects.filter(is_active=True)
        .select_related("profile")
        .prefetch_related(
            "groups",
            Prefetch("authorizations", queryset=Authorization.objects.unrevoked(), to_attr="open_authorizations"),
            "training_records",
        )
        .order_by("last_name", "first_name", "username")
    )
    if supervisor is not None:
        users = users.filter(profile__supervisor=supervisor)
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(profile__badge_number__icontains=search)
            | Q(profile__division__icontains=search)
        )
    rows = []
    for user in users:
        complete, until = _training_summary(list(user.training_records.all()), today)
        rows.append(
            MemberRow(
                user=user,
                roles=sorted(g.name for g in user.groups.all()),
                authorized=any(a.is_active(now) for a in user.open_authorizations),
                training_until=until,
                training_complete=complete,
            )
        )
    return rows


def member_detail(user) -> dict:
    Channel = apps.get_model("posts", "Channel")
    authorizations = list(
        Authorization.objects.filter(member=user)
        .select_related("granted_by", "revoked_by")
        .prefetch_related("channels")
    )
    training = list(TrainingRecord.objects.filter(member=user).select_related("recorded_by"))
    exceptions = list(RemotePostingException.objects.filter(member=user).select_related("granted_by", "revoked_by"))
    designee_terms = list(DesigneeAppointment.objects.filter(member=user).select_related("appointed_by", "ended_by"))
    ids = {str(a.pk) for a in authorizations}
    trail = list(
        AuditEvent.objects.filter(
            Q(object_type="auth.user", object_id=str(user.pk))
            | Q(object_type="members.authorization", object_id__in=ids)
            | Q(object_type="members.trainingrecord", object_id__in={str(t.pk) for t in training})
            | Q(object_type="members.remotepostingexception", object_id__in={str(e.pk) for e in exceptions})
            | Q(object_type="members.designeeappointment", object_id__in={str(d.pk) for d in designee_terms})
            | Q(actor=user)
        )
        .select_related("actor")
        .order_by("-seq")[:50]
    )
    return {
        "authorizations": authorizations,
        "training": training,
        "exceptions": exceptions,
        "designee_terms": designee_terms,
        "trail": trail,
        "channels": list(Channel.objects.filter(is_active=True).order_by("name")),
    }


def expiring_training(*, within_days: int = 30) -> list[TrainingRecord]:
    today = timezone.localdate()
    return list(
        TrainingRecord.objects.current(today)
        .filter(expires_on__lte=today + timezone.timedelta(days=within_days), member__is_active=True)
        .select_related("member")
        .order_by("expires_on")
    )


def active_authorizations() -> list[Authorization]:
    return list(
        Authorization.objects.active()
        .select_related("member", "granted_by")
        .prefetch_related("channels")
        .order_by("member__username")
    )
