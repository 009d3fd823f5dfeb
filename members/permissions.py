"""Who may do what with people, and the one decision every posting feature asks:
`can_post_for_department(member, channel)` (385.3 authorization + 385.8 training + 385.3 approved equipment).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.errors import PermissionRefused
from core.net import address_in_networks

from .models import REQUIRED_TRAINING_TOPICS, Authorization, RemotePostingException, Role, TrainingRecord, TrainingTopic


def role_names(user) -> frozenset[str]:
    """The member's roles (group names), read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_socialgov_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._socialgov_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(role_names(user) & set(roles))


def is_chief_or_designee(user) -> bool:
    return user.is_active and has_role(user, Role.CHIEF, Role.DESIGNEE)


# Who needs a verified second factor: decided by what a member can reach, not by the name of a role. Each app
# registers the reaches it guards (records and exports, channel credentials, the confidential-terms registry,
# people and authorizations) in its AppConfig.ready; the admin, staff and superusers always count.
_SENSITIVE_REACHES: dict[str, Callable[[object], bool]] = {}


def register_sensitive_reach(name: str, can_reach: Callable[[object], bool]) -> None:
    """Members for whom `can_reach(member)` is true must pass two-factor before any staff page."""
    _SENSITIVE_REACHES[name] = can_reach


def sensitive_reaches(user) -> list[str]:
    """What this member can reach that calls for a second factor, by name ("records and exports", ...)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    reaches = ["the admin"] if (user.is_staff or user.is_superuser) else []
    return reaches + [name for name, can_reach in _SENSITIVE_REACHES.items() if can_reach(user)]


def requires_two_factor(user) -> bool:
    """The one decision: does `user` need a verified second factor? Everyone when OTP_REQUIRED_FOR_ALL is set."""
    if not getattr(user, "is_authenticated", False):
        return False
    if settings.OTP_REQUIRED_FOR_ALL or user.is_staff or user.is_superuser:
        return True
    return bool(sensitive_reaches(user))


# Who may manage people ---------------------------------------------------------


def can_grant_authorization(user) -> bool:
    """385.3: only the Chief of Police or the authorized designee authorizes members to post."""
    return is_chief_or_designee(user)


can_revoke_authorization = can_grant_authorization


def can_record_training(user) -> bool:
    return user.is_active and has_role(user, Role.CHIEF, Role.DESIGNEE, Role.SUPERVISOR)


def can_grant_remote_exception(user) -> bool:
    """385.3: a supervisor may authorize a member to post from other than department-approved equipment."""
    return user.is_active and has_role(user, Role.SUPERVISOR, Role.CHIEF, Role.DESIGNEE)


def can_view_members(user) -> bool:
    return user.is_active and has_role(
        user, Role.CHIEF, Role.DESIGNEE, Role.SUPERVISOR, Role.SMO, Role.REVIEWER, Role.CUSTODIAN
    )


def can_view_member(user, member) -> bool:
    return user.is_active and (user.pk == member.pk or can_view_members(user))


def can_manage_people(user) -> bool:
    """385.3: the Chief of Police or the authorized designee adds members, gives and takes roles, disables and
    unlocks accounts, and issues two-factor enrolment codes."""
    return is_chief_or_designee(user)


def can_appoint_designee(user) -> bool:
    """385.3: the designee is the Chief's: only the Chief of Police appoints one, or ends the appointment."""
    return user.is_active and has_role(user, Role.CHIEF)


def can_give_role(user, role: str) -> bool:
    """The Chief's role is given and taken by the Chief only; the designee's only by appointment."""
    if role == Role.DESIGNEE:
        return False
    if role == Role.CHIEF:
        return can_appoint_designee(user)
    return can_manage_people(user)


def require_people_manager(user, what: str) -> None:
    if not can_manage_people(user):
        raise PermissionRefused(f"Only the Chief of Police or the authorized designee {what}.", section="385.3")


def require_chief(user, what: str) -> None:
    if not can_appoint_designee(user):
        raise PermissionRefused(f"Only the Chief of Police {what}.", section="385.3")


def require_chief_or_designee(user, what: str = "may authorize members to post") -> None:
    """385.3: "Only the Chief of Police or the authorized designee <what>."."""
    if not can_grant_authorization(user):
        raise PermissionRefused(f"Only the Chief of Police or the authorized designee {what}.", section="385.3")


def require_training_recorder(user) -> None:
    if not can_record_training(user):
        raise PermissionRefused("Only the Chief, a designee or a supervisor may record training.")


def require_remote_exception_granter(user) -> None:
    """385.3: posting from other than department-approved equipment is a supervisor's authorization."""
    if not can_grant_remote_exception(user):
        raise PermissionRefused(
            "Only a supervisor may allow posting from other than department-approved equipment.", section="385.3"
        )


def require_member_viewer(user) -> None:
    if not can_view_members(user):
        raise PermissionRefused(
            "The member list is for the Chief, the designee, supervisors, the Social Media Officer, "
            "the annual reviewer and the records custodian."
        )


# May this member post on behalf of the department? ------------------------------


@dataclass(frozen=True)
class Reason:
    section: str
    code: str
    message: str

    def __str__(self):
        return f"{self.message} ({self.section})"


@dataclass(frozen=True)
class PostingDecision:
    allowed: bool
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    def __bool__(self):
        return self.allowed

    @property
    def sections(self) -> list[str]:
        return [r.section for r in self.reasons]


def _authorization_reasons(member, channel, now) -> list[Reason]:
    covering = Authorization.objects.filter(member=member).filter(Q(all_channels=True) | Q(channels=channel)).distinct()
    if any(a.is_active(now) for a in covering):
        return []
    name = getattr(channel, "name", "this channel")
    latest = max(covering, key=lambda a: a.valid_from, default=None)
    if latest is None:
        message = f"Not authorized by the Chief of Police or designee to post to {name}."
        code = "not_authorized"
    elif latest.revoked_at:
        message = f"Authorization to post to {name} was revoked on {timezone.localtime(latest.revoked_at):%Y-%m-%d}."
        code = "authorization_revoked"
    elif latest.valid_from > now:
        message = f"Authorization to post to {name} starts on {timezone.localtime(latest.valid_from):%Y-%m-%d}."
        code = "authorization_not_started"
    else:
        message = f"Authorization to post to {name} expired on {timezone.localtime(latest.valid_until):%Y-%m-%d}."
        code = "authorization_expired"
    return [Reason("385.3", code, message)]


def training_reasons(member, on=None) -> list[Reason]:
    """385.8: current training covering legal issues, privacy, civil rights, dissemination and retention."""
    on = on or timezone.localdate()
    records = list(TrainingRecord.objects.filter(member=member))
    current = [r for r in records if r.is_current(on)]
    if not current:
        lapsed = [r for r in records if r.expires_on < on]
        if lapsed:
            last = max(lapsed, key=lambda r: r.expires_on)
            message = f"Social media training expired on {last.expires_on:%Y-%m-%d}."
            return [Reason("385.8", "training_expired", message)]
        return [Reason("385.8", "training_missing", "No current social media training is on record.")]
    covered = set().union(*(set(r.topics) for r in current))
    missing = [TrainingTopic(t).label.lower() for t in TrainingTopic.values if t not in covered]
    if missing:
        return [
            Reason(
                "385.8",
                "training_incomplete",
                "Current training does not cover: " + ", ".join(missing) + ".",
            )
        ]
    return []


def network_reasons(member, ip: str | None, at=None) -> list[Reason]:
    """385.3: department-approved equipment, unless a supervisor granted a remote-posting exception."""
    networks = settings.POSTING_NETWORKS
    if not networks or ip is None:
        return []
    if address_in_networks(ip, networks):
        return []
    at = at or timezone.now()
    exceptions = RemotePostingException.objects.filter(member=member, revoked_at__isnull=True)
    if any(e.is_active(at) for e in exceptions):
        return []
    return [
        Reason(
            "385.3",
            "unapproved_network",
            f"Posting is allowed only from department-approved equipment; {ip} is outside the approved "
            "networks and no supervisor's remote-posting exception is in force.",
        )
    ]


def can_post_for_department(member, channel, *, ip: str | None = None, at=None) -> PostingDecision:
    """May `member` post on behalf of the department to `channel` now (from address `ip`, if given)?

    Yes only while the member holds an active authorization covering the channel (385.3) AND current
    training (385.8), and, when POSTING_NETWORKS is set, posts from an approved network or holds a
    supervisor's remote-posting exception (385.3). When the answer is no, every reason is given.
    """
    now = at or timezone.now()
    reasons: list[Reason] = []
    if not getattr(member, "is_active", False):
        return PostingDecision(False, (Reason("385.3", "account_disabled", "The member's account is disabled."),))
    reasons += _authorization_reasons(member, channel, now)
    reasons += training_reasons(member, timezone.localdate(now))
    reasons += network_reasons(member, ip, now)
    return PostingDecision(not reasons, tuple(reasons))


def has_current_training(member, on=None) -> bool:
    return not training_reasons(member, on)


__all__ = [
    "REQUIRED_TRAINING_TOPICS",
    "PostingDecision",
    "Reason",
    "can_grant_authorization",
    "can_post_for_department",
    "can_record_training",
    "requires_two_factor",
]
