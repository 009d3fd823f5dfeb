"""Media in a public release is reviewed, not waved through (385.7): the records custodian releases, withholds
(citing the exemption) or replaces with a redacted version each photo, video or document before the package is
built; what nobody decided on is withheld and logged. E-discovery and transfers carry every file whole."""

import csv
import io
import json
import zipfile
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import storage
from core.errors import InvalidInput, InvalidTransition, PermissionRefused
from core.models import AuditEvent
from retention.exports import bag as builder
from retention.exports.media_review import decide_media, export_media, finish_media_review
from retention.exports.services import start_export
from retention.exports.tasks import sweep_exports_task
from retention.exports.verify import verify_zip
from retention.models import Export, MediaDecision
from retention.public_records import attach_records, log_request
from tests.conftest import _png_bytes
from tests.retention.exported import fetch

pytestmark = pytest.mark.django_db

EXEMPTION = "Cal. Gov. Code § 7922.000"
ORIGINAL = _png_bytes()
MASKED = _png_bytes(width=3, height=3)  # stands for the photo with the faces blurred


@pytest.fixture
def photo_post(publish, png_upload):
    """A published post whose photo shows what the requester must not see, as its record."""
    return publish(body="Officers helped a family after the crash on Jackson Street.", attach=png_upload)


@pytest.fixture
def photo(photo_post):
    return photo_post.media.get()


def start(custodian, record, purpose="public"):
    return start_export(actor=custodian, purpose=purpose, record_ids=[record.pk], reason="PRR-2026-0101")


def finish(custodian, export, django_capture_on_commit_callbacks) -> Export:
    with django_capture_on_commit_callbacks(execute=True):
        finish_media_review(actor=custodian, export=export)
    export.refresh_from_db()
    assert export.status == "done", export.error
    return export


def members(export: Export) -> dict[str, bytes]:
    with storage.get("exports").open(export.file_name, "rb") as stored, zipfile.ZipFile(stored) as archive:
        return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


def redaction_log(files: dict[str, bytes]) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files["redaction-log.csv"].decode("utf-8"))))


def masked_upload(name="photo-blurred.png", data=MASKED):
    return SimpleUploadedFile(name, data, content_type="image/png")


# Undecided, released, withheld, redacted ------------------------------------------------------------------------


def test_a_public_release_with_media_waits_and_withholds_what_nobody_reviewed(
    custodian, photo_post, photo, django_capture_on_commit_callbacks, tmp_path
):
    with django_capture_on_commit_callbacks(execute=True):
        export = start(custodian, photo_post)
    export.refresh_from_db()
    assert export.status == "review" and not export.file_name  # not built behind the custodian's back
    assert [m.blob.sha256 for m in export_media(export)] == [photo.sha256]

    export = finish(custodian, export, django_capture_on_commit_callbacks)
    files = members(export)
    assert f"data/media/{photo.sha256}" not in files
    assert not any(ORIGINAL in data for data in files.values())
    (row,) = redaction_log(files)
    assert row["record_id"] == str(photo_post.pk) and row["media_sha256"] == photo.sha256
    assert row["reason"] == "not reviewed by the custodian" and row["rule"] == "media.not_reviewed"
    assert row["location"] == "content.media[0]" and row["replacement_sha256"] == ""
    record = json.loads(files["data/records.jsonl"])
    assert record["files"]["media"] == [] and record["media"][0]["released"] == "withheld"
    custody = files["chain-of-custody.txt"].decode()
    assert "1 not reviewed by the custodian and withheld" in custody and "not examined" not in custody
    assert "Redacted: yes" in custody and b"Redacted: yes" in files["bag-info.txt"]
    assert "Withheld:" in files[f"data/records/{photo_post.pk}.html"].decode()
    assert verify_zip(fetch(export, tmp_path)) == []
    reviewed = AuditEvent.objects.get(verb="export.media_reviewed")
    assert reviewed.details["not_reviewed"] == 1 and reviewed.actor_repr == "custodian"


def test_a_released_file_goes_as_published(custodian, photo_post, photo, django_capture_on_commit_callbacks):
    export = start(custodian, photo_post)
    decide_media(actor=custodian, export=export, blob=photo, decision="release")
    export = finish(custodian, export, django_capture_on_commit_callbacks)
    files = members(export)
    assert files[f"data/media/{photo.sha256}"] == ORIGINAL
    assert "redaction-log.csv" not in files and b"Redacted: no" in files["bag-info.txt"]
    assert "1 released as published" in files["chain-of-custody.txt"].decode()
    page = files[f"data/records/{photo_post.pk}.html"].decode()
    assert f'src="../media/{photo.sha256}"' in page


def test_a_withheld_file_stays_out_and_the_log_cites_the_exemption(
    custodian, photo_post, photo, django_capture_on_commit_callbacks
):
    export = start(custodian, photo_post)
    decide_media(
        actor=custodian,
        export=export,
        blob=photo,
        decision="withhold",
        reason="Face of a juvenile",
        exemption=EXEMPTION,
    )
    export = finish(custodian, export, django_capture_on_commit_callbacks)
    files = members(export)
    assert not any(name.startswith("data/media/") for name in files)
    assert not any(ORIGINAL in data for data in files.values())
    (row,) = redaction_log(files)
    assert (row["rule"], row["reason"], row["exemption"]) == ("media.withheld", "Face of a juvenile", EXEMPTION)
    assert row["media_sha256"] == photo.sha256
    custody = json.loads(files["chain-of-custody.json"])
    assert custody["redaction"]["media"]["withheld"] == 1
    (decided,) = custody["redaction"]["media"]["decisions"]
    assert decided["decided_by"] == "custodian" and decided["exemption"] == EXEMPTION
    page = files[f"data/records/{photo_post.pk}.html"].decode()
    assert "Withheld:" in page and EXEMPTION in page and "<img" not in page


def test_a_redacted_version_replaces_the_original(
    custodian, photo_post, photo, django_capture_on_commit_callbacks, tmp_path
):
    export = start(custodian, photo_post)
    made = decide_media(
        actor=custodian,
        export=export,
        blob=photo,
        decision="redacted",
        reason="Faces of the family blurred",
        exemption=EXEMPTION,
        redacted_file=masked_upload(),
    )
    assert made.redacted_content_type == "image/png" and made.redacted_size == len(MASKED)
    export = finish(custodian, export, django_capture_on_commit_callbacks)
    files = members(export)
    assert files[f"data/media/{made.redacted_sha256}"] == MASKED
    assert f"data/media/{photo.sha256}" not in files and not any(ORIGINAL in d for d in files.values())
    (row,) = redaction_log(files)
    assert (row["media_sha256"], row["replacement_sha256"]) == (photo.sha256, made.redacted_sha256)
    assert row["rule"] == "media.redacted_version" and row["exemption"] == EXEMPTION
    record = json.loads(files["data/records.jsonl"])
    assert record["files"]["media"] == [f"data/media/{made.redacted_sha256}"]
    assert record["media"][0]["original_sha256"] == photo.sha256
    assert verify_zip(fetch(export, tmp_path)) == []
    event = AuditEvent.objects.get(verb="export.media_decided")
    assert event.details["redacted_sha256"] == made.redacted_sha256 and event.details["decision"] == "redacted"


def test_a_decision_can_be_changed_until_the_package_is_built(
    custodian, photo_post, photo, django_capture_on_commit_callbacks
):
    export = start(custodian, photo_post)
    first = decide_media(
        actor=custodian,
        export=export,
        blob=photo,
        decision="redacted",
        reason="Faces blurred",
        exemption=EXEMPTION,
        redacted_file=masked_upload(),
    )
    storage, replaced = first.redacted_file.storage, first.redacted_file.name
    with django_capture_on_commit_callbacks(execute=True):
        decide_media(actor=custodian, export=export, blob=photo.sha256, decision="release")
    assert MediaDecision.objects.get().decision == "release" and not storage.exists(replaced)
    export = finish(custodian, export, django_capture_on_commit_callbacks)
    with pytest.raises(InvalidTransition) as refused:
        decide_media(actor=custodian, export=export, blob=photo, decision="withhold", reason="r", exemption="e")
    assert refused.value.field == "status" and MediaDecision.objects.get().decision == "release"


def test_the_sweeper_leaves_a_release_waiting_for_review_alone(custodian, photo_post):
    export = start(custodian, photo_post)
    Export.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert sweep_exports_task.delay().get()["requeued"] == []
    assert builder.build_export(export.pk) is None  # a stray build message does not build it either
    export.refresh_from_db()
    assert export.status == "review" and export.attempts == 0 and not export.file_name


def test_the_media_of_an_export_are_read_in_constant_queries(custodian, publish, png_upload):
    def queries_for(count: int) -> int:
        records = [
            publish(body=f"Photo {i} of the parade.", attach=masked_upload(f"p{i}.png", _png_bytes(width=10 + i)))
            for i in range(count)
        ]
        export = start_export(actor=custodian, purpose="public", record_ids=[r.pk for r in records], reason="Count")
        with CaptureQueriesContext(connection) as queries:
            assert len(export_media(export)) == count
        return len(queries)

    assert queries_for(1) == queries_for(4)


# Refusals ------------------------------------------------------------------------------------------------------


def test_only_the_custodian_decides_and_builds(custodian, supervisor, chief, photo_post, photo):
    export = start(custodian, photo_post)
    for who in (supervisor, chief):
        with pytest.raises(PermissionRefused):
            decide_media(actor=who, export=export, blob=photo, decision="release")
        with pytest.raises(PermissionRefused):
            finish_media_review(actor=who, export=export)
    export.refresh_from_db()
    assert export.status == "review" and not MediaDecision.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="export.media_").exists()


@pytest.mark.parametrize(
    "given, field, words",
    [
        ({"decision": "maybe"}, "decision", "choose"),
        ({"decision": "withhold", "exemption": EXEMPTION}, "reason", "why"),
        ({"decision": "withhold", "reason": "Face of a victim", "exemption": "  "}, "exemption", "cite"),
        ({"decision": "redacted", "reason": "Plate masked", "exemption": EXEMPTION}, "redacted_file", "upload"),
        (
            {"decision": "redacted", "reason": "Plate", "exemption": EXEMPTION, "redacted_file": "notes.png"},
            "redacted_file",
            "by its content",
        ),
        (
            {"decision": "redacted", "reason": "Plate", "exemption": EXEMPTION, "redacted_file": "original"},
            "redacted_file",
            "unchanged",
        ),
        ({"decision": "release", "redacted_file": "masked"}, "redacted_file", "redacted version"),
        ({"decision": "release", "blob": "0" * 64}, "blob", "not a media file"),
    ],
)
def test_bad_input_is_refused_naming_the_field(custodian, photo_post, photo, given, field, words):
    export = start(custodian, photo_post)
    uploads = {
        "notes.png": SimpleUploadedFile("notes.png", b"Victim: Jane Doe, 12", content_type="image/png"),
        "original": masked_upload(data=ORIGINAL),
        "masked": masked_upload(),
    }
    kwargs = {"actor": custodian, "export": export, "blob": photo, **given}
    if "redacted_file" in given:
        kwargs["redacted_file"] = uploads[given["redacted_file"]]
    with pytest.raises(InvalidInput) as refused:
        decide_media(**kwargs)
    assert refused.value.field == field and words in str(refused.value).lower()
    assert not MediaDecision.objects.exists()
    assert not AuditEvent.objects.filter(verb="export.media_decided").exists()
    redacted_dir = Path(MediaDecision._meta.get_field("redacted_file").storage.location) / "records/redacted"
    assert not redacted_dir.exists() or not any(p.is_file() for p in redacted_dir.rglob("*"))


def test_the_database_refuses_a_withheld_file_without_its_exemption(custodian, photo_post, photo):
    export = start(custodian, photo_post)
    with pytest.raises(IntegrityError), transaction.atomic():
        MediaDecision.objects.create(export=export, blob=photo, decision="withhold", reason="x", decided_by=custodian)
    with pytest.raises(IntegrityError), transaction.atomic():
        Export.objects.filter(pk=export.pk).update(purpose="ediscovery")  # only a public release waits for review


# E-discovery and transfers ---------------------------------------------------------------------------------------


def test_ediscovery_and_transfer_carry_every_media_file(
    custodian, photo_post, photo, django_capture_on_commit_callbacks
):
    for purpose in ("ediscovery", "transfer"):
        with django_capture_on_commit_callbacks(execute=True):
            export = start(custodian, photo_post, purpose=purpose)
        export.refresh_from_db()
        assert export.status == "done", export.error
        files = members(export)
        assert files[f"data/media/{photo.sha256}"] == ORIGINAL and "redaction-log.csv" not in files
        assert "Media:" not in files["chain-of-custody.txt"].decode()
        with pytest.raises(InvalidTransition) as refused:
            decide_media(actor=custodian, export=export, blob=photo, decision="release")
        assert refused.value.field == "purpose"


# The export page ------------------------------------------------------------------------------------------------


def test_the_custodian_decides_on_the_export_page_then_builds(
    signed_in, custodian, chief, photo_post, photo, django_capture_on_commit_callbacks
):
    prr = log_request(actor=custodian, requester="Desert Sun", description="Crash posts", number="PRR-2026-0101")
    attach_records(actor=custodian, request=prr, records=[photo_post])
    client = signed_in(custodian)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/records/exports/new/", {"request": prr.pk, "purpose": "public", "reason": "Answering PRR"})
    export = Export.objects.get()
    url = f"/records/exports/{export.pk}/"
    page = client.get(url).content.decode()
    assert "Waiting for media review" in page and photo.sha256 in page and "Build the package" in page
    assert f"{url}media/{photo.sha256}/" in page and "Not reviewed" in page
    shown = client.get(f"{url}media/{photo.sha256}/")
    assert b"".join(shown.streaming_content) == ORIGINAL and shown["Cache-Control"] == "private, no-store"

    viewer = signed_in(chief)  # reads records, does not decide
    assert "Build the package" not in viewer.get(url).content.decode()
    assert viewer.post(f"{url}media/{photo.sha256}/decide/", {"decision": "release"}).status_code == 403
    assert viewer.post(f"{url}build/").status_code == 403

    decide = f"{url}media/{photo.sha256}/decide/"
    page = client.post(decide, {"decision": "withhold", "reason": "Face of a juvenile"}).content.decode()
    assert "Cite the exemption" in page and not MediaDecision.objects.exists()
    response = client.post(
        decide,
        {
            "decision": "redacted",
            "reason": "Faces of the family blurred",
            "exemption": EXEMPTION,
            "redacted_file": masked_upload(),
        },
    )
    assert response.status_code == 302
    made = MediaDecision.objects.get()
    page = client.get(url).content.decode()
    assert "Release a redacted version" in page and made.redacted_sha256 in page
    assert b"".join(client.get(f"{url}media/{photo.sha256}/?version=redacted").streaming_content) == MASKED

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{url}build/").status_code == 302
    export.refresh_from_db()
    assert export.status == "done", export.error
    download = b"".join(client.get(f"{url}download/").streaming_content)
    with zipfile.ZipFile(io.BytesIO(download)) as archive:
        names = archive.namelist()
        media = [n for n in names if "/data/media/" in n and not n.endswith("/")]
        assert [n.rsplit("/", 1)[1] for n in media] == [made.redacted_sha256]
        assert archive.read(media[0]) == MASKED
    page = client.get(url).content.decode()
    assert "Save decision" not in page and "Build the package" not in page and made.redacted_sha256 in page


# The management command -----------------------------------------------------------------------------------------


def test_export_records_withholds_unreviewed_media_and_says_so(custodian, photo_post, photo, tmp_path):
    prr = log_request(actor=custodian, requester="Desert Sun", description="Crash posts", number="PRR-2026-0102")
    attach_records(actor=custodian, request=prr, records=[photo_post])
    target = tmp_path / "prr.zip"
    out = StringIO()
    call_command(
        "export_records",
        "--request",
        "PRR-2026-0102",
        "--purpose",
        "public",
        "--reason",
        "Answering PRR-2026-0102",
        "--actor",
        "custodian",
        "--out",
        str(target),
        "--no-progress",
        stdout=out,
        stderr=StringIO(),
    )
    assert "1 media file withheld: not reviewed by the custodian" in out.getvalue()
    with zipfile.ZipFile(target) as archive:
        files = {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}
    assert f"data/media/{photo.sha256}" not in files and not any(ORIGINAL in d for d in files.values())
    (row,) = redaction_log(files)
    assert row["media_sha256"] == photo.sha256 and row["reason"] == "not reviewed by the custodian"
