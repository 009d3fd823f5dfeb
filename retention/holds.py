"""Legal holds: freeze every record in scope, now and captured later. A held record is never destroyed."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import record_event
from core.errors import InvalidInput, InvalidTransition
from core.history import stamp

from . import media
from .models import HeldRecord, LegalHold, Record
from .permissions import require_records_custodian


def _clean_list(values) -> list[str]:
    return sorted({str(v).strip() for v in (values or []) if str(v).strip()})


def candidates(hold: LegalHold):
    """A database pre-filter for the hold's scope; `LegalHold.covers` decides each record."""
    records = Record.objects.filter(status=Record.Status.ACTIVE)
    if hold.date_from:
        records = records.filter(Q(published_at__date__gte=hold.date_from) | Q(published_at__isnull=True))
    if hold.date_to:
        records = records.filter(Q(published_at__date__lte=hold.date_to) | Q(published_at__isnull=True))
    if hold.keywords:
        match = Q()
        for keyword in hold.keywords:
            match |= Q(text__icontains=keyword) | Q(title__icontains=keyword)
        records = records.filter(match)
    return records


def _attach(hold: LegalHold) -> int:
    added = 0
    picked = set(hold.picked.values_list("pk", flat=True))
    scoped = hold.date_from or hold.date_to or hold.channel_slugs or hold.people or hold.keywords
    pool = list(candidates(hold).iterator(chunk_size=2000)) if scoped else []
    pool += list(Record.objects.filter(pk__in=picked))
    for record in pool:
        if record.pk in picked or hold.covers(record):
            _, created = HeldRecord.objects.get_or_create(hold=hold, record=record)
            added += created
    return added


@transaction.atomic
def place_hold(
    *,
    actor,
    matter: str,
    requested_by: str,
    reason: str,
    reference: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    channel_slugs=(),
    people=(),
    keywords=(),
    records=(),
) -> LegalHold:
    require_records_custodian(actor, "places and releases legal holds")
    matter, requested_by, reason = (matter or "").strip(), (requested_by or "").strip(), (reason or "").strip()
    if not matter:
        raise InvalidInput("Name the matter.", field="matter")
    if not requested_by:
        raise InvalidInput("Say who asked for the hold.", field="requested_by")
    if not reason:
        raise InvalidInput("Give the reason for the hold.", field="reason")
    if date_from and date_to and date_to < date_from:
        raise InvalidInput("“To” must not be before “From”.", field="date_to")
    keywords, people, channel_slugs = _clean_list(keywords), _clean_list(people), _clean_list(channel_slugs)
    records = list(records)
    if not (date_from or date_to or keywords or people or channel_slugs or records):
        raise InvalidInput(
            "Give the hold a scope: dates, channels, people, keywords or chosen records.", field="keywords"
        )
    hold = LegalHold(
        matter=matter,
        reference=(reference or "").strip(),
        requested_by=requested_by,
        reason=reason,
        custodian=actor,
        date_from=date_from,
        date_to=date_to,
        channel_slugs=channel_slugs,
        people=people,
        keywords=keywords,
    )
    stamp(hold, actor, "Hold placed").save()
    if records:
        hold.picked.set(records)
    held = _attach(hold)
    # The held records' media gets an Object Lock legal hold once this commits (and the daily sweep mends it).
    _media_after_commit(hold)
    record_event(
        actor,
        "hold.placed",
        hold,
        details={"matter": matter, "reference": hold.reference, "keywords": keywords, "records_held": held},
    )
    return hold


@transaction.atomic
def release_hold(*, actor, hold: LegalHold, reason: str) -> LegalHold:
    require_records_custodian(actor, "places and releases legal holds")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give the reason for releasing the hold.", field="reason")
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.status != LegalHold.Status.ACTIVE:
        raise InvalidTransition("This hold was already released.", field="status")
    hold.status, hold.released_at, hold.released_by, hold.release_reason = (
        LegalHold.Status.RELEASED,
        timezone.now(),
        actor,
        reason,
    )
    stamp(hold, actor, "Hold released").save()
    _media_after_commit(hold)  # their media's legal hold goes unless another hold still covers it
    record_event(actor, "hold.released", hold, details={"reason": reason})
    return hold


def _media_after_commit(hold: LegalHold) -> None:
    media.after_commit_refresh(
        HeldRecord.objects.filter(hold=hold, record__media__isnull=False).values_list("record_id", flat=True)
    )


def hold_new_record(record: Record) -> int:
    """A record captured after a hold was placed joins every active hold whose scope covers it."""
    added = 0
    for hold in LegalHold.objects.filter(status=LegalHold.Status.ACTIVE):
        if hold.covers(record):
            _, created = HeldRecord.objects.get_or_create(hold=hold, record=record)
            added += created
    return added


def holds_on(record: Record) -> list[LegalHold]:
    """Every active hold on the record: its memberships, and any hold whose scope covers it now (so a record
    captured by any path, or missed by a membership, is still protected)."""
    holds = []
    for hold in LegalHold.objects.filter(status=LegalHold.Status.ACTIVE):
        if HeldRecord.objects.filter(hold=hold, record=record).exists() or hold.covers(record):
            holds.append(hold)
    return holds


def is_held(record: Record) -> bool:
    return bool(holds_on(record))


def held_record_ids() -> set[int]:
    """Every record under an active hold, computed once (for scans over many records)."""
    ids = set(HeldRecord.objects.filter(hold__status=LegalHold.Status.ACTIVE).values_list("record_id", flat=True))
    for hold in LegalHold.objects.filter(status=LegalHold.Status.ACTIVE):
        if hold.date_from or hold.date_to or hold.channel_slugs or hold.people or hold.keywords:
            scoped = candidates(hold).only(
                "pk", "published_at", "captured_at", "channel_slugs", "author_username", "title", "text"
            )
            ids |= {r.pk for r in scoped.iterator(chunk_size=2000) if hold.scope_covers(r)}
    return ids
