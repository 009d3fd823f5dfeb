"""Captured media in the records store: written once, locked until its records may go, held while a hold covers
them, and destroyed only when the store agrees (385.7).

On S3 every media object is one version, written with a conditional PUT (never over another) and an Object Lock
retention: until the latest date on which a record using it may be destroyed, or, while that date is not known yet
(its trigger has not happened), RECORDS_LOCK_ROLLING_SECONDS ahead, extended by the daily sweep before it runs out. A
lock is only ever extended. An active legal hold on any record using the object puts an Object Lock legal hold on
it; releasing the last such hold removes it. S3 then refuses to delete the object version, whoever asks, until
both have passed; disposition deletes every version only after that, and names the versions in its certificate.

On a folder the same bookkeeping is kept in the database but nothing on the machine enforces it (storage_check
says so); the files are created exclusively and read-only.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import storage as stores
from core.audit import record_event

from .models import HeldRecord, LegalHold, MediaBlob, Record

log = logging.getLogger(__name__)

# The daily sweep extends locks that end within this long.
EXTEND_AHEAD = timedelta(days=7)


def _rolling() -> timedelta:
    return timedelta(seconds=settings.RECORDS_LOCK_ROLLING_SECONDS)


def _from_day(day: date) -> datetime:
    # A record due on a day may be destroyed from the start of that day, in the department's time zone.
    return timezone.make_aware(datetime.combine(day, time.min))


def blob_name(digest: str) -> str:
    return f"records/media/{digest[:2]}/{digest}"


def _locking(storage) -> bool:
    return stores.is_s3(storage)


def _write(digest: str, data: bytes, content_type: str) -> MediaBlob:
    """Write the object (once) and return its unsaved row."""
    storage, name = stores.records_store(), blob_name(digest)
    locking = _locking(storage)
    until = timezone.now() + _rolling() if locking else None
    mode = settings.RECORDS_LOCK_MODE if locking else ""
    try:
        version = stores.write_once(
            storage, name, data, retain_until=until, mode=mode, content_type=content_type
        ).version
    except FileExistsError:
        # Stored by a capture that died before its row was saved, or by one running now: the same bytes (the
        # name is their hash), so that object is this blob's.
        version = stores.latest_version(storage, name)
    blob = MediaBlob(
        sha256=digest, size=len(data), content_type=content_type, version=version, lock_mode=mode, locked_until=until
    )
    blob.file.name = name
    return blob


def store_many(files: dict[str, tuple[bytes, str]]) -> None:
    """`store` for many files at once (digest -> (bytes, content type)) that have no row yet: one INSERT."""
    rows = stores.each(lambda item: _write(item[0], *item[1]), sorted(files.items()), storage=stores.records_store())
    MediaBlob.objects.bulk_create(rows, ignore_conflicts=True)  # another worker may have stored the same file


def store(data: bytes, *, content_type: str, digest: str | None = None) -> MediaBlob:
    """The media blob for these bytes, storing them once if no blob has them yet (content-addressed: any number of
    processes may capture the same file at once; one object and one row result)."""
    digest = digest or hashlib.sha256(data).hexdigest()
    blob = MediaBlob.objects.filter(sha256=digest).first()
    if blob is not None and blob.disposed_at is not None:
        # Captured again before the disposed object was deleted: it is needed again, so it stays.
        MediaBlob.objects.filter(sha256=digest).update(disposed_at=None)
        blob.disposed_at = None
        if not blob.file.storage.exists(blob.file.name):
            blob.delete()
            blob = None
    if blob is not None:
        return blob
    blob = _write(digest, data, content_type)
    try:
        with transaction.atomic():
            blob.save(force_insert=True)
    except IntegrityError:
        blob = MediaBlob.objects.get(sha256=digest)
    return blob


# Locks and holds --------------------------------------------------------------------------------------------


def wanted_lock(blob: MediaBlob, *, now: datetime | None = None) -> datetime | None:
    """When the object's lock must end: the latest due date of the kept records using it, or a rolling time while
    one of them has none yet. Never earlier than the lock it has."""
    from .disposition import due_on  # cycle: disposition purges media through this module

    now = now or timezone.now()
    dates = []
    for record in blob.records.filter(status=Record.Status.ACTIVE).select_related("schedule"):
        due = due_on(record)
        dates.append(_from_day(due) if due is not None else now + _rolling())
    if not dates:
        return blob.locked_until
    wanted = max(dates)
    return max(wanted, blob.locked_until) if blob.locked_until else wanted


def wanted_hold(blob: MediaBlob) -> bool:
    return HeldRecord.objects.filter(
        hold__status=LegalHold.Status.ACTIVE, record__media=blob, record__status=Record.Status.ACTIVE
    ).exists()


def refresh(blob: MediaBlob, *, now: datetime | None = None) -> dict:
    """Bring the object's lock and legal hold in line with its records; audited when either changes."""
    storage = blob.file.storage
    changed = {}
    if _locking(storage) and blob.disposed_at is None:
        now = now or timezone.now()
        until = wanted_lock(blob, now=now)
        # A time already past needs no lock (and S3 refuses one).
        if until and until > now and (blob.locked_until is None or until > blob.locked_until):
            mode = blob.lock_mode or settings.RECORDS_LOCK_MODE
            stores.extend_lock(storage, blob.file.name, version=blob.version, retain_until=until, mode=mode)
            changed["locked_until"] = [blob.locked_until.isoformat() if blob.locked_until else None, until.isoformat()]
            blob.locked_until, blob.lock_mode = until, mode
    hold = wanted_hold(blob)
    if hold != blob.legal_hold:
        stores.set_legal_hold(storage, blob.file.name, version=blob.version, on=hold)
        changed["legal_hold"] = hold
        blob.legal_hold = hold
    blob.lock_checked_at = timezone.now()
    blob.save(update_fields=["locked_until", "lock_mode", "legal_hold", "lock_checked_at"])
    if changed:
        record_event(
            "system",
            "media.lock_changed",
            blob,
            details={"sha256": blob.sha256, "version": blob.version, **changed},
        )
    return changed


def refresh_for_records(record_ids) -> int:
    """After records were captured, filed, held or released: their media's locks and holds. Returns changes."""
    changed = 0
    blobs = MediaBlob.objects.filter(records__pk__in=list(record_ids)).distinct().order_by("sha256")
    for blob in blobs.iterator(chunk_size=500):
        changed += bool(refresh(blob))
    return changed


def refresh_for_hold(hold_id: int) -> int:
    return refresh_for_records(HeldRecord.objects.filter(hold_id=hold_id).values_list("record_id", flat=True))


def after_commit_refresh(record_ids) -> None:
    """Queue the refresh once the change that calls for it is committed; the daily sweep finds it otherwise."""
    ids = sorted(set(record_ids))
    if not ids:
        return
    from core.queueing import enqueue_on_commit

    from .tasks import refresh_media_locks_task  # cycle: tasks call this module

    enqueue_on_commit(refresh_media_locks_task, record_ids=ids)


def sweep(*, now: datetime | None = None) -> dict:
    """Daily, and whatever a lost message left undone: extend locks that end soon for media still kept, set or
    remove legal holds that disagree with the holds in force, and delete media disposed of whose lock has ended."""
    now = now or timezone.now()
    extended = held = 0
    soon = now + EXTEND_AHEAD
    kept = MediaBlob.objects.filter(disposed_at__isnull=True)
    if _locking(stores.records_store()):
        for blob in kept.filter(locked_until__lte=soon).order_by("sha256").iterator(chunk_size=500):
            extended += "locked_until" in refresh(blob, now=now)
    held_now = set(
        HeldRecord.objects.filter(hold__status=LegalHold.Status.ACTIVE, record__status=Record.Status.ACTIVE)
        .values_list("record__media", flat=True)
        .distinct()
    )
    held_now.discard(None)
    flagged = set(kept.filter(legal_hold=True).values_list("sha256", flat=True))
    for digest in sorted(held_now ^ flagged):
        blob = MediaBlob.objects.filter(sha256=digest).first()
        if blob is not None:
            held += "legal_hold" in refresh(blob, now=now)
    destroyed = destroy_disposed(now=now)
    return {"extended": extended, "holds_changed": held, "destroyed": destroyed}


# Destruction ------------------------------------------------------------------------------------------------


def releasable(blob: MediaBlob, *, now: datetime | None = None) -> bool:
    """Whether the store will let the object go now: its lock has ended and it carries no legal hold."""
    return not blob.legal_hold and (blob.locked_until is None or blob.locked_until <= (now or timezone.now()))


def versions_of(blob: MediaBlob) -> list[str]:
    """The object versions stored for the blob (for the certificate)."""
    return [v.version or "(file)" for v in stores.versions(blob.file.storage, blob.file.name)]


def destroy_disposed(*, now: datetime | None = None) -> int:
    """Delete the objects of media disposed of whose locks have ended, then their rows. A capture that needs the
    same bytes again in the meantime took the blob back (disposed_at cleared), and it is left alone."""
    now = now or timezone.now()
    done = 0
    due = MediaBlob.objects.filter(disposed_at__isnull=False, legal_hold=False).order_by("sha256")
    for digest in list(due.values_list("sha256", flat=True)):
        with transaction.atomic():
            blob = MediaBlob.objects.select_for_update().filter(sha256=digest, disposed_at__isnull=False).first()
            if blob is None or blob.records.exists() or not releasable(blob, now=now):
                continue
            try:
                deleted = stores.delete_versions(blob.file.storage, blob.file.name)
            except stores.ObjectLocked as exc:
                log.warning("media %s is still locked by the store: %s", digest, exc)
                continue
            record_event(
                "system",
                "media.destroyed",
                blob,
                details={"sha256": digest, "versions": deleted, "disposed_at": blob.disposed_at.isoformat()},
            )
            blob.delete()
            done += 1
    return done
