"""Accounts in the app (385.3): the Chief of Police or the authorized designee adds members, gives and takes
roles, disables and unlocks accounts and issues two-factor enrolment codes; the Chief appoints a designee and
ends the appointment. Permission first, one transaction, audited. Role changes are also audited by the
`m2m_changed` receivers, naming this service's actor (`acting_as`)."""

import hashlib
import secrets
from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from core.audit import record_event
from core.context import acting_as
from core.errors import InvalidInput, PermissionRefused
from core.history import stamp as _stamp
from core.models import AuditEvent
from core.notifications import notify

from . import permissions
from .models import DesigneeAppointment, EnrolmentCode, MemberProfile, Role

User = get_user_model()

# Roles given on the Members page. The designee's role comes only with an appointment.
ASSIGNABLE_ROLES = [role for role in Role.values if role != Role.DESIGNEE]


def _label(role: str) -> str:
    return Role(role).label


@transaction.atomic
def add_member(
    *,
    actor,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    badge_number: str,
    division: str = "",
    rank: str = "",
    supervisor=None,
    roles=(),
    password: str = "",
):
    """A new member's account and profile. With no password given the account has none usable until one is
    set; roles are given as by `set_roles`."""
    permissions.require_people_manager(actor, "adds members")
    username = (username or "").strip()
    badge_number = (badge_number or "").strip()
    email = (email or "").strip()
    if not username:
        raise InvalidInput("Give the member a username.", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(f"The username {username} is taken.", field="username")
    if not badge_number:
        raise InvalidInput("Give the member's badge or employee ID.", field="badge_number")
    if MemberProfile.objects.filter(badge_number__iexact=badge_number).exists():
        raise InvalidInput(f"Badge / employee ID {badge_number} belongs to another member.", field="badge_number")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput("Enter a valid e-mail address.", field="email") from None
    if supervisor is not None and not (supervisor.is_active and permissions.has_role(supervisor, Role.SUPERVISOR)):
        raise InvalidInput(f"{supervisor.get_username()} is not a supervisor.", field="supervisor")
    user = User(username=username, first_name=first_name.strip(), last_name=last_name.strip(), email=email)
    if password:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise InvalidInput(" ".join(error.messages), field="password") from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    with acting_as(actor):
        user.save()
        profile = MemberProfile(
            user=user, badge_number=badge_number, division=division.strip(), rank=rank.strip(), supervisor=supervisor
        )
        _stamp(profile, actor, "Member added").save()
    record_event(
        actor,
        "member.added",
        user,
        details={"badge_number": badge_number, "division": profile.division, "supervisor": _name(supervisor)},
    )
    if roles:
        set_roles(actor=actor, member=user, roles=roles, reason="Roles given when the member was added.")
    return user


def _name(user):
    return user.get_username() if user is not None else None


@transaction.atomic
def set_roles(*, actor, member, roles, reason: str = "") -> dict[str, list[str]]:
    """Make `member`'s roles exactly `roles` (the designee's role is left as the appointments have it).
    Returns what was added and removed."""
    permissions.require_people_manager(actor, "gives and takes roles")
    wanted = set(roles)
    unknown = sorted(wanted - set(Role.values))
    if unknown:
        raise InvalidInput(f"Unknown role: {', '.join(unknown)}.", field="roles")
    if Role.DESIGNEE in wanted:
        raise InvalidInput(
            "The designee's role comes with an appointment by the Chief of Police (385.3).", field="roles"
        )
    if not member.is_active:
        raise InvalidInput(f"{member.get_username()}'s account is disabled.", field="member")
    current = set(member.groups.values_list("name", flat=True))
    current_assignable = current & set(ASSIGNABLE_ROLES)
    added, removed = sorted(wanted - current_assignable), sorted(current_assignable - wanted)
    if not added and not removed:
        return {"added": [], "removed": []}
    if member.pk == actor.pk:
        raise InvalidInput("You cannot change your own roles; another manager must.", field="roles")
    for role in added + removed:
        if not permissions.can_give_role(actor, role):
            raise PermissionRefused(
                f"Only the Chief of Police gives or takes the role {_label(role)}.", section="385.3"
            )
    if (
        Role.CHIEF in removed
        and not User.objects.filter(groups__name=Role.CHIEF, is_active=True).exclude(pk=member.pk).exists()
    ):
        raise InvalidInput("The department keeps at least one Chief of Police.", field="roles")
    with acting_as(actor):
        if added:
            member.groups.add(*Group.objects.filter(name__in=added))
        if removed:
            member.groups.remove(*Group.objects.filter(name__in=removed))
    member.__dict__.pop("_socialgov_roles", None)
    record_event(
        actor, "member.roles_set", member, details={"added": added, "removed": removed, "reason": reason.strip()}
    )
    return {"added": added, "removed": removed}


@transaction.atomic
def appoint_designee(*, actor, member, reason: str) -> DesigneeAppointment:
    """385.3: the Chief of Police appoints an authorized designee, dated, with the reason."""
    permissions.require_chief(actor, "appoints the authorized designee")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give the reason for the appointment.", field="reason")
    if member.pk == actor.pk:
        raise InvalidInput("The Chief of Police cannot appoint themselves designee.", field="member")
    if not member.is_active:
        raise InvalidInput(f"{member.get_username()}'s account is disabled.", field="member")
    if DesigneeAppointment.objects.filter(member=member).current().exists():
        raise InvalidInput(f"{member.get_username()} is already the designee.", field="member")
    appointment = DesigneeAppointment(member=member, appointed_by=actor, reason=reason)
    try:
        with transaction.atomic():
            _stamp(appointment, actor, "Designee appointed").save()
    except IntegrityError:
        raise InvalidInput(f"{member.get_username()} is already the designee.", field="member") from None
    with acting_as(actor):
        member.groups.add(Group.objects.get(name=Role.DESIGNEE))
    member.__dict__.pop("_socialgov_roles", None)
    record_event(actor, "designee.appointed", appointment, details={"member": member.get_username(), "reason": reason})
    return appointment


@transaction.atomic
def end_designee(*, actor, appointment: DesigneeAppointment, reason: str) -> DesigneeAppointment:
    """The Chief ends a designee's appointment, dated, with the reason; the Designee role goes with it."""
    permissions.require_chief(actor, "ends the designee's appointment")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give the reason for ending the appointment.", field="reason")
    appointment = DesigneeAppointment.objects.select_for_update().select_related("member").get(pk=appointment.pk)
    if appointment.ended_at:
        raise InvalidInput("This appointment has already ended.", field="appointment")
    appointment.ended_at, appointment.ended_by, appointment.end_reason = timezone.now(), actor, reason
    _stamp(appointment, actor, f"Designee appointment ended: {reason}").save()
    member = appointment.member
    with acting_as(actor):
        member.groups.remove(Group.objects.get(name=Role.DESIGNEE))
    member.__dict__.pop("_socialgov_roles", None)
    record_event(actor, "designee.ended", appointment, details={"member": member.get_username(), "reason": reason})
    return appointment


# Lockout ------------------------------------------------------------------------


def locked_until(member):
    """When the lock on `member`'s account ends, or None when it is not locked. Failures count per account, from
    whatever address (as the lockout itself counts them)."""
    threshold = timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)
    recent = AccessAttempt.objects.filter(username=member.get_username(), attempt_time__gte=threshold)
    totals = recent.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (totals["failures"] or 0) < settings.AXES_FAILURE_LIMIT:
        return None
    return totals["last"] + timedelta(minutes=settings.LOCKOUT_MINUTES)


@transaction.atomic
def unlock_member(*, actor, member, reason: str = "") -> int:
    """End the lock after failed logins before LOCKOUT_MINUTES are up. Returns the attempts cleared."""
    permissions.require_people_manager(actor, "unlocks accounts")
    until = locked_until(member)
    if until is None:
        raise InvalidInput(f"{member.get_username()}'s account is not locked.", field="member")
    cleared = reset_lockout(username=member.get_username())
    record_event(
        actor,
        "account.unlocked",
        member,
        details={"locked_until": until.isoformat(), "attempts_cleared": cleared, "reason": (reason or "").strip()},
    )
    return cleared


def account_locked(*, username: str, ip: str | None) -> bool:
    """A login was refused for too many failures. The first refusal of each lock on an account is audited and
    e-mailed to the member and the Chief and designee (never the password tried). Returns whether it was the
    first."""
    member = User.objects.filter(username=username).first() if username else None
    if member is None or locked_until(member) is None:
        return False  # an unknown name, or an address locked rather than this account
    since = timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)
    if AuditEvent.objects.filter(
        verb="account.locked", object_type="auth.user", object_id=str(member.pk), created_at__gte=since
    ).exists():
        return False
    minutes = settings.LOCKOUT_MINUTES
    record_event("system", "account.locked", member, details={"minutes": minutes}, ip=ip)
    notify(
        [member],
        event="account.locked",
        subject="Your socialgov account is locked",
        body=(
            f"After {settings.AXES_FAILURE_LIMIT} failed logins your account is locked for {minutes} minutes. "
            "If this was not you, tell the Chief of Police or the designee."
        ),
    )
    managers = User.objects.filter(groups__name__in=[Role.CHIEF, Role.DESIGNEE], is_active=True).distinct()
    notify(
        [m for m in managers if m.pk != member.pk],
        event="account.locked",
        subject=f"Account locked: {member.get_username()}",
        body=(
            f"{member.get_full_name() or member.get_username()}'s account is locked for {minutes} minutes after "
            f"{settings.AXES_FAILURE_LIMIT} failed logins. You may unlock it on the Members page."
        ),
        url=f"/members/{member.get_username()}/",
    )
    return True


# Two-factor enrolment codes -------------------------------------------------------


def _digest(code: str) -> str:
    # The code is 80 random bits: a plain digest is as good as a slow hash, and lets the code be looked up.
    return hashlib.sha256(code.strip().upper().replace("-", "").replace(" ", "").encode()).hexdigest()


def _new_code() -> str:
    raw = secrets.token_hex(10).upper()  # 80 bits
    return "-".join(raw[i : i + 5] for i in range(0, len(raw), 5))


@transaction.atomic
def issue_enrolment_code(*, actor, member) -> tuple[EnrolmentCode, str]:
    """A one-time code with which `member` sets up their first two-factor device. The code itself is returned
    once, here; only its digest is kept. Earlier unused codes are withdrawn. `actor` None: an administrator's
    command."""
    if actor is not None:
        permissions.require_people_manager(actor, "issues two-factor enrolment codes")
    if not member.is_active:
        raise InvalidInput(f"{member.get_username()}'s account is disabled.", field="member")
    now = timezone.now()
    EnrolmentCode.objects.filter(member=member, used_at__isnull=True, withdrawn_at__isnull=True).update(
        withdrawn_at=now
    )
    code = _new_code()
    hours = settings.ENROLMENT_CODE_HOURS
    enrolment = EnrolmentCode.objects.create(
        member=member, digest=_digest(code), issued_by=actor, issued_at=now, expires_at=now + timedelta(hours=hours)
    )
    record_event(
        actor or "system",
        "two_factor.enrolment_code_issued",
        member,
        details={"expires_at": enrolment.expires_at.isoformat()},
    )
    return enrolment, code


@transaction.atomic
def redeem_enrolment_code(*, member, code: str) -> EnrolmentCode:
    """Check and use up `member`'s enrolment code. Any other member's code, a used, withdrawn or expired one is
    refused the same way."""
    enrolment = (
        EnrolmentCode.objects.select_for_update().filter(member=member, digest=_digest(code or "")).first()
        if (code or "").strip()
        else None
    )
    if enrolment is None or not enrolment.is_usable():
        record_event(member, "two_factor.enrolment_code_refused", member)
        raise InvalidInput(
            "That enrolment code is not valid: it may have expired or been used. Ask the Chief, the designee or "
            "an administrator for a new one.",
            field="code",
        )
    enrolment.used_at = timezone.now()
    enrolment.save(update_fields=["used_at"])
    record_event(member, "two_factor.enrolment_code_used", member)
    return enrolment
