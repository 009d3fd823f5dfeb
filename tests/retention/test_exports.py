"""Exports of records as verifiable BagIt packages (385.5.1(a), 385.7): built from records captured the real way,
validated by bagit and by our own verifier, redacted only for public release, downloaded only while fresh."""

import csv
import hashlib
import io
import json
import struct
import zipfile
from datetime import timedelta
from pathlib import Path

import bagit
import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from core import storage
from core.errors import InvalidInput, InvalidTransition, PermissionRefused
from core.models import AuditEvent
from moderation import services as review
from moderation.models import Review
from moderation.screening import services as screening
from posts import services as posts
from posts.publishing.intake import receive_comment
from retention import disposition
from retention.exports import bag as builder
from retention.exports.media_review import decide_media, export_media, finish_media_review
from retention.exports.services import expire_exports, open_download, progress, start_export
from retention.exports.tasks import sweep_exports_task
from retention.exports.verify import verify_package, verify_zip
from retention.holds import place_hold
from retention.models import (
    ClassificationRule,
    DispositionItem,
    Export,
    Record,
    RecordSeries,
    Redaction,
    RetentionSchedule,
)
from retention.public_records import attach_records, log_request
from tests.conftest import _png_bytes, skip_or_fail
from tests.posts.factories import draft
from tests.retention.exported import fetch, stored

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5.1(a)", "385.7")]

PHONE = "760-342-7781"
SUSPECT = "Marcus Delgado"
PERSONAL = settings.REDACTION_EXEMPTIONS["personal"]
CONFIDENTIAL = settings.REDACTION_EXEMPTIONS["confidential"]


# Records captured the real way -------------------------------------------------------------------------------


@pytest.fixture
def filed(custodian):
    series = RecordSeries.objects.create(code="CW-026", title="Social media content")
    RetentionSchedule.objects.create(
        series=series,
        version=1,
        period=2,
        unit="years",
        trigger="publication",
        action="destroy",
        citation="City records schedule CW-026",
        approved_by=custodian,
    )
    for kind in ("post", "comment", "removed_comment"):
        ClassificationRule.objects.create(kind=kind, series=series, created_by=custodian)
    return series


@pytest.fixture
def publish(author, channel, supervisor, filed, django_capture_on_commit_callbacks):
    """Draft, review (acknowledging what screening flags), publish; the record is captured by the task."""

    def make(body="Road work on Monroe Street this week.", title="Road work", attach=None) -> Record:
        post = draft(author, [channel], body=body, title=title)
        if attach is not None:
            attach.seek(0)
            posts.add_attachment(actor=author, post=post, uploaded=attach, alt_text="The found bicycle")
            post.refresh_from_db()
        review.submit_for_review(actor=author, post=post)
        pending = Review.objects.filter(post=post).latest("pk")
        review.approve_post(
            actor=supervisor, post=post, acknowledge=[f.pk for f in pending.findings.all() if f.needs_acknowledgement]
        )
        with django_capture_on_commit_callbacks(execute=True):
            posts.publish_post(actor=author, post=post)
        return Record.objects.get(source_type="posts.post", source_id=post.pk, source_version=f"v{post.version}")

    return make


@pytest.fixture
def comment_on(channel, django_capture_on_commit_callbacks):
    counter = iter(range(1, 100_000))

    def make(record: Record, text: str, name="Ann Smith") -> Record:
        from posts.models import Post

        post = Post.objects.get(pk=record.source_id)
        with django_capture_on_commit_callbacks(execute=True):
            comment = receive_comment(
                channel=channel, post=post, author_name=name, text=text, external_id=f"ext-{next(counter)}"
            )
        return Record.objects.get(source_type="posts.comment", source_id=comment.pk, source_version="received")

    return make


@pytest.fixture
def found_property(publish, comment_on, png_upload):
    post = publish(
        title="Found: a blue bicycle",
        attach=png_upload,
        body=f"Found property at Avenue 44 & Monroe <north side>: call Jane at {PHONE} to claim the blue bicycle.",
    )
    comment = comment_on(post, "Is the bicycle still there? I can pick it up Friday.")
    return post, comment


@pytest.fixture
def prr(custodian, found_property):
    request = log_request(
        actor=custodian, requester="Press-Enterprise", description="Found-property posts", number="PRR-2026-0042"
    )
    attach_records(actor=custodian, request=request, records=list(found_property))
    return request


def build(django_capture_on_commit_callbacks, **kwargs) -> Export:
    """Start an export as a view does; the task it queues on commit runs inline here. A public release with media
    has the custodian release each file as published and build the package, as the export page does."""
    with django_capture_on_commit_callbacks(execute=True):
        export = start_export(**kwargs)
    export.refresh_from_db()
    if export.status == "review":
        for item in export_media(export):
            decide_media(actor=kwargs["actor"], export=export, blob=item.blob, decision="release")
        with django_capture_on_commit_callbacks(execute=True):
            finish_media_review(actor=kwargs["actor"], export=export)
        export.refresh_from_db()
    assert export.status == "done", export.error
    return export


def unpack(export: Export, tmp_path: Path) -> Path:
    with zipfile.ZipFile(fetch(export, tmp_path)) as archive:
        archive.extractall(tmp_path / "unpacked")
    (root,) = (tmp_path / "unpacked").iterdir()
    return root


def jsonl(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / "data/records.jsonl").read_text(encoding="utf-8").splitlines()]


def all_bytes(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


# A package of real records -----------------------------------------------------------------------------------


def test_request_export_is_a_valid_bag_with_every_rendition(
    custodian, prr, found_property, tmp_path, django_capture_on_commit_callbacks
):
    post, comment = found_property
    export = build(
        django_capture_on_commit_callbacks,
        actor=custodian,
        purpose="public",
        request=prr,
        reason="Answering PRR-2026-0042",
        include_dat=True,
    )
    assert export.status == "done" and export.done == export.total == 2 and export.error == ""
    zipped = fetch(export, tmp_path)
    assert export.size == zipped.stat().st_size == storage.get("exports").size(export.file_name)
    assert export.sha256 == hashlib.sha256(zipped.read_bytes()).hexdigest()
    assert export.expires_at == export.finished_at + timedelta(hours=settings.EXPORT_EXPIRY_HOURS)
    assert export.file_name == f"socialgov-export-{export.pk}-prr-2026-0042.zip"
    assert verify_zip(zipped) == []
    root = unpack(export, tmp_path)
    assert root.name == export.file_name.removesuffix(".zip")
    bag = bagit.Bag(str(root))
    assert bag.validate(processes=1)

    info = bag.info
    assert info["External-Identifier"] == "PRR-2026-0042" and info["Record-Count"] == "2"
    assert info["Source-Organization"] == settings.DEPARTMENT_NAME and info["Export-Purpose"] == "Public release"
    assert info["Contact-Name"] == custodian.get_full_name() and info["Redacted"] == "no"
    payload = [p for p in (root / "data").rglob("*") if p.is_file()]
    assert info["Payload-Oxum"] == f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"

    rows = {row["id"]: row for row in jsonl(root)}
    assert list(rows) == [post.pk, comment.pk]
    for record in (post, comment):
        row = rows[record.pk]
        # The content exported is the content captured: it still hashes to the record's SHA-256.
        assert Record.hash_of(row["content"]) == record.sha256 == row["sha256"] and row["content_verified"]
        assert row["series"] == "CW-026" and row["schedule_version"] == 1 and row["status"] == "active"
        assert row["requests"] == [{"id": prr.pk, "number": "PRR-2026-0042", "status": "open"}]
        assert "holds" not in row  # a public release does not say which litigation holds a record
    assert rows[post.pk]["children"] == [comment.pk] and rows[comment.pk]["parent"] == post.pk
    assert rows[post.pk]["content"]["reviews"][0]["decided_by"] == "supervisor"
    assert rows[post.pk]["content"]["revisions"] and rows[post.pk]["author"] == "smo"

    with open(root / "data/records.csv", encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert [int(r["record_id"]) for r in table] == [post.pk, comment.pk]
    assert table[0]["title"] == "Found: a blue bicycle" and table[0]["sha256"] == post.sha256
    assert table[0]["channels"] == "news" and table[0]["html"] == f"data/records/{post.pk}.html"

    page = (root / f"data/records/{post.pk}.html").read_text(encoding="utf-8")
    assert "Avenue 44 &amp; Monroe &lt;north side&gt;" in page and "<north side>" not in page
    assert "Is the bicycle still there?" in page  # its comment, shown with it
    assert f'href="{comment.pk}.html"' in page and "approved" in page and post.sha256 in page
    (media,) = post.media.all()
    assert f'src="../media/{media.sha256}"' in page
    assert (root / f"data/media/{media.sha256}").read_bytes() == _png_bytes()
    assert f'href="{post.pk}.html">Record #{post.pk}' in (root / f"data/records/{comment.pk}.html").read_text()

    dat = (root / "data/loadfile.dat").read_bytes()
    assert dat.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    lines = dat.decode("utf-8-sig").split("\r\n")
    header = [field.strip("\u00fe") for field in lines[0].split("\x14")]
    assert header[:3] == ["BEGDOC", "ENDDOC", "RECORDID"] and "PDFPATH" not in header
    first = dict(zip(header, (f.strip("\u00fe") for f in lines[1].split("\x14")), strict=True))
    assert first["BEGDOC"] == first["ENDDOC"] == "SG0000001" and first["RECORDID"] == str(post.pk)
    assert first["NATIVEPATH"] == f"records/{post.pk}.html" and (root / "data" / first["NATIVEPATH"]).is_file()
    assert first["MEDIA"] == f"media/{media.sha256}" and first["SHA256"] == post.sha256
    assert first["DATEPUBLISHED"] == timezone.localtime(post.published_at).strftime("%m/%d/%Y")
    assert first["CHANNELS"] == "news" and first["AUTHOR"] == "smo" and first["TITLE"] == "Found: a blue bicycle"
    assert lines[2].split("\x14")[0] == "\u00feSG0000002\u00fe" and lines[3] == ""

    custody = json.loads((root / "chain-of-custody.json").read_text(encoding="utf-8"))
    assert custody["exported_by"]["username"] == "custodian" and custody["reason"] == "Answering PRR-2026-0042"
    assert custody["scope"] == "request" and custody["request"]["number"] == "PRR-2026-0042"
    assert custody["records"]["count"] == 2 and custody["integrity_at_export"]["content_hash_mismatches"] == []
    assert custody["software"]["bagit"] == bagit.VERSION
    text = (root / "chain-of-custody.txt").read_text(encoding="utf-8")
    assert "Why: Answering PRR-2026-0042" in text and "Exported by:" in text and "PRR-2026-0042" in text
    tagged = (root / "tagmanifest-sha256.txt").read_text()
    assert "chain-of-custody.json" in tagged and "chain-of-custody.txt" in tagged and "bag-info.txt" in tagged
    verbs = list(
        AuditEvent.objects.filter(object_type="retention.export").values_list("verb", flat=True).order_by("seq")
    )
    # The custodian released the photo as published before the package was built.
    assert verbs == ["export.started", "export.media_decided", "export.media_reviewed", "export.finished"]


def test_search_export_records_the_query_and_lists_holds(
    custodian, publish, tmp_path, django_capture_on_commit_callbacks
):
    monroe = publish(body="Monroe Street is closed for the parade.")
    publish(body="Coffee with a cop on Friday.")
    place_hold(
        actor=custodian,
        matter="Smith v. City",
        reference="CV-2026-118",
        requested_by="City Attorney",
        reason="Litigation",
        keywords=["Monroe"],
    )
    export = build(
        django_capture_on_commit_callbacks,
        actor=custodian,
        purpose="ediscovery",
        query={"q": "Monroe"},
        reason="Subpoena in Smith v. City",
    )
    root = unpack(export, tmp_path)
    (row,) = jsonl(root)
    assert row["id"] == monroe.pk
    assert row["holds"] == [
        {"id": row["holds"][0]["id"], "matter": "Smith v. City", "reference": "CV-2026-118", "status": "active"}
    ]
    custody = json.loads((root / "chain-of-custody.json").read_text())
    assert custody["scope"] == "query" and custody["query"] == {"q": "Monroe"}
    assert custody["reason"] == "Subpoena in Smith v. City" and custody["purpose"] == "ediscovery"
    assert '"q": "Monroe"' in (root / "chain-of-custody.txt").read_text()
    assert bagit.Bag(str(root)).info["External-Identifier"] == f"export-{export.pk}"


def test_hold_export_and_destroyed_records_as_tombstones(
    custodian, publish, tmp_path, django_capture_on_commit_callbacks
):
    kept = publish(body="Monroe Street case file.")
    gone = publish(body="Coffee with a cop.")
    hold = place_hold(
        actor=custodian, matter="Case", reference="HOLD-7", requested_by="DA", reason="Evidence", keywords=["Monroe"]
    )
    summary = disposition.scan(as_of=timezone.localdate() + timedelta(days=365 * 3), apply=True, actor=custodian)
    item = DispositionItem.objects.get(batch_id=summary["batch"], record=gone)
    disposition.decide(actor=custodian, item=item, approve=True)
    disposition.carry_out(actor=custodian, batch=item.batch)

    held = build(
        django_capture_on_commit_callbacks,
        actor=custodian,
        purpose="ediscovery",
        hold=hold,
        reason="Production to the DA",
    )
    assert [r["id"] for r in jsonl(unpack(held, tmp_path / "held"))] == [kept.pk]
    assert held.external_identifier == "HOLD-7"

    both = build(
        django_capture_on_commit_callbacks,
        actor=custodian,
        purpose="transfer",
        record_ids=[gone.pk, kept.pk],
        reason="Transfer",
    )
    root = unpack(both, tmp_path / "both")
    rows = {r["id"]: r for r in jsonl(root)}
    assert rows[gone.pk]["tombstone"] and rows[gone.pk]["content"]["tombstone"] is True
    assert rows[gone.pk]["content_verified"] is None and rows[gone.pk]["text"] == ""
    assert rows[kept.pk]["tombstone"] is False and rows[kept.pk]["content_verified"] is True
    page = (root / f"data/records/{gone.pk}.html").read_text()
    assert "This record was destroyed" in page and "Only its tombstone is kept" in page
    assert "Coffee with a cop" not in page
    assert json.loads((root / "chain-of-custody.json").read_text())["records"]["tombstones"] == 1


# Tampering is found and named ---------------------------------------------------------------------------------


@pytest.fixture
def package(custodian, found_property, django_capture_on_commit_callbacks) -> Export:
    post, comment = found_property
    return build(
        django_capture_on_commit_callbacks,
        actor=custodian,
        purpose="ediscovery",
        record_ids=[post.pk, comment.pk],
        reason="Production",
    )


def _rewrite(source: Path, target: Path, change: dict):
    """Copy the ZIP, replacing (bytes), dropping (None) or adding members; the result is a valid ZIP."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            for suffix, replacement in change.items():
                if info.filename.endswith(suffix):
                    data = replacement(data) if callable(replacement) else replacement
            if data is not None:
                new.writestr(info.filename, data)
        prefix = old.namelist()[0].split("/", 1)[0]
        for name, data in change.items():
            if name.startswith("+"):
                new.writestr(f"{prefix}/{name[1:]}", data)


def test_one_altered_byte_in_a_file_is_named_with_both_checksums(package, found_property, tmp_path):
    post, _ = found_property
    member = f"data/records/{post.pk}.html"

    def flip(data: bytes) -> bytes:
        return data[:100] + bytes([data[100] ^ 0x01]) + data[101:]

    altered = tmp_path / "altered.zip"
    zipped = fetch(package, tmp_path)
    _rewrite(zipped, altered, {member: flip})
    with zipfile.ZipFile(zipped) as original:
        name = next(n for n in original.namelist() if n.endswith(member))
        expected = hashlib.sha256(original.read(name)).hexdigest()
        found = hashlib.sha256(flip(original.read(name))).hexdigest()
    assert verify_zip(altered) == [f"{member}: sha256 checksum mismatch (expected {expected}, found {found})"]


def test_a_flipped_byte_in_the_raw_zip_names_the_damaged_member(package, found_property, tmp_path):
    post, _ = found_property
    zipped = fetch(package, tmp_path)
    raw = bytearray(zipped.read_bytes())
    with zipfile.ZipFile(zipped) as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith(f"data/records/{post.pk}.html"))
    # The member's data starts after its local header: 30 bytes, then its name and extra field.
    name_length, extra_length = struct.unpack("<HH", raw[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    raw[start + info.compress_size // 2] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    problems = verify_zip(damaged)
    assert len(problems) == 1 and problems[0].startswith(f"{info.filename}: damaged inside the ZIP")


def test_missing_added_and_tag_file_changes_are_named(package, found_property, tmp_path):
    post, comment = found_property
    changed = tmp_path / "changed.zip"
    zipped = fetch(package, tmp_path)
    _rewrite(
        zipped,
        changed,
        {
            f"data/records/{comment.pk}.html": None,
            "+data/extra.txt": b"smuggled",
            "chain-of-custody.txt": lambda d: d.replace(b"Production", b"Productiom"),
        },
    )
    problems = verify_zip(changed)
    assert any(p.startswith("bag-info.txt: Payload-Oxum validation failed") for p in problems)
    assert f"data/records/{comment.pk}.html: listed in the manifest but missing from the package" in problems
    assert "data/extra.txt: in the package but not listed in any manifest" in problems
    assert any(p.startswith("chain-of-custody.txt: sha256 checksum mismatch") for p in problems)
    assert verify_zip(tmp_path / "nothing.zip") == [f"{tmp_path / 'nothing.zip'}: no such file"]
    (tmp_path / "not.zip").write_text("hello")
    assert verify_zip(tmp_path / "not.zip") == [f"{tmp_path / 'not.zip'}: not a ZIP file"]
    assert verify_package(zipped).records == 2


# Redaction ----------------------------------------------------------------------------------------------------


def test_public_release_is_redacted_and_the_records_are_not(
    custodian, supervisor, found_property, comment_on, tmp_path, django_capture_on_commit_callbacks
):
    post, bicycle_comment = found_property
    # The ligature folds to two letters and the accent drops when screening normalizes the text: the registry
    # matches on the normalized text, and the redaction must still land on exactly what was written.
    tip = comment_on(post, "ﬁled a tip: Márcus Delgado took it; write me at ann.smith@gmail.com")
    screening.add_confidential_term(
        actor=supervisor,
        term=SUSPECT,
        kind="suspect",
        case_number="24-018734",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    export = build(
        django_capture_on_commit_callbacks,
        actor=custodian,
        purpose="public",
        record_ids=[post.pk, bicycle_comment.pk, tip.pk],
        reason="PRR-2026-0050",
        redact=True,
        redact_spans=[
            {
                "record": post.pk,
                "text": "blue bicycle",
                "reason": "Identifies the owner",
                "exemption": "Cal. Gov. Code § 7927.705",
            }
        ],
    )
    assert export.status == "done"
    root = unpack(export, tmp_path)
    rows = {r["id"]: r for r in jsonl(root)}
    assert rows[post.pk]["text"] == (
        "Found property at Avenue 44 & Monroe <north side>: call Jane at "
        f"[REDACTED — {PERSONAL}] to claim the [REDACTED — Cal. Gov. Code § 7927.705]."
    )
    assert rows[post.pk]["title"] == "Found: a [REDACTED — Cal. Gov. Code § 7927.705]"
    assert rows[tip.pk]["text"] == (
        f"ﬁled a tip: [REDACTED — {CONFIDENTIAL}] took it; write me at [REDACTED — {PERSONAL}]"
    )
    assert all(r["redacted"] for r in rows.values())
    everything = all_bytes(fetch(export, tmp_path)).decode("utf-8", errors="replace")
    # Not in the JSON, the CSV, the HTML, the finding excerpts, the logs, nor the link made from the title.
    for withheld in (PHONE, "Márcus Delgado", "ann.smith@gmail.com", "blue bicycle", "blue-bicycle"):
        assert withheld not in everything
    assert rows[post.pk]["content"]["publications"][0]["url"].endswith(
        "-found-a-[REDACTED — Cal. Gov. Code § 7927.705]/"
    )
    assert "Is the bicycle still there?" in everything  # only what was found is withheld

    logged = list(Redaction.objects.filter(export=export))
    by_category = {r.category for r in logged}
    assert by_category == {"personal", "confidential", "picked"}
    phone = next(r for r in logged if r.rule_id == "pii.phone" and r.location == "text")
    assert phone.record_id == post.pk and phone.exemption == PERSONAL and phone.length == len(PHONE)
    assert phone.span_sha256 == hashlib.sha256(PHONE.encode()).hexdigest()
    term = next(r for r in logged if r.category == "confidential")
    assert term.record_id == tip.pk and term.exemption == CONFIDENTIAL and term.length == len("Márcus Delgado")
    for row in logged:
        assert not any(
            w in f"{row.location}{row.reason}{row.exemption}{row.rule_id}"
            for w in (PHONE, "Delgado", "gmail", "blue bicycle")
        )
    # The excerpt of the screening finding on the post repeats the number; it is withheld there too.
    assert any(r.location.startswith("content.reviews[0].findings") for r in logged if r.record_id == post.pk)
    log_rows = list(csv.DictReader(io.StringIO((root / "redaction-log.csv").read_text(encoding="utf-8"))))
    assert len(log_rows) == len(logged) and set(log_rows[0]) == {
        "record_id",
        "location",
        "category",
        "rule",
        "reason",
        "exemption",
        "length",
        "media_sha256",
        "replacement_sha256",
    }
    assert "redaction-log.csv" in (root / "tagmanifest-sha256.txt").read_text()
    custody = json.loads((root / "chain-of-custody.json").read_text())
    assert custody["redaction"]["spans_withheld"] == len(logged)
    assert custody["redaction"]["media"]["released"] == 1 and custody["redaction"]["media"]["not_reviewed"] == 0
    assert bagit.Bag(str(root)).info["Redacted"] == "yes" and verify_zip(fetch(export, tmp_path)) == []

    for record in (post, bicycle_comment, tip):  # the records themselves are untouched
        record.refresh_from_db()
        assert record.verify() and Record.hash_of(record.content) == record.sha256
    assert PHONE in post.text and "Márcus Delgado" in tip.text


def test_ediscovery_and_transfer_are_never_redacted(custodian, found_property):
    post, _ = found_property
    for purpose in ("ediscovery", "transfer"):
        with pytest.raises(InvalidInput) as refused:
            start_export(actor=custodian, purpose=purpose, record_ids=[post.pk], reason="x", redact=True)
        assert refused.value.field == "redact"
    assert "never redacted" in str(refused.value) or "whole" in str(refused.value)
    with pytest.raises(InvalidInput) as refused:
        start_export(
            actor=custodian,
            purpose="ediscovery",
            record_ids=[post.pk],
            reason="x",
            redact_spans=[{"record": post.pk, "text": "Jane", "reason": "r", "exemption": "e"}],
        )
    assert refused.value.field == "redact_spans" and "E-discovery exports are never redacted" in str(refused.value)
    assert not Export.objects.exists()
    assert not AuditEvent.objects.filter(verb="export.started").exists()


# Refusals name the field and change nothing -------------------------------------------------------------------


def _span(record, text="Jane", reason="Names the owner", exemption="Cal. Gov. Code § 7927.705"):
    return [{"record": record.pk, "text": text, "reason": reason, "exemption": exemption}]


@pytest.mark.parametrize(
    "change, field, words",
    [
        (lambda post, comment: {"reason": "  "}, "reason", "why"),
        (lambda post, comment: {"purpose": "gossip"}, "purpose", "purpose"),
        (lambda post, comment: {"record_ids": None}, "scope", "exactly one"),
        (lambda post, comment: {"query": {"q": "bicycle"}}, "scope", "not query and record_ids"),
        (lambda post, comment: {"record_ids": [999_999]}, "record_ids", "999999"),
        (lambda post, comment: {"record_ids": []}, "record_ids", "at least one"),
        (lambda post, comment: {"record_ids": None, "query": {"date_from": "last week"}}, "query", "cannot be read"),
        (lambda post, comment: {"record_ids": None, "query": {"q": "nowhere"}}, "query", "no records"),
        (lambda post, comment: {"redact_spans": _span(post)}, "redact_spans", "not in this export"),
        (
            lambda post, comment: {"record_ids": [post.pk], "redact_spans": _span(post, text="Mallory")},
            "redact_spans",
            "does not contain",
        ),
        (
            lambda post, comment: {"record_ids": [post.pk], "redact_spans": _span(post, exemption="")},
            "redact_spans",
            "exemption",
        ),
        (
            lambda post, comment: {"record_ids": [post.pk], "redact_spans": _span(post, reason="")},
            "redact_spans",
            "reason",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(custodian, found_property, change, field, words):
    post, comment = found_property
    kwargs = {"actor": custodian, "purpose": "public", "reason": "Request", "record_ids": [comment.pk]}
    kwargs.update(change(post, comment))
    with pytest.raises(InvalidInput) as refused:
        start_export(**kwargs)
    assert refused.value.field == field and words.lower() in str(refused.value).lower()
    assert not Export.objects.exists()


def test_pdf_is_refused_where_weasyprint_cannot_run(custodian, found_property, monkeypatch):
    post, _ = found_property
    monkeypatch.setattr(disposition, "pdf_available", lambda: False)
    with pytest.raises(InvalidInput) as refused:
        start_export(actor=custodian, purpose="ediscovery", record_ids=[post.pk], reason="x", include_pdf=True)
    assert refused.value.field == "include_pdf" and "pango" in str(refused.value).lower()
    assert not Export.objects.exists()


def test_only_the_custodian_exports(supervisor, chief, found_property):
    post, _ = found_property
    for who in (supervisor, chief):
        with pytest.raises(PermissionRefused):
            start_export(actor=who, purpose="public", record_ids=[post.pk], reason="Curious")
    assert not Export.objects.exists()


# Download, expiry, progress -----------------------------------------------------------------------------------


def test_download_is_audited_and_refused_once_expired(package, custodian, chief, member, tmp_path):
    with open_download(actor=chief, export=package) as handle:  # the Chief may read records (385.7)
        assert handle.read() == fetch(package, tmp_path).read_bytes()
    with open_download(actor=custodian, export=package) as handle:
        handle.read(10)
    downloads = AuditEvent.objects.filter(verb="export.downloaded", object_id=str(package.pk))
    assert [e.actor_repr for e in downloads.order_by("seq")] == ["chief", "custodian"]
    assert downloads.first().details["sha256"] == package.sha256
    with pytest.raises(PermissionRefused):
        open_download(actor=member, export=package)
    assert downloads.count() == 2

    with freeze_time(package.expires_at + timedelta(seconds=1)):
        with pytest.raises(InvalidTransition) as refused:
            open_download(actor=custodian, export=package)
        assert refused.value.code == "expired"
        assert stored(package)  # until the sweeper runs
        assert sweep_exports_task.delay().get()["expired"] == 1
    package.refresh_from_db()
    assert package.status == "expired" and not stored(package)
    assert AuditEvent.objects.filter(verb="export.expired", actor_repr="system").count() == 1
    with pytest.raises(InvalidTransition):
        open_download(actor=custodian, export=package)
    assert expire_exports() == 0 and downloads.count() == 2


def test_an_export_not_yet_built_cannot_be_downloaded(custodian, found_property):
    _, comment = found_property
    export = start_export(actor=custodian, purpose="public", record_ids=[comment.pk], reason="x")  # not committed
    assert export.status == "queued"
    with pytest.raises(InvalidTransition) as refused:
        open_download(actor=custodian, export=export)
    assert refused.value.code == "not_ready"


def test_progress_reports_percent_phase_and_time_left(custodian, found_property):
    post, _ = found_property
    export = start_export(actor=custodian, purpose="public", record_ids=[post.pk], reason="x")
    assert progress(export)["percent"] == 0 and progress(export)["eta_seconds"] is None
    now = timezone.now()
    export.status, export.phase, export.total, export.done = "running", "Writing records", 1000, 500
    export.started_at = now - timedelta(seconds=45)
    state = progress(export, now=now)
    assert state["percent"] == 45 and state["eta_seconds"] == 55 and state["phase"] == "Writing records"
    assert state["done"] == 500 and state["total"] == 1000 and not state["finished"]
    export.phase = "Packaging"
    assert progress(export, now=now)["percent"] == 95
    export.status, export.error = "failed", "OSError: no space left"
    assert progress(export)["finished"] and progress(export)["error"] == "OSError: no space left"


# PDF ---------------------------------------------------------------------------------------------------------


def test_pdf_rendition_of_each_record(custodian, found_property, tmp_path, django_capture_on_commit_callbacks):
    if not disposition.pdf_available():
        skip_or_fail("PDF renditions need WeasyPrint's Pango libraries (apt-get install libpango-1.0-0)")
    post, comment = found_property
    export = build(
        django_capture_on_commit_callbacks,
        actor=custodian,
        purpose="ediscovery",
        record_ids=[post.pk, comment.pk],
        reason="Production",
        include_pdf=True,
        include_dat=True,
    )
    root = unpack(export, tmp_path)
    for record in (post, comment):
        assert (root / f"data/pdf/{record.pk}.pdf").read_bytes()[:5] == b"%PDF-"
    header, first = (root / "data/loadfile.dat").read_bytes().decode("utf-8-sig").split("\r\n")[:2]
    fields = dict(zip(header.split("\x14"), first.split("\x14"), strict=True))
    assert fields["\u00fePDFPATH\u00fe"] == f"\u00fepdf/{post.pk}.pdf\u00fe"
    assert verify_zip(fetch(export, tmp_path)) == []


# The task: idempotent, swept, failing cleanly -----------------------------------------------------------------


def test_the_sweeper_builds_what_a_lost_message_or_a_dead_worker_left(custodian, found_property):
    post, comment = found_property
    lost = start_export(actor=custodian, purpose="ediscovery", record_ids=[post.pk], reason="x")  # never sent
    Export.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    dead = start_export(actor=custodian, purpose="public", record_ids=[comment.pk], reason="y")
    Export.objects.filter(pk=dead.pk).update(
        status="running",
        started_at=timezone.now() - timedelta(minutes=30),
        heartbeat_at=timezone.now() - timedelta(minutes=11),
    )
    busy = start_export(actor=custodian, purpose="public", record_ids=[comment.pk], reason="z")
    Export.objects.filter(pk=busy.pk).update(status="running", started_at=timezone.now(), heartbeat_at=timezone.now())
    fresh = start_export(actor=custodian, purpose="public", record_ids=[comment.pk], reason="w")
    result = sweep_exports_task.delay().get()
    assert result["requeued"] == [lost.pk, dead.pk]
    statuses = dict(Export.objects.values_list("pk", "status"))
    assert statuses == {lost.pk: "done", dead.pk: "done", busy.pk: "running", fresh.pk: "queued"}
    assert builder.build_export(lost.pk) is None  # built once; a late duplicate message does nothing


def test_a_rebuild_starts_from_a_clean_staging_folder(custodian, found_property, tmp_path):
    post, _ = found_property
    export = start_export(actor=custodian, purpose="ediscovery", record_ids=[post.pk], reason="x")
    leftovers = builder.staging_dir(export.pk) / "bag"
    leftovers.mkdir(parents=True)
    (leftovers / "half-written.html").write_text("from a worker that died")
    built = builder.build_export(export.pk)
    assert built.status == "done" and not builder.staging_dir(export.pk).exists()
    zipped = fetch(built, tmp_path)
    assert not any("half-written" in name for name in zipfile.ZipFile(zipped).namelist())
    assert verify_zip(zipped) == []


def test_a_failed_build_says_why_and_leaves_nothing_behind(custodian, found_property, monkeypatch):
    post, _ = found_property
    export = start_export(actor=custodian, purpose="ediscovery", record_ids=[post.pk], reason="x")

    def broken(*args, **kwargs):
        raise RuntimeError(f"cannot bag {settings.SECRET_KEY}")

    monkeypatch.setattr(builder.BagZip, "finish", broken)
    failed = builder.build_export(export.pk)
    assert failed.status == "failed" and failed.error == "RuntimeError: cannot bag [hidden]"
    assert not builder.staging_dir(export.pk).exists() and not list(Path(settings.EXPORT_ROOT).glob("*.zip*"))
    event = AuditEvent.objects.get(verb="export.failed")
    assert event.details == {"error": "RuntimeError: cannot bag [hidden]", "will_retry": False}
    assert builder.build_export(export.pk) is None  # a failed export is not rebuilt by a stray message


def test_a_build_that_fails_after_storing_its_package_deletes_it(custodian, found_property, monkeypatch):
    post, _ = found_property
    export = start_export(actor=custodian, purpose="ediscovery", record_ids=[post.pk], reason="x")

    def lost():
        raise RuntimeError("the database went away as the export was being marked done")

    monkeypatch.setattr(builder, "write_checkpoint_after_commit", lost)
    failed = builder.build_export(export.pk)
    assert failed.status == "failed" and not failed.file_name
    name = f"{builder.package_name(export)}.zip"
    assert storage.versions(storage.get("exports"), name) == []  # never handed out, so not kept
    assert not builder.staging_dir(export.pk).exists()


def test_a_transient_failure_goes_back_to_the_queue_and_is_retried(custodian, found_property, monkeypatch):
    post, _ = found_property
    export = start_export(actor=custodian, purpose="ediscovery", record_ids=[post.pk], reason="x")
    monkeypatch.setattr(builder.BagZip, "finish", lambda *a, **k: (_ for _ in ()).throw(OperationalError("db gone")))
    with pytest.raises(OperationalError):
        builder.build_export(export.pk)
    export.refresh_from_db()
    assert export.status == "queued" and "will be retried" in export.error
    monkeypatch.undo()
    assert builder.build_export(export.pk).status == "done"


# Streaming: the builder's queries do not grow with the number of records ---------------------------------------


def test_the_builder_streams_records_in_chunks(custodian, publish, comment_on, monkeypatch):
    monkeypatch.setattr(builder, "PROGRESS_SECONDS", 3600)  # progress writes are timed; keep them out of the count
    post = publish(body="Community meeting on Thursday.")
    comments = [comment_on(post, f"Comment number {i} about the meeting.", name=f"Resident {i}") for i in range(100)]

    def queries_for(records) -> int:
        export = start_export(actor=custodian, purpose="ediscovery", record_ids=[r.pk for r in records], reason="Count")
        with CaptureQueriesContext(connection) as queries:
            built = builder.build_export(export.pk)
        assert built.status == "done" and built.done == len(records)
        return len(queries)

    assert queries_for(comments[:10]) == queries_for(comments)
