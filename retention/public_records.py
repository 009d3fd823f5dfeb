"""Public-records requests (385.5.1(a)): logged with a statutory due date, records attached as they are found,
and kept from destruction while the request is open."""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from core.audit import record_event
from core.errors import InvalidInput, InvalidTransition
from core.history import stamp

from .models import Record, RecordsRequest, RequestRecord
from .permissions import can_keep_records, require_records_custodian


def statutory_due_date(received_on: date) -> date:
    """`RECORDS_REQUEST_DAYS` after receipt, counting business days (Monday–Friday) where the statute does."""
    days = settings.RECORDS_REQUEST_DAYS
    if not settings.RECORDS_REQUEST_BUSINESS_DAYS:
        return received_on + timedelta(days=days)
    due = received_on
    while days > 0:
        due += timedelta(days=1)
        if due.weekday() < 5:
            days -= 1
    return due


def _next_number(received_on: date) -> str:
    prefix = f"PRR-{received_on.year}-"
    last = RecordsRequest.objects.filter(number__startswith=prefix).aggregate(n=Max("number"))["n"]
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


@transaction.atomic
def log_request(
    *,
    actor,
    requester: str,
    description: str,
    received_on: date | None = None,
    requester_contact: str = "",
    assigned_to=None,
    number: str = "",
) -> RecordsRequest:
    """Log a request as received. The due date follows from the received date; the number is the next in
    the year's sequence unless the request already carries one (e.g. from the city's request portal)."""
    require_records_custodian(actor, "logs public-records requests")
    requester, description = (requester or "").strip(), (description or "").strip()
    number = (number or "").strip()
    received_on = received_on or timezone.localdate()
    if not requester:
        raise InvalidInput("Name the requester.", field="requester")
    if not description:
        raise InvalidInput("Describe the records asked for.", field="description")
    if received_on > timezone.localdate():
        raise InvalidInput("The received date cannot be in the future.", field="received_on")
    assigned_to = assigned_to or actor

    if not can_keep_records(assigned_to):
        raise InvalidInput(f"{assigned_to.get_username()} is not a records custodian.", field="assigned_to")
    if number and RecordsRequest.objects.filter(number=number).exists():
        raise InvalidInput(f"Request {number} is already logged.", field="number")
    request = RecordsRequest(
        number=number or _next_number(received_on),
        requester=requester,
        requester_contact=(requester_contact or "").strip(),
        received_on=received_on,
        description=description,
        due_on=statutory_due_date(received_on),
        assigned_to=assigned_to,
        logged_by=actor,
    )
    try:
        with transaction.atomic():
            stamp(request, actor, "Request logged").save()
    except IntegrityError as error:  # two custodians logging at the same moment took the same number
        raise InvalidInput("That request number was just taken; log it again.", field="number") from error
    record_event(
        actor,
        "request.logged",
        request,
        details={
            "number": request.number,
            "received_on": received_on.isoformat(),
            "due_on": request.due_on.isoformat(),
        },
    )
    return request


@transaction.atomic
def attach_records(*, actor, request: RecordsRequest, records) -> int:
    """Attach records found for the request; they cannot be destroyed while it stays open. `records` is a list
    of records or ids the custodian picked, or a queryset (every result of a search, however many). Returns how
    many were newly attached (attaching twice is harmless)."""
    require_records_custodian(actor, "attaches records to a request")
    request = RecordsRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RecordsRequest.Status.OPEN:
        raise InvalidTransition(
            f"Request {request.number} is closed; records can no longer be attached.", field="request"
        )
    if isinstance(records, QuerySet):
        pool = records.exclude(status=Record.Status.DESTROYED)
    else:
        ids = sorted({r if isinstance(r, int) else r.pk for r in records})
        if not ids:
            raise InvalidInput("Choose at least one record to attach.", field="record")
        pool = Record.objects.filter(pk__in=ids).exclude(status=Record.Status.DESTROYED)
        missing = sorted(set(ids) - set(pool.values_list("pk", flat=True)))
        if missing:
            raise InvalidInput(f"No kept record numbered {', '.join(map(str, missing[:10]))}.", field="record")
    # A subquery, not a list of ids: a search may take in more records than a query can list as parameters.
    new = (
        pool.exclude(pk__in=RequestRecord.objects.filter(request=request).values("record_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    added, first = 0, []
    batch = []
    for pk in new.iterator(chunk_size=5000):
        batch.append(RequestRecord(request=request, record_id=pk, added_by=actor))
        if len(first) < 100:
            first.append(pk)
        if len(batch) >= 5000:
            RequestRecord.objects.bulk_create(batch)
            added, batch = added + len(batch), []
    if batch:
        RequestRecord.objects.bulk_create(batch)
        added += len(batch)
    if added:
        record_event(
            actor,
            "request.records_attached",
            request,
            details={"number": request.number, "attached": added, "first_records": first},
        )
    return added


@transaction.atomic
def close_request(*, actor, request: RecordsRequest, fulfilled: bool, note: str) -> RecordsRequest:
    """Close the request: fulfilled (records released) or closed without release (withdrawn, no records,
    exempt). Its records become subject to their retention again."""
    require_records_custodian(actor, "closes public-records requests")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("Say how the request was answered.", field="note")
    request = RecordsRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RecordsRequest.Status.OPEN:
        raise InvalidTransition(f"Request {request.number} is already closed.", field="status")
    request.status = RecordsRequest.Status.FULFILLED if fulfilled else RecordsRequest.Status.CLOSED
    request.closed_at, request.closed_by, request.closing_note = timezone.now(), actor, note
    stamp(request, actor, "Request closed").save()
    record_event(
        actor, "request.closed", request, details={"number": request.number, "status": request.status, "note": note}
    )
    return request


def requested_record_ids() -> set[int]:
    """Every record attached to an open request, computed once (for scans over many records)."""
    return set(
        RequestRecord.objects.filter(request__status=RecordsRequest.Status.OPEN).values_list("record_id", flat=True)
    )


def open_requests_for(record: Record) -> list[RecordsRequest]:
    return list(
        RecordsRequest.objects.filter(status=RecordsRequest.Status.OPEN, requestrecord__record=record).order_by(
            "due_on"
        )
    )
