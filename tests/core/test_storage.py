"""The stores: local folders by default, S3 when configured; write-once where records are kept."""

from datetime import timedelta

import pytest
from botocore.exceptions import ClientError
from django.core.files.base import ContentFile
from django.utils import timezone

from core import storage


def test_folders_by_default_write_once_and_read_only(settings, tmp_path):
    records = storage.get("records")
    assert not storage.is_s3(records)
    written = storage.write_once(records, "records/media/ab/abc", b"first")
    assert written.version == ""
    with pytest.raises(FileExistsError):
        storage.write_once(records, "records/media/ab/abc", b"second")
    with storage.open_version(records, "records/media/ab/abc") as handle:
        assert handle.read() == b"first"
    # Under MEDIA_ROOT, as before stores were configurable, so existing records keep their names.
    assert (tmp_path / "media" / "records" / "media" / "ab" / "abc").read_bytes() == b"first"
    assert storage.delete_versions(records, "records/media/ab/abc") == [""]
    assert not records.exists("records/media/ab/abc")


def test_each_folder_store_follows_its_setting(settings, tmp_path):
    settings.EXPORT_ROOT = tmp_path / "elsewhere"
    storage.get("exports").save("a.zip", ContentFile(b"zip"))
    assert (tmp_path / "elsewhere" / "a.zip").read_bytes() == b"zip"
    assert not storage.lock_status("records").write_once


def test_s3_stores_are_buckets_and_the_records_bucket_has_object_lock(s3):
    assert storage.is_s3(storage.get("default"))
    assert storage.lock_status("records").write_once
    assert storage.lock_status("checkpoints").write_once
    assert not storage.lock_status("exports").write_once  # packages expire and are deleted: no lock wanted
    name = storage.get("default").save("attachments/a.txt", ContentFile(b"hello"))
    with storage.get("default").open(name, "rb") as handle:
        assert handle.read() == b"hello"


def test_a_locked_version_cannot_be_deleted_or_overwritten_until_its_date(s3):
    records = storage.get("records")
    until = timezone.now() + timedelta(days=1)
    written = storage.write_once(records, "records/media/x", b"kept", retain_until=until, mode="COMPLIANCE")
    assert written.version
    with pytest.raises(FileExistsError):  # our own writes never replace a name
        storage.write_once(records, "records/media/x", b"other")
    with pytest.raises(storage.ObjectLocked):
        storage.delete_versions(records, "records/media/x")
    # A plain PUT by someone else is not refused by S3 (versioning keeps both): the locked version is still
    # there, byte for byte, and the name now serves another version, which fixity reports.
    client = records.connection.meta.client
    client.put_object(Bucket=records.bucket_name, Key="records/media/x", Body=b"replaced")
    with storage.open_version(records, "records/media/x", written.version) as handle:
        assert handle.read() == b"kept"
    assert storage.latest_version(records, "records/media/x") != written.version
    with pytest.raises(ClientError) as refused:
        client.delete_object(Bucket=records.bucket_name, Key="records/media/x", VersionId=written.version)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_a_legal_hold_blocks_deletion_after_the_lock_ends_and_its_release_allows_it(s3):
    records = storage.get("records")
    written = storage.write_once(
        records, "records/media/h", b"held", retain_until=timezone.now() + timedelta(seconds=1)
    )
    storage.set_legal_hold(records, "records/media/h", version=written.version, on=True)
    import time

    time.sleep(1.5)
    with pytest.raises(storage.ObjectLocked):
        storage.delete_versions(records, "records/media/h")
    storage.set_legal_hold(records, "records/media/h", version=written.version, on=False)
    assert storage.delete_versions(records, "records/media/h") == [written.version]
    assert storage.versions(records, "records/media/h") == []


def test_a_lock_is_extended_never_shortened(s3):
    records = storage.get("records")
    now = timezone.now()
    written = storage.write_once(records, "records/media/e", b"e", retain_until=now + timedelta(days=2))
    assert not storage.extend_lock(
        records, "records/media/e", version=written.version, retain_until=now + timedelta(days=1), mode="COMPLIANCE"
    )
    assert storage.extend_lock(
        records, "records/media/e", version=written.version, retain_until=now + timedelta(days=3), mode="COMPLIANCE"
    )
    head = records.connection.meta.client.head_object(
        Bucket=records.bucket_name, Key="records/media/e", VersionId=written.version
    )
    assert head["ObjectLockRetainUntilDate"] >= now + timedelta(days=3) - timedelta(seconds=1)
