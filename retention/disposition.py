"""Disposition: records past their retention, reviewed by the custodian one by one, destroyed (leaving a
tombstone) or transferred to the permanent archive as a BagIt export, with a certificate per batch. Records
under legal hold or attached to an open public-records request are never destroyed: both are checked when the
batch is built, when an item is approved and when it is carried out."""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.audit import record_event
from core.errors import InvalidTransition, PolicyViolation
from core.tasks import write_checkpoint_after_commit
from posts.models import Incident

from . import media as media_store
from .holds import held_record_ids, holds_on, is_held
from .models import (
    DispositionBatch,
    DispositionItem,
    DispositionPermit,
    MediaBlob,
    MediaDecision,
    Record,
    RetentionSchedule,
)
from .permissions import require_records_custodian
from .public_records import open_requests_for, requested_record_ids
from .purge import purge

U, T = RetentionSchedule.Unit, RetentionSchedule.Trigger
I = DispositionItem.Decision  # noqa: E741 - short alias used throughout


def _date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def trigger_date(record: Record, schedule: RetentionSchedule) -> date | None:
    """When the retention clock starts for this record; None while the trigger has not happened."""
    published = _date(record.published_at or record.captured_at)
    if schedule.trigger == T.PUBLICATION:
        return published
    if schedule.trigger == T.CALENDAR_YEAR_END:
        return date(published.year, 12, 31)
    if schedule.trigger == T.REMOVAL:
        if record.source_version.endswith(":removed") or record.kind == "removed_comment":
            return _date(record.captured_at)
        removal = record.children.filter(source_version__endswith=":removed").order_by("captured_at").first()
        return _date(removal.captured_at) if removal else None
    if schedule.trigger == T.INCIDENT_CLOSED:
        incident_id = ((record.content or {}).get("incident") or {}).get("id")
        closed = Incident.objects.filter(pk=incident_id).values_list("closed_at", flat=True).first()
        return _date(closed)
    if schedule.trigger == T.SUPERSEDED:
        newer = (
            Record.objects.filter(
                source_type=record.source_type, source_id=record.source_id, captured_at__gt=record.captured_at
            )
            .order_by("captured_at")
            .first()
        )
        return _date(newer.captured_at) if newer else None
    return None


def _step(schedule: RetentionSchedule):
    if schedule.unit == U.ADMINISTRATIVE_VALUE or schedule.period is None:
        return None
    return {
        U.DAYS: relativedelta(days=schedule.period),
        U.MONTHS: relativedelta(months=schedule.period),
        U.YEARS: relativedelta(years=schedule.period),
    }[schedule.unit]


def due_on(record: Record) -> date | None:
    schedule = record.schedule
    if schedule is None:
        return None  # not yet filed: never due
    if schedule.unit == U.ADMINISTRATIVE_VALUE:
        return schedule.review_on
    start = trigger_date(record, schedule)
    return None if start is None else start + _step(schedule)


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def certificate_pdf(html: str) -> bytes | None:
    """The certificate as PDF (WeasyPrint). Without the Pango libraries it is skipped, and the page says so."""
    if not pdf_available():
        return None
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()


@transaction.atomic
def scan(*, as_of: date | None = None, apply: bool = False, actor=None) -> dict:
    """Records whose retention has run out by `as_of`. With apply=True, gather them into a new batch for the
    custodian (held and requested ones listed as blocked). Streams the records, so memory stays flat."""
    as_of = as_of or timezone.localdate()
    already = set(
        DispositionItem.objects.filter(batch__status=DispositionBatch.Status.OPEN).values_list("record_id", flat=True)
    )
    held_ids = held_record_ids()
    requested_ids = requested_record_ids()
    schedules = {s.pk: s for s in RetentionSchedule.objects.all()}
    listed_limit = 1000
    counts = {"due": 0, "held": 0, "requested": 0}
    listed, held_listed, requested_listed, pending = [], [], [], []
    batch = None

    def flush():
        nonlocal batch
        if not pending:
            return
        if batch is None:
            batch = DispositionBatch.objects.create(as_of=as_of)
        DispositionItem.objects.bulk_create(
            [
                DispositionItem(batch=batch, record_id=pk, action=s.action, due_on=w, decision=decision)
                for pk, s, w, decision in pending
            ]
        )
        pending.clear()

    # Plain tuples of the columns the retention date needs: the captured content stays in the database and
    # no model instance is built for the common triggers, so a million records scan in seconds.
    rows = (
        Record.objects.filter(status=Record.Status.ACTIVE, schedule__isnull=False)
        .values_list("pk", "published_at", "captured_at", "schedule_id")
        .order_by("pk")
    )
    steps = {pk: _step(s) for pk, s in schedules.items()}
    for pk, published_at, captured_at, schedule_id in rows.iterator(chunk_size=5000):
        if pk in already:
            continue
        schedule = schedules[schedule_id]
        if schedule.unit == U.ADMINISTRATIVE_VALUE:
            when = schedule.review_on
        elif schedule.trigger == T.PUBLICATION:
            when = _date(published_at or captured_at) + steps[schedule_id]
        elif schedule.trigger == T.CALENDAR_YEAR_END:
            when = date(_date(published_at or captured_at).year, 12, 31) + steps[schedule_id]
        else:
            when = due_on(Record.objects.select_related("schedule").get(pk=pk))
        if when is None or when > as_of:
            continue
        # A hold wins over a request: both keep the record, and the hold is the stronger reason to show.
        decision = I.BLOCKED if pk in held_ids else I.REQUESTED if pk in requested_ids else I.PENDING
        counts[{I.BLOCKED: "held", I.REQUESTED: "requested", I.PENDING: "due"}[decision]] += 1
        if decision == I.BLOCKED and len(held_listed) < listed_limit:
            held_listed.append(pk)
        elif decision == I.REQUESTED and len(requested_listed) < listed_limit:
            requested_listed.append(pk)
        elif decision == I.PENDING and len(listed) < listed_limit:
            listed.append({"record": pk, "action": schedule.action, "due_on": when.isoformat()})
        if apply:
            pending.append((pk, schedule, when, decision))
            if len(pending) >= 5000:
                flush()
    if apply:
        flush()
        if batch is not None:
            record_event(
                actor or "system", "disposition.batch_created", batch, details={"as_of": as_of.isoformat(), **counts}
            )
    # Only the first records are listed, so the summary stays small however many are due.
    return {
        "as_of": as_of.isoformat(),
        **counts,
        "batch": batch.pk if batch else None,
        "records": listed,
        "held_records": held_listed,
        "requested_records": requested_listed,
    }


@transaction.atomic
def decide(*, actor, item: DispositionItem, approve: bool) -> DispositionItem:
    require_records_custodian(actor, "carries out disposition")
    item = DispositionItem.objects.select_for_update(of=("self",)).select_related("record", "batch").get(pk=item.pk)
    if item.batch.status != DispositionBatch.Status.OPEN or item.decision == I.DONE:
        raise InvalidTransition("This batch was already carried out.", field="status")
    if approve:
        holds = holds_on(item.record)
        if holds:
            matters = ", ".join(h.matter for h in holds)
            raise PolicyViolation(
                "385.7",
                f"Record #{item.record_id} is under legal hold ({matters}); it cannot be "
                "destroyed until every hold on it is released.",
                code="held",
            )
        requests = open_requests_for(item.record)
        if requests:
            numbers = ", ".join(r.number for r in requests)
            raise PolicyViolation(
                "385.5.1(a)",
                f"Record #{item.record_id} is part of an open public-records request "
                f"({numbers}); it is kept until the request is closed.",
                code="requested",
            )
    item.decision = I.APPROVED if approve else I.DEFERRED
    item.decided_by, item.decided_at = actor, timezone.now()
    item.save(update_fields=["decision", "decided_by", "decided_at"])
    record_event(
        actor,
        "disposition.approved" if approve else "disposition.deferred",
        item.record,
        details={"batch": item.batch_id, "action": item.action},
    )
    return item


def _allow_content_change():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL socialgov.disposition = 'on'")
    return DispositionPermit.objects.create()


def _tombstone(record: Record, item: DispositionItem, actor) -> dict:
    stone = {
        "tombstone": True,
        "record": record.pk,
        "kind": record.kind,
        "source": f"{record.source_type}:{record.source_id}:{record.source_version}",
        "series": record.series.code if record.series else None,
        "schedule_version": record.schedule.version if record.schedule else None,
        "published_at": record.published_at.isoformat() if record.published_at else None,
        "captured_at": record.captured_at.isoformat(),
        "sha256": record.sha256,
        "batch": item.batch_id,
        "due_on": item.due_on.isoformat(),
        "approved_by": item.decided_by.get_username() if item.decided_by else None,
        "destroyed_by": actor.get_username(),
        "destroyed_at": timezone.now().isoformat(),
    }
    return stone


def _delete_files(files) -> None:
    for storage, name in files:
        if name:
            storage.delete(name)


@transaction.atomic
def carry_out(*, actor, batch: DispositionBatch) -> DispositionBatch:
    """Destroy, or transfer to the permanent archive, every approved item that is neither held nor requested;
    write the certificate. Transferred records go into one BagIt export for the archive, built by a task."""
    require_records_custodian(actor, "carries out disposition")
    batch = DispositionBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != DispositionBatch.Status.OPEN:
        raise InvalidTransition("This batch was already carried out.", field="status")
    permit = _allow_content_change()
    now = timezone.now()
    destroyed, transferred, skipped, requested = [], [], [], []
    destroyed_records, blob_files = [], []
    items = batch.items.select_related("record__series", "record__schedule", "decided_by").order_by("pk")
    for item in items:
        if item.decision != I.APPROVED:
            continue
        record = Record.objects.select_for_update(of=("self",)).get(pk=item.record_id)
        if is_held(record):  # a hold placed after approval still wins
            item.decision = I.BLOCKED
            item.save(update_fields=["decision"])
            skipped.append(record.pk)
            continue
        if open_requests_for(record):  # so does a public-records request opened after approval
            item.decision = I.REQUESTED
            item.save(update_fields=["decision"])
            requested.append(record.pk)
            continue
        if item.action == RetentionSchedule.Action.TRANSFER:
            Record.objects.filter(pk=record.pk).update(status=Record.Status.TRANSFERRED)
            transferred.append({"record": record.pk, "sha256": record.sha256})
        else:
            stone = _tombstone(record, item, actor)
            media = list(record.media.all())
            Record.objects.filter(pk=record.pk).update(
                status=Record.Status.DESTROYED, content=stone, text="", title=f"Destroyed record #{record.pk}"
            )
            record.media.clear()
            stone["media"] = []
            for blob in media:
                # Content-addressed media goes only when no other kept record uses it: every version of its object,
                # once this commits and the store's lock and hold allow it (now, or by the daily sweep when its
                # lock ends). The certificate names the versions.
                if not blob.records.exclude(status=Record.Status.DESTROYED).exists():
                    # Redacted versions made of it for public releases go with it.
                    blob_files += [
                        (d.redacted_file.storage, d.redacted_file.name)
                        for d in MediaDecision.objects.filter(blob=blob).exclude(redacted_file="")
                    ]
                    stone["media"].append(
                        {
                            "sha256": blob.sha256,
                            "object": blob.file.name,
                            "versions": media_store.versions_of(blob),
                            "lock_mode": blob.lock_mode,
                            "deleted": "now" if media_store.releasable(blob, now=now) else "when its lock ends",
                            "locked_until": blob.locked_until.isoformat() if blob.locked_until else None,
                        }
                    )
                    MediaBlob.objects.filter(pk=blob.pk).update(disposed_at=now)
            destroyed.append(stone)
            destroyed_records.append(record)
        item.decision = I.DONE
        item.save(update_fields=["decision"])
    # Every copy the application holds of what was destroyed goes too (the source post or comment, its history,
    # attachments, review notes, notifications), unless a kept record still needs it.
    purged = {
        p.record: p for p in purge(destroyed_records, batch=batch, destroyed_ids={r.pk for r in destroyed_records})
    }
    for stone in destroyed:
        stone["purged"] = purged[stone["record"]].as_dict()
    transaction.on_commit(lambda: _delete_files(blob_files))
    transaction.on_commit(lambda: media_store.destroy_disposed())
    permit.delete()
    archive = None
    if transferred:
        from .exports.services import start_export  # cycle: exports check disposition (pdf_available)

        archive = start_export(
            actor=actor,
            purpose="transfer",
            batch=batch,
            record_ids=[t["record"] for t in transferred],
            reason=f"Transfer to the permanent archive under disposition batch #{batch.pk}",
        )
    batch.status, batch.closed_at, batch.closed_by = DispositionBatch.Status.CLOSED, timezone.now(), actor
    batch.certificate_html = render_to_string(
        "retention/certificate.html",
        {
            "batch": batch,
            "destroyed": destroyed,
            "transferred": transferred,
            "skipped": skipped,
            "actor": actor,
            "requested": requested,
            "archive": archive,
        },
    )
    pdf = certificate_pdf(batch.certificate_html)
    if pdf:
        batch.certificate_pdf.save(f"certificate-batch-{batch.pk}.pdf", ContentFile(pdf), save=False)
    batch.save(update_fields=["status", "closed_at", "closed_by", "certificate_html", "certificate_pdf"])
    record_event(
        actor,
        "disposition.carried_out",
        batch,
        details={
            "destroyed": [d["record"] for d in destroyed],
            "purged": {d["record"]: d["purged"]["destroyed"] for d in destroyed},
            "transferred": [t["record"] for t in transferred],
            "blocked_by_hold": skipped,
            "kept_for_request": requested,
            "archive_export": archive.pk if archive else None,
        },
    )
    # The trail as it stands with this disposition in it is signed once the disposition is committed.
    write_checkpoint_after_commit()
    return batch
