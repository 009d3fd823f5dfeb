"""385.7 on write-once storage: captured media is an S3 object version locked (Object Lock) until its records may
be destroyed, held while a legal hold covers them, and deleted only when both have passed. These run against a
real S3-speaking server (moto in server mode), which enforces retention and legal holds on object versions; where
it does not enforce a rule S3 enforces, the test says so."""

import time
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError
from django.core.management import call_command
from django.utils import timezone

from core import storage as stores
from retention import disposition, fixity, holds, media
from retention.models import DispositionItem, MediaBlob, Record, RetentionSchedule
from retention.services import revise_schedule

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.policy("385.7")]


def _client_and_key(blob):
    storage = blob.file.storage
    return storage.connection.meta.client, storage.bucket_name, blob.file.name


def _head(blob):
    client, bucket, key = _client_and_key(blob)
    return client.head_object(Bucket=bucket, Key=key, VersionId=blob.version)


def _legal_hold(blob) -> str:
    client, bucket, key = _client_and_key(blob)
    return client.get_object_legal_hold(Bucket=bucket, Key=key, VersionId=blob.version)["LegalHold"]["Status"]


@pytest.fixture
def captured(s3, publish, png_upload):
    record = publish(attach=png_upload)
    blob = record.media.get()
    return record, blob


def test_captured_media_is_a_locked_object_version_in_the_records_bucket(captured, settings):
    record, blob = captured
    assert stores.is_s3(blob.file.storage)
    assert blob.version and blob.lock_mode == "COMPLIANCE"
    head = _head(blob)
    assert head["ObjectLockMode"] == "COMPLIANCE"
    # Filed under a two-year schedule: the lock runs to the record's due date, not the 30 days it was written with.
    due = disposition.due_on(record)
    blob.refresh_from_db()
    assert timezone.localtime(blob.locked_until).date() == due
    assert head["ObjectLockRetainUntilDate"] >= timezone.now() + timedelta(days=365)


def test_a_locked_object_cannot_be_deleted_or_overwritten_before_its_date(captured):
    _, blob = captured
    blob.refresh_from_db()
    client, bucket, key = _client_and_key(blob)
    with pytest.raises(ClientError) as refused:
        client.delete_object(Bucket=bucket, Key=key, VersionId=blob.version)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    with pytest.raises(stores.ObjectLocked):
        stores.delete_versions(blob.file.storage, key)
    # Our own writes are conditional: a second write under the name is refused by the server.
    with pytest.raises(ClientError) as conflict:
        client.put_object(Bucket=bucket, Key=key, Body=b"other", IfNoneMatch="*")
    assert conflict.value.response["Error"]["Code"] == "PreconditionFailed"
    # A plain PUT by someone with write access is not refused by S3 (nor by moto): versioning keeps the locked
    # version whole, the record reads it, and fixity reports the name now serves another version.
    client.put_object(Bucket=bucket, Key=key, Body=b"not the photo")
    with stores.open_version(blob.file.storage, key, blob.version) as handle:
        assert handle.read() == _original_bytes(blob)
    check = fixity.run_fixity_check()
    assert [m["problem"] for m in check.mismatches] == [
        "another version was written over it (the captured version is intact)"
    ]


def _original_bytes(blob):
    with stores.open_version(blob.file.storage, blob.file.name, blob.version) as handle:
        data = handle.read()
    import hashlib

    assert hashlib.sha256(data).hexdigest() == blob.sha256
    return data


def test_fixity_detects_bytes_replaced_through_a_governance_bypass(s3, settings, publish, png_upload):
    settings.RECORDS_LOCK_MODE = "GOVERNANCE"
    blob = publish(attach=png_upload).media.get()
    assert fixity.run_fixity_check().mismatches == []
    client, bucket, key = _client_and_key(blob)
    # Someone allowed to bypass governance retention deletes the captured version and writes other bytes in its
    # place: the object lock let them (that is what GOVERNANCE means), the hash does not.
    client.delete_object(Bucket=bucket, Key=key, VersionId=blob.version, BypassGovernanceRetention=True)
    client.put_object(Bucket=bucket, Key=key, Body=b"replaced bytes")
    check = fixity.run_fixity_check()
    assert check.mismatches == [{"media": blob.sha256, "version": blob.version, "problem": "file is missing"}]


def test_a_legal_hold_places_an_object_legal_hold_and_releasing_it_removes_it(captured, custodian):
    record, blob = captured
    hold = holds.place_hold(
        actor=custodian, matter="Claim 26-114", requested_by="City Attorney", reason="Litigation", records=[record]
    )
    blob.refresh_from_db()
    assert blob.legal_hold and _legal_hold(blob) == "ON"
    holds.release_hold(actor=custodian, hold=hold, reason="Settled")
    blob.refresh_from_db()
    assert not blob.legal_hold and _legal_hold(blob) == "OFF"


def test_a_lock_is_extended_by_a_longer_schedule_and_never_shortened(captured, custodian, settings):
    record, blob = captured
    blob.refresh_from_db()
    before = blob.locked_until
    # A shorter schedule for records filed from now on: this record keeps its version and its lock.
    revise_schedule(
        actor=custodian, series=record.series, unit="days", period=1, trigger="publication", action="destroy",
        citation="Revised",
    )  # fmt: skip
    blob.refresh_from_db()
    assert blob.locked_until == before
    # Re-filed under a longer schedule (as a determination would): the lock is extended on the object too.
    longer = RetentionSchedule.objects.create(
        series=record.series, version=9, period=10, unit="years", trigger="publication", action="destroy",
        citation="Longer", approved_by=custodian, superseded_at=timezone.now(),
    )  # fmt: skip
    Record.objects.filter(pk=record.pk).update(schedule=longer)
    media.refresh_for_records([record.pk])
    blob.refresh_from_db()
    assert blob.locked_until > before + timedelta(days=365 * 7)
    assert _head(blob)["ObjectLockRetainUntilDate"] >= blob.locked_until - timedelta(seconds=1)
    # Asked for a shorter lock again, nothing is sent to S3 (moto, unlike S3, would accept a shortened COMPLIANCE
    # retention, so the code must never ask).
    assert not stores.extend_lock(
        blob.file.storage, blob.file.name, version=blob.version, retain_until=before, mode="COMPLIANCE"
    )


def _due_today(schedule):
    RetentionSchedule.objects.filter(pk=schedule.pk).update(
        unit="administrative", period=None, review_on=timezone.localdate()
    )


def test_disposition_deletes_the_object_versions_only_once_the_lock_has_ended_and_no_hold_applies(
    s3, settings, custodian, schedule, publish, png_upload
):
    settings.RECORDS_LOCK_ROLLING_SECONDS = 3  # a short test retention: real ones are years
    # The series is kept "until no longer of administrative value", reviewed today: the record is due as soon as
    # it is captured, so its media keeps only the 3-second lock it was written with.
    _due_today(schedule)
    record = publish(attach=png_upload)
    blob = record.media.get()
    hold = holds.place_hold(
        actor=custodian, matter="Request 26-9", requested_by="Counsel", reason="Litigation", records=[record]
    )
    time.sleep(3.5)  # the lock has ended; the legal hold has not
    blob.refresh_from_db()
    assert _legal_hold(blob) == "ON"
    client, bucket, key = _client_and_key(blob)
    with pytest.raises(ClientError):
        client.delete_object(Bucket=bucket, Key=key, VersionId=blob.version)  # the hold alone keeps it
    holds.release_hold(actor=custodian, hold=hold, reason="Closed")

    summary = disposition.scan(as_of=timezone.localdate(), apply=True, actor=custodian)
    item = DispositionItem.objects.get(batch_id=summary["batch"], record=record)
    disposition.decide(actor=custodian, item=item, approve=True)
    batch = disposition.carry_out(actor=custodian, batch=item.batch)

    assert stores.versions(blob.file.storage, key) == []
    assert not MediaBlob.objects.filter(sha256=blob.sha256).exists()
    assert blob.version in batch.certificate_html
    assert "deleted now" in batch.certificate_html


def test_media_still_locked_at_disposition_goes_with_the_sweep_once_its_lock_ends(
    s3, settings, custodian, schedule, publish, png_upload
):
    settings.RECORDS_LOCK_ROLLING_SECONDS = 4
    _due_today(schedule)
    record = publish(attach=png_upload)
    blob = record.media.get()
    summary = disposition.scan(as_of=timezone.localdate(), apply=True, actor=custodian)
    item = DispositionItem.objects.get(batch_id=summary["batch"], record=record)
    disposition.decide(actor=custodian, item=item, approve=True)
    batch = disposition.carry_out(actor=custodian, batch=item.batch)
    assert "when its lock ends" in batch.certificate_html
    # Still locked: the store keeps it and so does the database, marked disposed.
    assert len(stores.versions(blob.file.storage, blob.file.name)) == 1
    assert MediaBlob.objects.get(sha256=blob.sha256).disposed_at is not None
    time.sleep(4.5)
    assert media.sweep()["destroyed"] == 1
    assert stores.versions(blob.file.storage, blob.file.name) == []
    assert not MediaBlob.objects.filter(sha256=blob.sha256).exists()


def test_storage_check_warns_when_the_records_bucket_has_no_object_lock(s3, settings, capsys):
    call_command("storage_check")
    assert "records" in capsys.readouterr().out
    records = stores.get("records")
    client = records.connection.meta.client
    client.create_bucket(Bucket=f"{settings.S3_RECORDS_BUCKET}-plain")
    settings.STORAGES = {
        **settings.STORAGES,
        "records": {
            **settings.STORAGES["records"],
            "OPTIONS": {
                **settings.STORAGES["records"]["OPTIONS"],
                "bucket_name": f"{settings.S3_RECORDS_BUCKET}-plain",
            },
        },
    }
    with pytest.raises(SystemExit) as exit_:
        call_command("storage_check", "--strict")
    assert exit_.value.code == 1
    out = capsys.readouterr()
    assert "no Object Lock" in out.out + out.err
