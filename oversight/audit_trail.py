"""The audit trail viewer: the trail filtered for a reader, as pages and as CSV, and the verification a reader asks
for. Reading the trail is itself recorded in it: each page of results and each export is one event naming the
filters used (never what was read), so the trail shows who looked at what."""

import csv
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.audit import record_event
from core.checkpoints import latest_verification
from core.errors import InvalidTransition, PermissionRefused
from core.models import AuditEvent, AuditVerification
from core.queueing import enqueue_on_commit

from .audit_trail_tasks import verify_requested_audit_trail_task
from .integrity import VERIFICATION_REQUESTED, answers
from .permissions import can_view_audit_trail

PAGE_SIZE = 50
CSV_CHUNK_SIZE = 2000

VIEWED = "audit.viewed"
EXPORTED = "audit.exported"

# A request for a verification that has not been answered within this is taken to have lost its message: the
# page stops saying it is running and another may be asked for (the daily verification answers it meanwhile).
VERIFICATION_PATIENCE = timedelta(minutes=15)

OUTCOME_ALL = "all"
OUTCOME_SUCCEEDED = "succeeded"
OUTCOME_REFUSED_OR_FAILED = "refused_or_failed"
OUTCOMES = [
    (OUTCOME_ALL, "All"),
    (OUTCOME_SUCCEEDED, "Succeeded"),
    (OUTCOME_REFUSED_OR_FAILED, "Refused or failed"),
]

# The verbs' own words for an action that did not go through: login.failed, login.two_factor_failed,
# two_factor.confirm_failed, two_factor.enrolment_code_refused, publication.failed, export.failed.
_REFUSAL_ENDINGS = (".failed", "_failed", ".refused", "_refused")
# A delivery the checks at sending stopped: the publication is recorded as failed, under a verb that says why.
_REFUSALS_NAMED_OTHERWISE = ("publication.held_at_send",)

# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_repr",
    "verb",
    "object_type",
    "object_id",
    "object_repr",
    "ip",
    "details",
    "prev_hash",
    "hash",
)


def require_trail_reader(user) -> None:
    if not can_view_audit_trail(user):
        raise PermissionRefused(
            "Only the Chief of Police, the designee, the records custodian and the annual reviewer read the audit "
            "trail."
        )


# Filtering ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrailFilters:
    """What a reader narrowed the trail to; empty values do not narrow it."""

    actor: str = ""
    verb: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None
    outcome: str = OUTCOME_ALL

    def as_params(self) -> dict:
        """The filters in use as plain strings (dates ISO), for links and for the audit event of a reading."""
        params = {}
        for name in ("actor", "verb", "object_type", "object_id", "date_from", "date_to", "outcome"):
            value = getattr(self, name)
            if name == "outcome" and value == OUTCOME_ALL:
                continue
            if value:
                params[name] = value.isoformat() if isinstance(value, date) else value
        return params


def refused_or_failed() -> Q:
    """The events that record an action refused or failed (see `filtered_trail`)."""
    condition = Q(verb__in=_REFUSALS_NAMED_OTHERWISE)
    for ending in _REFUSAL_ENDINGS:
        condition |= Q(verb__endswith=ending)
    return condition


def _day_start(day: date) -> datetime:
    """Midnight beginning `day` in the site's time zone, the zone the page shows times in."""
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_trail(filters: TrailFilters) -> QuerySet[AuditEvent]:
    """The events matching `filters`, newest first, each with its actor.

    - actor: the username the event was recorded under, or the member's username now (a renamed member is found
      by either); "system" finds what the server did on its own.
    - verb: exact ("post.approved"), or every verb starting so when it ends with a dot ("post." finds
      post.submitted, post.approved, ... but not post_request.created).
    - object type ("posts.post") and object id: exact.
    - from and to: calendar days in the site's time zone, both included.
    - outcome: the trail records what was done, not a result, so the outcome is read from the verb. "Refused or
      failed" is an event whose verb says the action did not go through: one ending in ".failed", "_failed",
      ".refused" or "_refused" (a failed login or second factor, a refused enrolment code, a failed publication or
      export), and publication.held_at_send (a delivery the checks at sending stopped, recorded as a failed
      publication). "Succeeded" is every other event: an action carried out, including decisions that say no to
      something else (post.rejected is a supervisor's rejection made) and verifications that found problems
      (audit.verified: the verification ran; what it found is in its details). A page refused to a member for
      want of a role is not recorded in the trail, so it is in neither.
    """
    events = AuditEvent.objects.select_related("actor")
    if filters.actor:
        events = events.filter(Q(actor_repr=filters.actor) | Q(actor__username=filters.actor))
    if filters.verb:
        if filters.verb.endswith("."):
            events = events.filter(verb__startswith=filters.verb)
        else:
            events = events.filter(verb=filters.verb)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.date_from:
        events = events.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        events = events.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.outcome == OUTCOME_REFUSED_OR_FAILED:
        events = events.filter(refused_or_failed())
    elif filters.outcome == OUTCOME_SUCCEEDED:
        events = events.exclude(refused_or_failed())
    return events.order_by("-seq")


def details_text(details) -> str:
    """An event's details as the JSON it is: keys sorted, non-ASCII kept readable."""
    return json.dumps(details, sort_keys=True, ensure_ascii=False, default=str)


# CSV ---------------------------------------------------------------------------------------------------------


def _cell(value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv_values(event: AuditEvent) -> tuple:
    """The row as it was hashed (AuditEvent.canonical): the time in UTC to the microsecond, details as canonical
    JSON, an empty cell for no actor or address."""
    return (
        event.seq,
        event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        event.actor_id,
        event.actor_repr,
        event.verb,
        event.object_type,
        event.object_id,
        event.object_repr,
        event.ip,
        json.dumps(event.details, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str),
        event.prev_hash,
        event.hash,
    )


class _Line:
    """A file for csv.writer that hands back what was written, so each row is sent as soon as it is made."""

    def write(self, value: str) -> str:
        return value


def csv_lines(filters: TrailFilters, *, chunk_size: int = CSV_CHUNK_SIZE):
    """The filtered trail as CSV lines, header first, newest first: every column an auditor needs to recompute
    each hash, SHA-256(prev_hash + canonical JSON of the other columns). A cell that would start with = + - @, a
    tab or a carriage return starts with an apostrophe so that a spreadsheet shows it instead of running it;
    remove that apostrophe before recomputing. Read in chunks, never the whole trail at once."""
    writer = csv.writer(_Line())
    yield writer.writerow(CSV_COLUMNS)
    # Every column is the event's own; the actor's row is not needed.
    events = filtered_trail(filters).select_related(None)
    for event in events.iterator(chunk_size=chunk_size):
        yield writer.writerow([_cell(value) for value in _csv_values(event)])


# Reading, recorded -------------------------------------------------------------------------------------------


@transaction.atomic
def record_trail_viewed(*, actor, filters: TrailFilters, page: int, matching: int) -> AuditEvent:
    """One page of the trail read: the event names the filters, the page and how many events matched."""
    require_trail_reader(actor)
    return record_event(actor, VIEWED, details={"filters": filters.as_params(), "page": page, "matching": matching})


@transaction.atomic
def record_trail_exported(*, actor, filters: TrailFilters) -> AuditEvent:
    """The filtered trail exported as CSV: recorded before the first row is sent."""
    require_trail_reader(actor)
    return record_event(actor, EXPORTED, details={"filters": filters.as_params(), "format": "csv"})


# Verification on request -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerificationStatus:
    latest: AuditVerification | None
    verified_by: str  # the username of who asked for it, "" for the daily verification
    pending: AuditEvent | None  # a request not yet answered, within VERIFICATION_PATIENCE
    overdue: AuditEvent | None  # a request not answered within it

    @property
    def problem_count(self) -> int:
        return len(self.latest.problems) + self.latest.more_problems if self.latest else 0


def verification_status(*, now: datetime | None = None) -> VerificationStatus:
    """The newest verification, who caused it, and a reader's request it has not answered yet."""
    latest = latest_verification()
    verified_by = ""
    if latest is not None:
        actor = (
            AuditEvent.objects.filter(
                verb="audit.verified", object_type=AuditVerification._meta.label_lower, object_id=str(latest.pk)
            )
            .values_list("actor_repr", flat=True)
            .first()
        )
        verified_by = "" if actor in (None, "", "system") else actor
    request = AuditEvent.objects.filter(verb=VERIFICATION_REQUESTED).order_by("-seq").first()
    if answers(latest, request):
        return VerificationStatus(latest, verified_by, None, None)
    if request.created_at >= (now or timezone.now()) - VERIFICATION_PATIENCE:
        return VerificationStatus(latest, verified_by, request, None)
    return VerificationStatus(latest, verified_by, None, request)


@transaction.atomic
def request_verification(*, actor) -> AuditEvent:
    """Ask for the trail to be verified now, by a worker once this commits. Refused while an earlier request is
    still running, so a button pressed twice walks the trail once."""
    require_trail_reader(actor)
    running = verification_status().pending
    if running is not None:
        raise InvalidTransition(
            f"A verification asked for by {running.actor_repr} at "
            f"{timezone.localtime(running.created_at):%Y-%m-%d %H:%M} is still running."
        )
    request = record_event(actor, VERIFICATION_REQUESTED)
    enqueue_on_commit(verify_requested_audit_trail_task, request.seq)
    return request
