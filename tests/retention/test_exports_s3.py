"""Exports with the stores on S3 (385.5.1(a), 385.7): the package is built in the worker's staging folder and kept in
the exports bucket, nothing of it stays on the worker's disk; media come from the records bucket at the version the
record names; the download is audited, then handed out as a short-lived presigned address the browser fetches from
S3 itself; expiry deletes every version of the package. Against a real S3 server (moto in server mode)."""

import hashlib
import io
import zipfile
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from freezegun import freeze_time

from core import storage
from core.models import AuditEvent
from retention.exports import bag as builder
from retention.exports.services import start_export
from retention.exports.tasks import sweep_exports_task
from retention.exports.verify import verify_zip
from retention.models import Export
from retention.public_records import attach_records, log_request
from tests.conftest import _png_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5.1(a)", "385.7")]


@pytest.fixture
def photo_record(s3, publish, png_upload):
    """A published post with a photo, captured into the records bucket (S3 is configured before it is made)."""
    return publish(body="Found: a blue bicycle near Miles Avenue Park.", attach=png_upload)


def build(custodian, record, django_capture_on_commit_callbacks) -> Export:
    with django_capture_on_commit_callbacks(execute=True):
        export = start_export(actor=custodian, purpose="ediscovery", record_ids=[record.pk], reason="Counsel's demand")
    export.refresh_from_db()
    assert export.status == "done", export.error
    return export


def stored_bytes(export: Export) -> bytes:
    exports = storage.get("exports")
    (version,) = storage.versions(exports, export.file_name)
    with storage.open_version(exports, export.file_name, version.version) as body:
        return body.read()


def files_under(folder) -> list[Path]:
    return [p for p in Path(folder).rglob("*") if p.is_file()]


def downloads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb="export.downloaded").order_by("seq"))


def test_a_package_built_on_s3_is_in_the_exports_bucket_and_nowhere_on_disk(
    custodian, photo_record, django_capture_on_commit_callbacks, tmp_path
):
    exports = storage.get("exports")
    assert storage.is_s3(exports) and storage.is_s3(storage.get("records"))
    export = build(custodian, photo_record, django_capture_on_commit_callbacks)

    (version,) = storage.versions(exports, export.file_name)
    assert version.latest and version.size == export.size
    data = stored_bytes(export)
    assert hashlib.sha256(data).hexdigest() == export.sha256
    # The worker's scratch space is gone, and no package was ever written where the folder store would keep it.
    assert not builder.staging_dir(export.pk).exists()
    assert files_under(settings.EXPORT_ROOT) == []

    blob = photo_record.media.get()
    assert blob.version  # the records bucket keeps versions: the record names its own
    root = export.file_name.removesuffix(".zip")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read(f"{root}/data/media/{blob.sha256}") == _png_bytes()
    target = tmp_path / export.file_name
    target.write_bytes(data)
    assert verify_zip(target) == []
    out = StringIO()
    call_command("verify_export", str(target), stdout=out)
    assert out.getvalue().startswith("OK: 1 records")


def test_media_are_read_at_the_version_the_record_names(
    custodian, photo_record, django_capture_on_commit_callbacks, tmp_path
):
    blob = photo_record.media.get()
    records = storage.get("records")
    # Someone with bucket access PUTs other bytes under the same name: S3 keeps both versions, and the name now
    # serves the new one. The package carries the version captured, which still matches its SHA-256.
    client = records.connection.meta.client
    client.put_object(Bucket=records.bucket_name, Key=blob.file.name, Body=b"not the photo")
    assert storage.latest_version(records, blob.file.name) != blob.version
    export = build(custodian, photo_record, django_capture_on_commit_callbacks)
    root = export.file_name.removesuffix(".zip")
    with zipfile.ZipFile(io.BytesIO(stored_bytes(export))) as archive:
        assert archive.read(f"{root}/data/media/{blob.sha256}") == _png_bytes()
        custody = archive.read(f"{root}/chain-of-custody.txt").decode()
    assert "media files, all match" in custody


def test_the_download_is_audited_then_sent_to_a_presigned_address_that_serves_the_package(
    signed_in, custodian, photo_record, django_capture_on_commit_callbacks, tmp_path
):
    export = build(custodian, photo_record, django_capture_on_commit_callbacks)
    assert settings.S3_PRESIGNED_SECONDS > 0
    response = signed_in(custodian).get(f"/records/exports/{export.pk}/download/")
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    url = response["Location"]
    assert url.startswith(settings.S3_ENDPOINT_URL) and "X-Amz-Signature=" in url
    assert f"X-Amz-Expires={settings.S3_PRESIGNED_SECONDS}&" in url  # short-lived: S3_PRESIGNED_SECONDS
    (event,) = downloads()
    assert event.actor_repr == "custodian" and event.details["sha256"] == export.sha256
    assert event.details["delivery"].startswith("presigned address")

    fetched = requests.get(url, timeout=30)  # the browser's request, straight to S3
    assert fetched.status_code == 200 and hashlib.sha256(fetched.content).hexdigest() == export.sha256
    assert f'filename="{export.file_name}"' in fetched.headers["Content-Disposition"]
    target = tmp_path / "downloaded.zip"
    target.write_bytes(fetched.content)
    out = StringIO()
    call_command("verify_export", str(target), stdout=out)
    assert out.getvalue().startswith("OK: 1 records")
    # S3 refuses the address once it expires and if it is altered; moto checks neither, so that is S3's to keep.


def test_without_presigned_addresses_the_package_is_streamed_from_the_bucket(
    signed_in, custodian, photo_record, django_capture_on_commit_callbacks, settings
):
    export = build(custodian, photo_record, django_capture_on_commit_callbacks)
    settings.S3_PRESIGNED_SECONDS = 0
    response = signed_in(custodian).get(f"/records/exports/{export.pk}/download/")
    assert response.status_code == 200 and not response.has_header("Location")
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == export.sha256 and response["Content-Length"] == str(export.size)
    (event,) = downloads()
    assert event.details["delivery"] == "streamed"


def test_a_refused_download_writes_no_event_and_gives_no_address(
    signed_in, custodian, smo, chief, photo_record, django_capture_on_commit_callbacks, settings
):
    export = build(custodian, photo_record, django_capture_on_commit_callbacks)
    refused = signed_in(smo).get(f"/records/exports/{export.pk}/download/")
    assert refused.status_code == 403 and not refused.has_header("Location")
    assert b"X-Amz" not in refused.content
    # Permission comes before anything else: a missing export is refused alike, not reported as missing.
    assert signed_in(smo).get("/records/exports/99999/download/").status_code == 403
    # A reader whose second factor is not fresh is asked for it again first: no address yet.
    stale = signed_in(chief)
    session = stale.session
    session["second_factor_at"] = 0
    session.save()
    asked = stale.get(f"/records/exports/{export.pk}/download/")
    assert "X-Amz" not in asked.get("Location", "") and b"X-Amz" not in asked.content
    assert downloads() == []

    with freeze_time(export.expires_at + timedelta(minutes=1)):
        gone = signed_in(custodian).get(f"/records/exports/{export.pk}/download/")
    assert gone.status_code == 410 and not gone.has_header("Location")
    assert downloads() == []


def test_expiry_deletes_every_version_of_the_package_from_the_bucket(
    custodian, photo_record, django_capture_on_commit_callbacks
):
    export = build(custodian, photo_record, django_capture_on_commit_callbacks)
    exports = storage.get("exports")
    assert len(storage.versions(exports, export.file_name)) == 1
    with freeze_time(export.expires_at + timedelta(seconds=1)):
        assert sweep_exports_task.delay().get()["expired"] == 1
    export.refresh_from_db()
    assert export.status == "expired"
    # Not merely hidden behind a delete marker: the bytes are gone from the bucket.
    assert storage.versions(exports, export.file_name) == [] and not exports.exists(export.file_name)
    assert AuditEvent.objects.filter(verb="export.expired", object_id=str(export.pk)).count() == 1


def test_a_rebuild_replaces_what_a_dead_worker_stored_under_the_name(custodian, photo_record):
    export = start_export(actor=custodian, purpose="ediscovery", record_ids=[photo_record.pk], reason="x")
    exports = storage.get("exports")
    name = f"{builder.package_name(export)}.zip"
    # A worker stored the package, then died before marking the export done.
    exports.save(name, ContentFile(b"an earlier attempt"))
    built = builder.build_export(export.pk)
    assert built.status == "done" and built.file_name == name
    (version,) = storage.versions(exports, name)
    assert version.size == built.size and hashlib.sha256(stored_bytes(built)).hexdigest() == built.sha256


def test_the_command_copies_the_package_out_of_the_bucket(custodian, photo_record, tmp_path):
    request = log_request(actor=custodian, requester="Desert Sun", description="Found property", number="PRR-2026-9")
    attach_records(actor=custodian, request=request, records=[photo_record])
    target = tmp_path / "out.zip"
    out = StringIO()
    call_command(
        "export_records",
        "--request",
        "PRR-2026-9",
        "--purpose",
        "ediscovery",
        "--reason",
        "Counsel's demand",
        "--actor",
        "custodian",
        "--out",
        str(target),
        "--no-progress",
        stdout=out,
        stderr=StringIO(),
    )
    export = Export.objects.get()
    assert target.read_bytes() == stored_bytes(export) and verify_zip(target) == []
    assert [e.details["delivery"] for e in downloads()] == ["streamed"]
