"""Starting, following, downloading and expiring exports of records (385.5.1(a), 385.7).

An export is asked for here and built by a task (`bag.build_export`); the package is kept in the exports store
(core.storage: a folder or an S3 bucket) for EXPORT_EXPIRY_HOURS, every download is audited, and expiry deletes
it from the store. A build is attempted at most
EXPORT_MAX_ATTEMPTS times; then the export is given up (`give_up_export`).
"""

import logging
from collections.abc import Iterable
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.audit import record_event
from core.errors import InvalidInput, InvalidTransition, PermissionRefused
from core.history import full_clean
from core.queueing import enqueue_on_commit
from core.storage import is_s3

from .. import disposition
from ..models import DispositionBatch, Export, LegalHold, Record, RecordKind, RecordsRequest, Redaction
from ..permissions import can_keep_records, require_export_reader
from ..search import filter_records
from .redact import record_contains
from .stored import delete_package, download_address, exports_store, open_stored, package_exists

log = logging.getLogger(__name__)

SCOPES = ("query", "hold", "request", "record_ids")

# How much of the progress bar each phase fills: writing the records is nearly all the work; then the listings go
# into the package, the package is hashed once and stored.
WRITING_SHARE = 90
PHASE_PERCENT = {"Checksumming": 90, "Packaging": 95, "Storing": 97}


def can_export(user) -> bool:
    return can_keep_records(user)


# Which records --------------------------------------------------------------------------------------------


def _scope_records(
    *,
    query: dict | None,
    hold_id: int | None,
    request_id: int | None,
    record_ids: list[int] | None,
    batch_id: int | None = None,
) -> QuerySet:
    if query is not None:
        # The search may annotate, order or join as it likes; the export only needs which records it found.
        return Record.objects.filter(pk__in=filter_records(dict(query)).values("pk"))
    if hold_id is not None:
        return Record.objects.filter(heldrecord__hold_id=hold_id)
    if request_id is not None:
        return Record.objects.filter(requestrecord__request_id=request_id)
    if record_ids is not None:
        return Record.objects.filter(pk__in=list(record_ids))
    if batch_id is not None:
        return Record.objects.filter(disposition_items__batch_id=batch_id, status=Record.Status.TRANSFERRED)
    return Record.objects.none()


# Kinds a public release leaves out unless the custodian names each record (hand-picked `record_ids`): tips to
# investigators are confidential (385.5.3(c)), and a search, a hold or a request can sweep them in unnoticed.
WITHHELD_FROM_PUBLIC_RELEASE = (RecordKind.TIP,)


def _released(records: QuerySet, *, purpose: str, hand_picked: bool) -> QuerySet:
    if purpose == Export.Purpose.PUBLIC_RELEASE and not hand_picked:
        return records.exclude(kind__in=WITHHELD_FROM_PUBLIC_RELEASE)
    return records


def export_records_queryset(export: Export) -> QuerySet:
    """The records an export covers, in record order. Every status is included: kept and transferred records
    whole, destroyed ones as the tombstone that is all that is left of them."""
    scoped = _scope_records(
        query=export.query if _has_query(export) else None,
        hold_id=export.hold_id,
        request_id=export.request_id,
        record_ids=export.record_ids if export.record_ids else None,
        batch_id=export.batch_id if not export.record_ids else None,
    )
    scoped = _released(scoped, purpose=export.purpose, hand_picked=bool(export.record_ids))
    return scoped.select_related("series", "schedule").order_by("pk")


def _has_query(export: Export) -> bool:
    # An empty search ("all records") is a scope too; it is the scope when nothing else was chosen.
    return bool(export.query) or not (export.hold_id or export.request_id or export.record_ids or export.batch_id)


def describe_scope(export: Export) -> dict:
    """What the export covers, for the chain of custody and the audit trail."""
    if export.request_id:
        req = export.request
        return {
            "scope": "request",
            "request": {
                "id": req.pk,
                "number": req.number,
                "requester": req.requester,
                "received_on": req.received_on.isoformat(),
                "description": req.description,
            },
        }
    if export.hold_id:
        hold = export.hold
        return {
            "scope": "hold",
            "hold": {
                "id": hold.pk,
                "matter": hold.matter,
                "reference": hold.reference,
                "requested_by": hold.requested_by,
                "status": hold.status,
            },
        }
    if export.record_ids:
        described = {"scope": "record_ids", "record_ids": list(export.record_ids)}
        if export.batch_id:
            described["disposition_batch"] = export.batch_id
        return described
    if export.batch_id:
        return {"scope": "batch", "disposition_batch": export.batch_id}
    return {"scope": "query", "query": export.query}


# Starting an export ---------------------------------------------------------------------------------------


def _pdf_missing() -> str | None:
    """Why PDF renditions cannot be made here, naming the missing libraries; None when they can."""

    if disposition.pdf_available():
        return None
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return "WeasyPrint is not installed (pip install weasyprint)."
    except OSError as exc:
        return (
            f"WeasyPrint cannot load the Pango libraries it draws text with ({exc}); install them "
            "(apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
        )
    return "WeasyPrint and the Pango libraries (libpango-1.0-0, libpangoft2-1.0-0) are not available."


def _resolve(model, value, field: str, label: str):
    if value is None:
        return None
    if isinstance(value, model):
        return value
    found = model.objects.filter(pk=value).first() if str(value).isdigit() else None
    if found is None:
        raise InvalidInput(f"There is no {label} {value}.", field=field)
    return found


def _clean_record_ids(record_ids) -> list[int]:
    ids = []
    for value in record_ids:
        pk = getattr(value, "pk", value)
        if isinstance(pk, bool) or not str(pk).isdigit():
            raise InvalidInput(f"“{value}” is not a record number.", field="record_ids")
        ids.append(int(pk))
    ids = sorted(set(ids))
    if not ids:
        raise InvalidInput("Choose at least one record.", field="record_ids")
    found = set(Record.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise InvalidInput(f"No such record: {', '.join(map(str, missing[:20]))}.", field="record_ids")
    return ids


def _clean_spans(redact_spans, records: QuerySet) -> list[dict]:

    spans = []
    for number, span in enumerate(redact_spans or (), start=1):
        if not isinstance(span, dict):
            raise InvalidInput(f"Redaction {number}: give record, text, reason and exemption.", field="redact_spans")
        record_id, text = span.get("record"), span.get("text")
        text = text.strip() if isinstance(text, str) else None
        reason, exemption = str(span.get("reason") or "").strip(), str(span.get("exemption") or "").strip()
        if isinstance(record_id, bool) or not str(record_id or "").isdigit():
            raise InvalidInput(f"Redaction {number}: “{record_id}” is not a record number.", field="redact_spans")
        if not text:
            raise InvalidInput(f"Redaction {number}: give the text to withhold.", field="redact_spans")
        if not reason:
            raise InvalidInput(f"Redaction {number}: give the reason for withholding it.", field="redact_spans")
        if not exemption:
            raise InvalidInput(
                f"Redaction {number}: cite the exemption that allows withholding it.", field="redact_spans"
            )
        record = records.filter(pk=int(record_id)).first()
        if record is None:
            raise InvalidInput(f"Redaction {number}: record #{record_id} is not in this export.", field="redact_spans")
        if not record_contains(record, text):
            raise InvalidInput(
                f"Redaction {number}: record #{record_id} does not contain that text.", field="redact_spans"
            )
        spans.append({"record": int(record_id), "text": text, "reason": reason[:300], "exemption": exemption[:300]})
    return spans


@transaction.atomic
def start_export(
    *,
    actor,
    purpose: str,
    reason: str,
    query: dict | None = None,
    hold: LegalHold | int | None = None,
    request: RecordsRequest | int | None = None,
    record_ids: Iterable[int] | None = None,
    include_pdf: bool = False,
    include_dat: bool = False,
    redact: bool = False,
    redact_spans: Iterable[dict] = (),
    batch: DispositionBatch | None = None,
    enqueue: bool = True,
) -> Export:
    """Ask for a package of records; a task builds it. Exactly one scope: a search (`query`, its parameters;
    an empty search means every record), a legal hold's records, a records request's records, or hand-picked
    records (`record_ids`, also a transfer's, with the disposition `batch` it came from).

    Public releases may be redacted (`redact`: personal information and confidential-registry terms found by
    screening; `redact_spans`: [{record, text, reason, exemption}] chosen by the custodian), and one whose records
    carry media waits (status "review") for the custodian's decision on each file. E-discovery and transfers
    are never redacted and carry every file. A public release leaves out tips to investigators (385.5.3(c)) unless
    the custodian hand-picks them by record number (`record_ids`). `enqueue=False` leaves the build to the caller
    (the management command builds in-process)."""
    if not can_export(actor):
        raise PermissionRefused("Only the records custodian exports records (385.7).")
    if purpose not in Export.Purpose.values:
        raise InvalidInput(
            "Choose the purpose: public release, e-discovery or transfer to the permanent archive.", field="purpose"
        )
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why the records are exported; it is recorded in the chain of custody.", field="reason")
    given = [
        name
        for name, value in (("query", query), ("hold", hold), ("request", request), ("record_ids", record_ids))
        if value is not None
    ]
    if len(given) != 1:
        raise InvalidInput(
            "Choose exactly one of: a search, a legal hold, a records request or chosen records"
            f"{' (not ' + ' and '.join(given) + ')' if given else ''}.",
            field="scope",
        )
    scope = given[0]
    if scope == "query" and not isinstance(query, dict):
        raise InvalidInput("The search must be a set of search parameters.", field="query")
    hold = _resolve(LegalHold, hold, "hold", "legal hold")
    request = _resolve(RecordsRequest, request, "request", "records request")
    ids = _clean_record_ids(record_ids) if scope == "record_ids" else []
    spans = list(redact_spans or ())
    if purpose == Export.Purpose.EDISCOVERY and (redact or spans):
        raise InvalidInput(
            "E-discovery exports are never redacted: the records go to the parties whole, exactly as captured.",
            field="redact" if redact else "redact_spans",
        )
    if purpose == Export.Purpose.TRANSFER and (redact or spans):
        raise InvalidInput(
            "Records go to the permanent archive whole; only a public release is redacted.",
            field="redact" if redact else "redact_spans",
        )
    if include_pdf:
        missing = _pdf_missing()
        if missing:
            raise InvalidInput(f"PDF renditions cannot be made on this server: {missing}", field="include_pdf")
    try:
        records = _scope_records(
            query=query if scope == "query" else None,
            hold_id=hold.pk if hold else None,
            request_id=request.pk if request else None,
            record_ids=ids or None,
        )
        records = _released(records, purpose=purpose, hand_picked=scope == "record_ids")
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"The search cannot be read: {exc}", field="query") from exc
    count = records.count()
    if not count:
        raise InvalidInput("There are no records in this scope to export.", field=scope)
    spans = _clean_spans(spans, records)
    # Text redaction cannot see into a photo or a video: a public release whose records carry media waits for the
    # custodian to decide on each file (media_review.decide_media) before its package is built.
    review_media = (
        purpose == Export.Purpose.PUBLIC_RELEASE
        and Record.media.through.objects.filter(record_id__in=records.values("pk")).exists()
    )
    export = Export(
        status=Export.Status.REVIEW if review_media else Export.Status.QUEUED,
        purpose=purpose,
        reason=reason,
        query=dict(query) if scope == "query" else {},
        hold=hold,
        request=request,
        batch=batch,
        record_ids=ids,
        include_pdf=bool(include_pdf),
        include_dat=bool(include_dat),
        redact=bool(redact),
        redact_spans=spans,
        created_by=actor,
        total=count,
    )

    full_clean(export)
    export.save()
    # A release waiting for media review is queued when the custodian finishes it (media_review).
    enqueue = enqueue and not review_media
    record_event(
        actor,
        "export.started",
        export,
        details={
            **describe_scope(export),
            "purpose": purpose,
            "waits_for_media_review": review_media,
            "reason": reason,
            "records": count,
            "include_pdf": export.include_pdf,
            "include_dat": export.include_dat,
            "redact": export.redact,
            # How many spans were chosen, never their text: the audit trail is read more widely than the records.
            "chosen_redactions": len(spans),
        },
    )
    if enqueue:
        # A build the broker could not take stays queued; the export sweeper sends it again.
        enqueue_on_commit(_tasks().build_export_task, export.pk)
    return export


def _tasks():
    from . import tasks  # cycle: the task module calls back into these services

    return tasks


def attempts_left(export: Export) -> bool:
    return export.attempts < settings.EXPORT_MAX_ATTEMPTS


def give_up_export(*, export_id: int, last_error: str) -> Export | None:
    """Fail for good an export whose builds used up EXPORT_MAX_ATTEMPTS, with the reason on the export and in
    the audit trail; nothing queues it again. Returns None when it had already finished or been given up."""
    with transaction.atomic():
        export = (
            Export.objects.select_for_update()
            .filter(pk=export_id, status__in=(Export.Status.QUEUED, Export.Status.RUNNING))
            .first()
        )
        if export is None or attempts_left(export):
            return None
        export.status, export.phase, export.heartbeat_at = Export.Status.FAILED, "", None
        export.error = f"Gave up after {export.attempts} attempts; the last one {last_error}"[:1000]
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "phase", "heartbeat_at", "error", "finished_at"])
        Redaction.objects.filter(export=export).delete()
        record_event(
            "system",
            "export.failed",
            export,
            details={"error": export.error, "will_retry": False, "attempts": export.attempts},
        )
    log.warning("Export %s failed for good: %s", export.pk, export.error)
    return export


# Following it ---------------------------------------------------------------------------------------------


def progress(export: Export, *, now=None) -> dict:
    """Where the build is, for the progress bar: records written of the total, the phase, and an estimate of
    the time left from the rate since it started."""
    now = now or timezone.now()
    status, done, total = export.status, export.done, export.total
    if status in (Export.Status.DONE, Export.Status.EXPIRED):
        percent = 100
    elif status == Export.Status.RUNNING:
        if export.phase in PHASE_PERCENT:
            percent = PHASE_PERCENT[export.phase]
        else:
            percent = int(WRITING_SHARE * done / total) if total else 0
    else:
        percent = 0
    eta = None
    if status == Export.Status.RUNNING and export.started_at and percent > 0:
        elapsed = max((now - export.started_at).total_seconds(), 0.0)
        eta = int(round(elapsed * (100 - percent) / percent))
    return {
        "status": status,
        "status_label": export.get_status_display(),
        "phase": export.phase,
        "done": done,
        "total": total,
        "percent": percent,
        "eta_seconds": eta,
        "finished": status in (Export.Status.DONE, Export.Status.FAILED, Export.Status.EXPIRED),
        "error": export.error if status == Export.Status.FAILED else "",
    }


# Handing it out -------------------------------------------------------------------------------------------


def _downloadable(actor, export: Export) -> Export:
    """The export, locked for the audit event, if its package may be handed out now: refused while unfinished,
    once expired, and when its package is no longer in the store. Who may download is checked by the caller first."""
    export = Export.objects.select_for_update().get(pk=export.pk)
    if export.is_expired():
        raise InvalidTransition(
            f"Export #{export.pk} has expired and its package was deleted; start a new export.",
            code="expired",
            field="status",
        )
    if export.status != Export.Status.DONE:
        raise InvalidTransition(
            f"Export #{export.pk} is not ready to download ({export.get_status_display()}).",
            code="not_ready",
            field="status",
        )
    if not export.file_name:
        raise _missing(export)
    return export


def _missing(export: Export) -> InvalidTransition:
    return InvalidTransition(
        f"The package of export #{export.pk} is no longer in the exports store; start a new export.",
        code="missing",
        field="status",
    )


def _record_download(actor, export: Export, *, delivery: str):
    record_event(
        actor,
        "export.downloaded",
        export,
        details={"file": export.file_name, "size": export.size, "sha256": export.sha256, "delivery": delivery},
    )


def open_download(*, actor, export: Export) -> BinaryIO:
    """The package, opened for reading from the exports store (streamed as it is read). Every download is
    audited; expired or unfinished exports are refused."""
    require_export_reader(actor)
    with transaction.atomic():
        export = _downloadable(actor, export)
        try:
            handle = open_stored(exports_store(), export.file_name)
        except FileNotFoundError as exc:
            raise _missing(export) from exc
        try:
            _record_download(actor, export, delivery="streamed")
        except BaseException:
            handle.close()
            raise
    return handle


def download_link(*, actor, export: Export) -> str | None:
    """A short-lived presigned address the package is downloaded from straight out of the exports store, when
    the store is S3 and settings.S3_PRESIGNED_SECONDS is above 0; None otherwise (then `open_download` streams
    it), and nothing is audited. The download is audited before the address is handed out, since what the
    browser then fetches from S3 the application never sees."""
    require_export_reader(actor)
    seconds = settings.S3_PRESIGNED_SECONDS
    if seconds <= 0 or not is_s3(exports_store()):
        return None
    with transaction.atomic():
        export = _downloadable(actor, export)
        if not package_exists(export.file_name):
            raise _missing(export)
        url = download_address(export.file_name, filename=export.file_name, seconds=seconds)
        if url is None:
            return None
        _record_download(actor, export, delivery=f"presigned address, valid {seconds} s")
    return url


def expire_exports(now=None) -> int:
    """Delete the packages of exports past their expiry from the exports store (every version of them) and mark
    them expired. Returns how many expired. An export whose package the store would not delete stays as it was,
    logged, for the next sweep."""
    now = now or timezone.now()
    expired = 0
    due = (
        Export.objects.filter(status=Export.Status.DONE, expires_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in list(due):
        try:
            with transaction.atomic():
                if not Export.objects.filter(pk=pk, status=Export.Status.DONE).update(status=Export.Status.EXPIRED):
                    continue  # another sweeper got there first
                export = Export.objects.get(pk=pk)
                record_event(
                    "system",
                    "export.expired",
                    export,
                    details={
                        "file": export.file_name,
                        "expires_at": export.expires_at.isoformat() if export.expires_at else None,
                    },
                )
                # Last, so a store that refuses rolls the expiry back and the next sweep tries again.
                delete_package(export.file_name)
        except Exception:
            log.exception("Could not expire export %s; the next sweep tries again", pk)
            continue
        expired += 1
    return expired
