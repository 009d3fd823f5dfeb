"""Training compliance (385.8): who holds current training in each required topic and until when, whose posting
lapsed training suspends, and the reminders sent before a record runs out.

A topic is covered on a day by a record that is current that day (completed on or before it, expiring on or after
it), the same rule `members.permissions.training_reasons` applies when it decides whether a member may post; so a
member shown here with a lapsed or missing topic is exactly a member that decision refuses for training."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from core.audit import record_event
from core.notifications import notify
from members.models import Authorization, Role, TrainingRecord, TrainingTopic

from .models import TrainingReminder

User = get_user_model()

SECTION = "385.8"
EXPIRING_WITHIN_DAYS = 30
# Members of these roles draft and publish for the department, so they are followed even before (or between)
# authorizations: the Chief authorizes only members whose training is current.
POSTING_ROLES = (Role.SMO, Role.TEAM)

SHORT_TOPIC_LABELS = {
    TrainingTopic.LEGAL: "Legal issues",
    TrainingTopic.PRIVACY: "Privacy",
    TrainingTopic.CIVIL_RIGHTS: "Civil rights",
    TrainingTopic.DISSEMINATION: "Dissemination",
    TrainingTopic.RETENTION: "Retention",
}


class TopicStatus(models.TextChoices):
    OK = "ok", "OK"
    EXPIRING = "expiring", "Expiring"
    LAPSED = "lapsed", "Lapsed"
    MISSING = "missing", "Missing"


PROBLEMS = frozenset({TopicStatus.LAPSED, TopicStatus.MISSING})
# Problems first, then what runs out soon.
_STATUS_RANK = {TopicStatus.LAPSED: 0, TopicStatus.MISSING: 0, TopicStatus.EXPIRING: 1, TopicStatus.OK: 2}


def _latest(record: TrainingRecord):
    """The record that keeps a topic covered longest; ties go to the one recorded last."""
    return (record.expires_on, record.completed_on, record.pk)


@dataclass(frozen=True)
class TopicCoverage:
    topic: str
    record: TrainingRecord | None
    status: str
    days_left: int | None  # negative once lapsed

    @property
    def label(self) -> str:
        return TrainingTopic(self.topic).label

    @property
    def short_label(self) -> str:
        return SHORT_TOPIC_LABELS[self.topic]

    @property
    def status_label(self) -> str:
        return TopicStatus(self.status).label

    @property
    def expires_on(self) -> date | None:
        return self.record.expires_on if self.record else None

    @property
    def is_problem(self) -> bool:
        return self.status in PROBLEMS


def topic_coverage(records, today: date) -> list[TopicCoverage]:
    """Each required topic with the record that covers it: the current record lasting longest, or, when none is
    current, the last one that did (lapsed). Works on records already in memory."""
    cells = []
    for topic in TrainingTopic.values:
        # A record completed after `today` did not yet cover anything on that day.
        covering = [r for r in records if topic in r.topics and r.completed_on <= today]
        current = [r for r in covering if r.is_current(today)]
        if current:
            record = max(current, key=_latest)
            days = (record.expires_on - today).days
            status = TopicStatus.EXPIRING if days <= EXPIRING_WITHIN_DAYS else TopicStatus.OK
        elif covering:
            record = max(covering, key=_latest)
            days = (record.expires_on - today).days
            status = TopicStatus.LAPSED
        else:
            record, days, status = None, None, TopicStatus.MISSING
        cells.append(TopicCoverage(topic=topic, record=record, status=status, days_left=days))
    return cells


@dataclass(frozen=True)
class MemberCompliance:
    user: object
    roles: list[str]
    authorization: str  # "active", "scheduled" or "none"
    authorized_from: object  # when a scheduled authorization starts
    topics: list[TopicCoverage]

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def has_problem(self) -> bool:
        return any(c.is_problem for c in self.topics)

    @property
    def is_expiring(self) -> bool:
        return not self.has_problem and any(c.status == TopicStatus.EXPIRING for c in self.topics)

    @property
    def suspended(self) -> bool:
        """An active authorization that lapsed training stops: the member may not post (385.8)."""
        return self.authorization == "active" and self.has_problem

    @property
    def worst(self) -> str:
        return min((c.status for c in self.topics), key=_STATUS_RANK.__getitem__)

    @property
    def trained_until(self) -> date | None:
        """The last day every required topic is covered, or None when one is not covered today."""
        if self.has_problem:
            return None
        return min(c.expires_on for c in self.topics)

    def sort_key(self):
        soonest = min((c.expires_on for c in self.topics if c.expires_on), default=date.max)
        return (not self.suspended, _STATUS_RANK[self.worst], soonest, self.name.lower(), self.user.get_username())


def _open_authorizations(now):
    """Authorizations in force now or starting later."""
    return Authorization.objects.unrevoked().filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))


def compliance_rows(*, supervisor=None) -> list[MemberCompliance]:
    """Every active member who holds an authorization to post (in force or scheduled) or a posting role, with their
    training by required topic; with `supervisor`, only that supervisor's people. Problems first: suspended
    posting, then lapsed or missing topics, then training that runs out within 30 days. Four queries."""
    now = timezone.now()
    today = timezone.localdate(now)
    open_auths = _open_authorizations(now)
    posting_role_members = User.groups.through.objects.filter(group__name__in=POSTING_ROLES).values("user_id")
    users = (
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=open_auths.values("member_id")) | Q(pk__in=posting_role_members))
        .prefetch_related(
            "groups",
            Prefetch("authorizations", queryset=open_auths, to_attr="open_authorizations"),
            Prefetch("training_records", queryset=TrainingRecord.objects.order_by(), to_attr="all_training"),
        )
        .order_by("last_name", "first_name", "username")
    )
    if supervisor is not None:
        users = users.filter(profile__supervisor=supervisor)
    rows = []
    for user in users:
        auths = user.open_authorizations
        if any(a.is_active(now) for a in auths):
            state, starts = "active", None
        elif auths:
            state, starts = "scheduled", min(a.valid_from for a in auths)
        else:
            state, starts = "none", None
        rows.append(
            MemberCompliance(
                user=user,
                roles=sorted(g.name for g in user.groups.all()),
                authorization=state,
                authorized_from=starts,
                topics=topic_coverage(user.all_training, today),
            )
        )
    rows.sort(key=MemberCompliance.sort_key)
    return rows


def compliance_summary(rows: list[MemberCompliance]) -> dict[str, int]:
    return {
        "members": len(rows),
        "suspended": sum(r.suspended for r in rows),
        "lapsed": sum(r.has_problem for r in rows),
        "expiring": sum(r.is_expiring for r in rows),
    }


CSV_HEADER = [
    "member",
    "name",
    "topic",
    "covered by record",
    "completed on",
    "expires on",
    "status",
    "posting suspended",
]


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet runs a cell starting with these as a formula: a name typed as "=HYPERLINK(...)" stays text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def compliance_csv_rows(rows: list[MemberCompliance]):
    """One row per member and required topic, as the page shows them."""
    yield CSV_HEADER
    for row in rows:
        for cell in row.topics:
            record = cell.record
            yield [
                csv_cell(v)
                for v in (
                    row.user.get_username(),
                    row.user.get_full_name(),
                    cell.label,
                    record.pk if record else "",
                    record.completed_on.isoformat() if record else "",
                    record.expires_on.isoformat() if record else "",
                    cell.status,
                    "yes" if row.suspended else "no",
                )
            ]


def suspended_by_training() -> list:
    """Members whose posting lapsed training suspends: an authorization in force, but some required topic not
    covered by current training (385.8). Two queries."""
    now = timezone.now()
    today = timezone.localdate(now)
    users = (
        User.objects.filter(is_active=True, pk__in=Authorization.objects.active(now).values("member_id"))
        .prefetch_related(
            Prefetch("training_records", queryset=TrainingRecord.objects.order_by(), to_attr="all_training")
        )
        .order_by("last_name", "first_name", "username")
    )
    return [u for u in users if any(c.is_problem for c in topic_coverage(u.all_training, today))]


def suspended_by_training_count() -> int:
    return len(suspended_by_training())


# Reminders before a record runs out ------------------------------------------------------------------------

REMINDER_THRESHOLDS = tuple(sorted(TrainingReminder.Threshold.values))  # smallest first: 7, 30


def reminder_due(days_left: int) -> int | None:
    """The one reminder due when a record has `days_left` days to run: the smallest threshold not yet passed.

    Between 30 and 8 days out it is the 30-day reminder; from 7 days out (to the last valid day) the 7-day one.
    A run that missed days catches up with the reminder due now and never with a larger one whose moment has
    passed: a member 5 days from expiry gets the 7-day reminder only, not a "30 days" message as well."""
    if days_left < 0:
        return None
    return next((t for t in REMINDER_THRESHOLDS if days_left <= t), None)


def _supervisor_of(user):
    try:
        return user.profile.supervisor
    except ObjectDoesNotExist:
        return None


def _in_days(days: int) -> str:
    if days == 0:
        return "today"
    return f"in {days} day{'' if days == 1 else 's'}"


def _remind(record: TrainingRecord, threshold: int, topics: list[str], today: date) -> int | None:
    """Send one reminder for `record` unless it was sent already; the notifications and the row that says they
    were sent commit together. Returns how many notifications were queued (a member without an e-mail address
    gets none), or None when another run had sent it."""
    member = record.member
    with transaction.atomic():
        # A second run (or a worker re-running a message) finds the row, or waits on the unique constraint until
        # the first run commits and then finds it.
        _, created = TrainingReminder.objects.get_or_create(
            record=record, threshold=threshold, defaults={"sent_on": today}
        )
        if not created:
            return None
        days = (record.expires_on - today).days
        event = f"training.expiring_{threshold}"
        labels = ", ".join(TrainingTopic(t).label.lower() for t in topics)
        until = f"{record.expires_on:%Y-%m-%d}"
        what = f"“{record.course}” (completed {record.completed_on:%Y-%m-%d}) covers {labels} through {until}"
        rule = (
            "Members authorized to post on behalf of the department must hold current training in legal issues, "
            "privacy, civil rights, dissemination and retention (385.8); once it runs out, posting stops until the "
            "training is renewed and recorded."
        )
        sent = notify(
            [member],
            event=event,
            subject=f"Your social media training expires {_in_days(days)}, on {until} (385.8)",
            body=f"Your training {what}.\n\n{rule}",
            url=reverse("members:detail", args=[member.get_username()]),
        )
        supervisor = _supervisor_of(member)
        if supervisor is not None and supervisor.pk != member.pk:
            name = member.get_full_name() or member.get_username()
            sent += notify(
                [supervisor],
                event=event,
                subject=f"{name}'s social media training expires {_in_days(days)}, on {until} (385.8)",
                body=f"{name}'s training {what}.\n\n{rule}",
                url=reverse("oversight:training"),
            )
        return len(sent)


def send_training_reminders(today: date | None = None) -> int:
    """Remind members, and their supervisors, 30 and 7 days before a training record runs out (385.8). Each
    (record, threshold) is sent at most once, whatever the number of runs.

    Only a record that is still the last to cover one of its topics is reminded: a topic renewed by a later
    record is not about to lapse. Disabled members are not reminded. Returns the number of reminders sent."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(REMINDER_THRESHOLDS))
    soon = TrainingRecord.objects.filter(member__is_active=True, expires_on__gte=today, expires_on__lte=horizon)
    # Every record of those members that could still outlast one running out soon: a record that expired before
    # `today` renews nothing.
    records = (
        TrainingRecord.objects.filter(member_id__in=soon.values("member_id"), expires_on__gte=today)
        .select_related("member__profile__supervisor")
        .prefetch_related("reminders")
        .order_by("member_id", "pk")
    )
    by_member: dict[int, list[TrainingRecord]] = {}
    for record in records:
        by_member.setdefault(record.member_id, []).append(record)

    counts = {f"expiring_{t}": 0 for t in REMINDER_THRESHOLDS}
    notifications = 0
    for member_records in by_member.values():
        last_cover: dict[int, tuple[TrainingRecord, list[str]]] = {}
        for topic in TrainingTopic.values:
            covering = [r for r in member_records if topic in r.topics]
            if covering:
                record = max(covering, key=_latest)
                last_cover.setdefault(record.pk, (record, []))[1].append(topic)
        for record, topics in last_cover.values():
            threshold = reminder_due((record.expires_on - today).days)
            if threshold is None or threshold in {r.threshold for r in record.reminders.all()}:
                continue
            queued = _remind(record, threshold, topics, today)
            if queued is not None:
                counts[f"expiring_{threshold}"] += 1
                notifications += queued
    sent = sum(counts.values())
    if sent:
        record_event(
            "system",
            "training.reminders_sent",
            details={"on": today.isoformat(), **counts, "notifications": notifications},
        )
    return sent
