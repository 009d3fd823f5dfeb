"""Building an export package: the records written out, bagged (BagIt, RFC 8493, SHA-256 manifests), with a
chain-of-custody tag file, zipped, and stored in the exports store for delivery.

The records are streamed (`iterator(chunk_size=...)`, what each chunk links to read in one query per kind of
link), so the writing holds one chunk at a time however many records there are; progress goes to the Export row
at most once a second so the custodian's progress bar moves. Each file goes straight into the ZIP, hashed on its
way in (bagzip.BagZip); only the listings (records.jsonl, records.csv, loadfile.dat) and the redaction log are
staged as files first. The package is assembled in the worker's own staging folder (EXPORT_ROOT/staging/<id>)
and, once whole, stored in the exports store (a folder or an S3 bucket); nothing reads it back by its path.

A build is idempotent: it starts by removing its own staging folder and its redaction log, and stores the package
over anything an earlier attempt left under its name, so a worker that died half-way leaves nothing a rebuild
trips over.
"""

import csv
import hashlib
import json
import logging
import platform
import shutil
import time
from collections import defaultdict
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import bagit
import django
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from core.audit import record_event
from core.tasks import write_checkpoint_after_commit

from ..models import (
    Export,
    HeldRecord,
    MediaBlob,
    MediaDecision,
    Record,
    RecordKind,
    Redaction,
    RequestRecord,
    canonical_json,
)
from .bagzip import BagZip
from .loadfile import LoadFileWriter
from .redact import Redactor, redact_record
from .rendition import render_record
from .services import attempts_left, describe_scope, export_records_queryset, give_up_export
from .stored import delete_package, open_stored, store_of, store_package

log = logging.getLogger(__name__)

CHUNK = 500
# The progress bar is fed at most this often (a query each time).
PROGRESS_SECONDS = 1.0
# A build whose heartbeat is older than this was lost with its worker; the sweeper queues it again.
STALE_AFTER = timedelta(minutes=10)

CUSTODY_JSON = "chain-of-custody.json"
CUSTODY_TEXT = "chain-of-custody.txt"
REDACTION_LOG = "redaction-log.csv"
REQUIRED_FILES = (
    "bagit.txt",
    "bag-info.txt",
    "manifest-sha256.txt",
    "tagmanifest-sha256.txt",
    CUSTODY_JSON,
    CUSTODY_TEXT,
    "data/records.jsonl",
    "data/records.csv",
)

PURPOSE_NAMES = {
    Export.Purpose.PUBLIC_RELEASE: "Public release",
    Export.Purpose.EDISCOVERY: "E-discovery",
    Export.Purpose.TRANSFER: "Transfer to the permanent archive",
}

CSV_COLUMNS = [
    "record_id",
    "kind",
    "status",
    "source",
    "series",
    "schedule_version",
    "channels",
    "author",
    "title",
    "published_at",
    "captured_at",
    "sha256",
    "content_verified",
    "parent_id",
    "children",
    "media",
    "holds",
    "requests",
    "html",
    "pdf",
    "redacted",
]
# The last two name the media file a row is about: the original, and the redacted version released in its place.
REDACTION_COLUMNS = [
    "record_id",
    "location",
    "category",
    "rule",
    "reason",
    "exemption",
    "length",
    "media_sha256",
    "replacement_sha256",
]
MEDIA_RULES = {
    None: "media.not_reviewed",
    MediaDecision.Decision.WITHHOLD: "media.withheld",
    MediaDecision.Decision.REDACTED: "media.redacted_version",
}


def staging_dir(export_id: int) -> Path:
    """The worker's scratch space for one build: on this machine, removed when the build ends either way."""
    return Path(settings.EXPORT_ROOT) / "staging" / str(export_id)


def package_name(export: Export) -> str:
    name = f"socialgov-export-{export.pk}"
    ident = slugify(export.external_identifier)[:60].strip("-")
    return f"{name}-{ident}" if ident and ident != f"export-{export.pk}" else name


def _sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _when(value):
    return value.isoformat() if value else None


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet runs a cell starting with these as a formula; records.jsonl keeps the exact value.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# Progress -------------------------------------------------------------------------------------------------


class _Progress:
    def __init__(self, export_id: int):
        self.export_id = export_id
        self.last = time.monotonic()

    def set(self, **fields):
        self.last = time.monotonic()
        Export.objects.filter(pk=self.export_id).update(heartbeat_at=timezone.now(), **fields)

    def tick(self, **fields):
        if time.monotonic() - self.last >= PROGRESS_SECONDS:
            self.set(**fields)


# Writing the records --------------------------------------------------------------------------------------


RECORD_FIELDS = (
    "id",
    "kind",
    "source_type",
    "source_id",
    "source_version",
    "captured_at",
    "published_at",
    "channel_slugs",
    "author_username",
    "title",
    "text",
    "content",
    "sha256",
    "parent_id",
    "status",
    "series__code",
    "series__title",
    "schedule__version",
)
KIND_LABELS = dict(RecordKind.choices)
STATUS_LABELS = dict(Record.Status.choices)


def record_chunks(records):
    """The records as plain rows, CHUNK at a time: the database cursor streams them, and only one chunk (with
    what it links to) is held in memory. Rows rather than model instances: the export reads, never saves."""
    chunk = []
    for row in records.values(*RECORD_FIELDS).iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Linked:
    """What a chunk of records links to (media, comments and other child records, requests, holds), read in
    one query each whatever the chunk's size."""

    def __init__(self, ids: list[int], *, with_holds: bool):
        self.media, self.children, self.requests, self.holds = (defaultdict(list) for _ in range(4))
        first, last = min(ids), max(ids)
        # Dense record numbers (an export of a whole series or period): a range reads the links of at most twice
        # as many records, the others' never looked up, and spares Django preparing 500 parameters for a query.
        dense = last - first < 2 * len(ids)

        def chunk(field: str) -> Q:
            return Q(**{f"{field}__gte": first, f"{field}__lte": last}) if dense else Q(**{f"{field}__in": ids})

        through = Record.media.through.objects.filter(chunk("record_id")).order_by("mediablob_id")
        for record_id, sha, content_type, size, name, version in through.values_list(
            "record_id",
            "mediablob__sha256",
            "mediablob__content_type",
            "mediablob__size",
            "mediablob__file",
            "mediablob__version",
        ):
            self.media[record_id].append(
                {"sha256": sha, "content_type": content_type, "size": size, "file": name, "version": version}
            )
        children = (
            Record.objects.filter(chunk("parent_id"))
            .order_by("captured_at", "pk")
            .values("id", "parent_id", "kind", "title", "text", "author_username", "published_at", "status")
        )
        for child in children:
            self.children[child["parent_id"]].append(child)
        for record_id, pk, number, status in (
            RequestRecord.objects.filter(chunk("record_id"))
            .order_by("request_id")
            .values_list("record_id", "request_id", "request__number", "request__status")
        ):
            self.requests[record_id].append({"id": pk, "number": number, "status": status})
        if with_holds:
            for record_id, pk, matter, reference, status in (
                HeldRecord.objects.filter(chunk("record_id"))
                .order_by("hold_id")
                .values_list("record_id", "hold_id", "hold__matter", "hold__reference", "hold__status")
            ):
                self.holds[record_id].append({"id": pk, "matter": matter, "reference": reference, "status": status})


class PayloadWriter:
    """Writes data/ into the package: records/<id>.html, media/<sha256> and optionally pdf/<id>.pdf as each
    record is written; records.jsonl, records.csv and loadfile.dat in the staging folder, added to the package
    whole at the end (`add_listings`). The redaction log is staged too, to become a tag file.

    A public release carries only the media the custodian released: the original, or the redacted version they
    uploaded (named by its own SHA-256); a file withheld, or never decided on, stays out and is logged."""

    def __init__(self, export: Export, package: BagZip, staging: Path, ids_in_export: set[int]):
        self.export = export
        self.package = package
        self.staging = staging
        self.ids = ids_in_export
        self.public = export.purpose == Export.Purpose.PUBLIC_RELEASE
        self.jsonl = open(staging / "records.jsonl", "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        self.csv_file = open(staging / "records.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.csv = csv.writer(self.csv_file)
        self.csv.writerow(CSV_COLUMNS)
        self.dat = LoadFileWriter(staging / "loadfile.dat", with_pdf=export.include_pdf) if export.include_dat else None
        self.redacted = self.public and (export.redact or bool(export.redact_spans))
        self.redactor = None
        self.log_path = staging / REDACTION_LOG
        if self.redacted:
            self.redactor = Redactor(export, automatic=export.redact, picked=list(export.redact_spans))
        if self.public:
            # Opened for every public release; kept when text was redacted or a media file was held back.
            self.log_file = open(self.log_path, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self.log = csv.writer(self.log_file)
            self.log.writerow(REDACTION_COLUMNS)
        self.has_log = self.redacted
        decisions = MediaDecision.objects.filter(export=export).select_related("decided_by").order_by("blob_id")
        self.decisions = {d.blob_id: d for d in decisions} if self.public else {}
        self.media_log: list[list] = []
        # sha256 of each media file of a public release -> its decision (None: not reviewed).
        self.media_outcome: dict[str, str | None] = {}
        # The PDF renderer draws images from files: it gets its own copy of each media file in the staging folder.
        self.pdf = _PdfMaker(staging / "pdf-media") if export.include_pdf else None
        self.label = f"#{export.pk} ({export.external_identifier})"
        self.storage = store_of(MediaBlob, "file")
        self.redacted_storage = store_of(MediaDecision, "redacted_file")
        self.media = {}  # sha256 -> problem ("" when the copy verified)
        self.count = 0
        self.by_status: dict[str, int] = {}
        self.mismatches: list[int] = []
        self.first_id = self.last_id = None

    def write_chunk(self, chunk: list[dict], after_each) -> None:
        linked = Linked([r["id"] for r in chunk], with_holds=not self.public)
        for record in chunk:
            self.write(record, linked)
            after_each()
        if self.public:
            self.flush_redactions()

    def write(self, record: dict, linked: Linked):
        pk, status = record["id"], record["status"]
        self.count += 1
        self.first_id = self.first_id or pk
        self.last_id = pk
        self.by_status[status] = self.by_status.get(status, 0) + 1
        tombstone = status == Record.Status.DESTROYED
        # The content as canonical JSON is both what is re-hashed here and what records.jsonl carries.
        canonical = canonical_json(record["content"])
        # A destroyed record's content is its tombstone, which carries the hash of what was destroyed.
        verified = None if tombstone else _sha256_text(canonical) == record["sha256"]
        if verified is False:
            self.mismatches.append(pk)
        row = self._row(record, linked, tombstone=tombstone, verified=verified)
        children = [self._child(c) for c in linked.children.get(pk, ())]
        if self.redactor is not None:
            redact_record(self.redactor, row, children)
        media = self._media(linked.media.get(pk, ()), row["content"], pk)
        carried = [m for m in media if not m.get("withheld")]
        html_path = f"records/{pk}.html"
        pdf_path = f"pdf/{pk}.pdf" if self.pdf else None
        row["files"] = {
            "html": f"data/{html_path}",
            "pdf": f"data/{pdf_path}" if pdf_path else None,
            "media": [f"data/media/{m['sha256']}" for m in carried],
        }
        keys = ("sha256", "content_type", "size", "name", "alt_text")
        if self.public:
            keys += ("released", "original_sha256", "reason", "exemption")
        row["media"] = [{k: m[k] for k in keys if k in m} for m in media]
        html = render_record(
            row,
            children=children,
            media=media,
            public=self.public,
            department=settings.DEPARTMENT_NAME,
            export_label=self.label,
            parent_in_export=row["parent"] in self.ids,
            revisions=_revisions(row["content"]),
            details=_details(row["content"]),
        )
        self.package.add_payload(f"data/{html_path}", html.encode("utf-8"))
        if self.pdf:
            self.package.add_payload(f"data/{pdf_path}", self.pdf.render(html), compress=False)
        content = row.pop("content")
        if self.redactor is not None:
            canonical = canonical_json(content)  # the redacted copy
        # The content last on the line (the metadata reads first), as canonical JSON: the bytes that hash to the
        # record's sha256 when the copy is not redacted.
        metadata = json.dumps(row, ensure_ascii=False, default=str)
        self.jsonl.write(f'{metadata[:-1]}, "content": {canonical}}}\n')
        row["content"] = content
        self.csv.writerow(
            [
                _csv_cell(v)
                for v in (
                    pk,
                    record["kind"],
                    status,
                    row["source"],
                    row["series"],
                    row["schedule_version"],
                    "; ".join(row["channels"]),
                    row["author"],
                    row["title"],
                    row["published_at"],
                    row["captured_at"],
                    record["sha256"],
                    {True: "yes", False: "NO", None: "tombstone"}[verified],
                    record["parent_id"] or "",
                    "; ".join(map(str, row["children"])),
                    "; ".join(row["files"]["media"]),
                    "; ".join(h["matter"] for h in row.get("holds", ())),
                    "; ".join(r["number"] for r in row["requests"]),
                    row["files"]["html"],
                    row["files"]["pdf"] or "",
                    "yes" if row["redacted"] else "no",
                )
            ]
        )
        if self.dat:
            self.dat.write(
                self.count,
                row,
                published_at=record["published_at"],
                captured_at=record["captured_at"],
                native=html_path,
                pdf=pdf_path,
                media=[f"media/{m['sha256']}" for m in carried],
            )

    def _row(self, record: dict, linked: Linked, *, tombstone: bool, verified: bool | None) -> dict:
        pk = record["id"]
        row = {
            "id": pk,
            "kind": record["kind"],
            "kind_label": KIND_LABELS.get(record["kind"], record["kind"]),
            "source": f"{record['source_type']}:{record['source_id']}:{record['source_version']}",
            "source_type": record["source_type"],
            "source_id": record["source_id"],
            "source_version": record["source_version"],
            "series": record["series__code"],
            "series_title": record["series__title"],
            "schedule_version": record["schedule__version"],
            "channels": list(record["channel_slugs"] or []),
            "author": record["author_username"],
            "title": record["title"],
            "text": record["text"],
            "published_at": _when(record["published_at"]),
            "captured_at": _when(record["captured_at"]),
            "sha256": record["sha256"],
            "content_verified": verified,
            "status": record["status"],
            "status_label": STATUS_LABELS.get(record["status"], record["status"]),
            "tombstone": tombstone,
            "parent": record["parent_id"],
            "children": [c["id"] for c in linked.children.get(pk, ())],
            "requests": linked.requests.get(pk, []),
            "redacted": self.redacted,
            "content": record["content"],
        }
        if not self.public:
            # A public release does not say which litigation a record is held for.
            row["holds"] = linked.holds.get(pk, [])
        return row

    @staticmethod
    def _child(child: dict) -> dict:
        return {
            "id": child["id"],
            "kind_label": KIND_LABELS.get(child["kind"], child["kind"]),
            "author": child["author_username"],
            "published_at": _when(child["published_at"]),
            "title": child["title"],
            "text": child["text"],
            "destroyed": child["status"] == Record.Status.DESTROYED,
        }

    def _media(self, blobs, content: dict, record_id: int) -> list[dict]:
        listed = [m for m in (content or {}).get("media", []) if isinstance(m, dict)]
        described = {m.get("sha256"): m for m in listed}
        where = {m.get("sha256"): f"content.media[{i}]" for i, m in reversed(list(enumerate(listed)))}
        media = []
        for blob in blobs:
            sha = blob["sha256"]
            about = described.get(sha, {})
            entry = {
                "sha256": sha,
                "content_type": blob["content_type"],
                "size": blob["size"],
                "name": about.get("name", ""),
                "alt_text": about.get("alt_text", ""),
            }
            if self.public:
                entry = self._reviewed(entry, record_id, where.get(sha, "media"))
                if entry.get("withheld"):
                    media.append(entry)
                    continue
            sha = entry["sha256"]  # a redacted version is carried under its own digest
            if sha not in self.media:
                self.media[sha] = self._copy_media(blob if sha == blob["sha256"] else self._replacement(entry))
            entry["is_image"] = entry["content_type"].startswith("image/")
            entry["problem"] = self.media[sha]
            media.append(entry)
        return media

    def _reviewed(self, entry: dict, record_id: int, location: str) -> dict:
        """What a public release carries of one media file, by the custodian's decision; logs what it holds back."""
        original = entry["sha256"]
        decision = self.decisions.get(original)
        outcome = decision.decision if decision else None
        self.media_outcome.setdefault(original, outcome)
        if outcome == MediaDecision.Decision.RELEASE:
            return {**entry, "released": "as published"}
        reason = decision.reason if decision else MediaDecision.NOT_REVIEWED
        exemption = decision.exemption if decision else ""
        replacement = decision.redacted_sha256 if outcome == MediaDecision.Decision.REDACTED else ""
        self.media_log.append(
            [record_id, location, "media", MEDIA_RULES[outcome], reason, exemption, "", original, replacement]
        )
        self.has_log = True
        if replacement:
            return {
                **entry,
                "sha256": replacement,
                "content_type": decision.redacted_content_type,
                "size": decision.redacted_size,
                "released": "redacted version",
                "original_sha256": original,
                "reason": reason,
                "exemption": exemption,
                "redacted_file": decision.redacted_file.name,
            }
        return {
            **entry,
            "released": "withheld",
            "withheld": True,
            "reason": reason,
            "exemption": exemption,
            "is_image": False,
            "problem": "",
        }

    def _replacement(self, entry: dict) -> dict:
        return {"sha256": entry["sha256"], "file": entry["redacted_file"], "storage": self.redacted_storage}

    def _copy_media(self, blob: dict) -> str:
        """Copy a media file from its store into the package, checking it still matches its SHA-256 (fixity at
        export) as it goes in. The exact object version the record names, where the store keeps versions."""
        storage = blob.get("storage", self.storage)
        try:
            source = open_stored(storage, blob["file"], blob.get("version", ""))
        except FileNotFoundError:
            return "missing from storage: not in this package"
        name = f"data/media/{blob['sha256']}"
        # Media are already compressed: deflating them again costs time and gains nothing.
        with closing(source), self.package.payload_stream(name, compress=False, size=blob.get("size") or 0) as member:
            copy = self.pdf.media_file(blob["sha256"]) if self.pdf else None
            try:
                for block in iter(lambda: source.read(1 << 20), b""):
                    member.write(block)
                    if copy:
                        copy.write(block)
            finally:
                if copy:
                    copy.close()
        if member.digest.hexdigest() != blob["sha256"]:
            return "does not match its SHA-256: damaged in storage"
        return ""

    def flush_redactions(self):
        rows = []
        if self.redactor is not None:
            rows = [
                [r.record_id, r.location, r.category, r.rule_id, r.reason, r.exemption, r.length, "", ""]
                for r in self.redactor.flush()
            ]
        rows += self.media_log
        self.media_log = []
        for row in sorted(rows, key=lambda r: r[0]):  # stable: a record's text rows, then its media
            self.log.writerow([_csv_cell(v) for v in row])

    def close(self):
        if self.public:
            self.flush_redactions()
            self.log_file.close()
            if not self.has_log:
                self.log_path.unlink()
        self.jsonl.close()
        self.csv_file.close()
        if self.dat:
            self.dat.close()

    def add_listings(self):
        """Put the staged records.jsonl, records.csv and loadfile.dat into the package, hashed as they go in."""
        self.package.add_payload_file("data/records.jsonl", self.staging / "records.jsonl")
        self.package.add_payload_file("data/records.csv", self.staging / "records.csv")
        if self.dat:
            self.package.add_payload_file("data/loadfile.dat", self.staging / "loadfile.dat")

    @property
    def media_problems(self) -> dict[str, str]:
        return {sha: problem for sha, problem in self.media.items() if problem}

    def media_review(self) -> dict:
        """How many media files of a public release went out as published, as a redacted version, or not at all."""
        outcomes = list(self.media_outcome.values())
        D = MediaDecision.Decision
        return {
            "files": len(outcomes),
            "released": outcomes.count(D.RELEASE),
            "redacted_versions": outcomes.count(D.REDACTED),
            "withheld": outcomes.count(D.WITHHOLD),
            "not_reviewed": outcomes.count(None),
        }


# What the rendition shows in sections of its own; every other field of the content is listed under "Details".
SHOWN_IN_SECTIONS = frozenset(
    {"title", "body", "text", "reviews", "revisions", "publications", "media", "channels", "author", "published_at"}
)


def _revisions(content: dict) -> list[dict]:
    """The post's revisions, each marked with whether its text differs from the one before (most do not)."""
    shown, previous = [], None
    for revision in (content or {}).get("revisions") or []:
        if not isinstance(revision, dict):
            continue
        text = (revision.get("title"), revision.get("body"), revision.get("translation_body"))
        shown.append({**revision, "text_changed": text != previous})
        previous = text
    return shown


def _details(content: dict) -> list[tuple[str, str]]:
    details = []
    for key, value in sorted((content or {}).items()):
        if key in SHOWN_IN_SECTIONS or value in (None, "", [], {}):
            continue
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        details.append((key.replace("_", " "), value))
    return details


class _PdfMaker:
    """PDF renditions by WeasyPrint, which draws a record's images from files: `media_file` gives it a copy of each
    media file in its own folder of the staging folder (`root`/media/<sha256>, as the HTML links them)."""

    def __init__(self, root: Path):
        import weasyprint
        from weasyprint.urls import URLFetcher

        (root / "records").mkdir(parents=True)
        (root / "media").mkdir()
        root = root.resolve()

        class PackageOnly(URLFetcher):
            """Only the package's own files (its media): a rendition never reaches out to the network."""

            def fetch(self, url, headers=None):
                path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
                if not path.is_relative_to(root):
                    raise ValueError(f"not part of the package: {url}")
                return super().fetch(url, headers)

        self.root = root
        self.weasyprint = weasyprint
        self.fetcher = PackageOnly(allowed_protocols={"file"})
        self.base = str(root / "records") + "/"

    def media_file(self, sha256: str):
        return open(self.root / "media" / sha256, "wb")  # noqa: SIM115 - the caller closes it

    def render(self, html: str) -> bytes:
        return self.weasyprint.HTML(string=html, base_url=self.base, url_fetcher=self.fetcher).write_pdf()


# Bagging --------------------------------------------------------------------------------------------------


def _withholds_anything(writer: PayloadWriter) -> bool:
    """Whether the package holds anything back (redacted text, media withheld or replaced): then it has a log."""
    return writer.has_log


def _bag_info(export: Export, writer: PayloadWriter) -> dict:
    user = export.created_by
    info = {
        "Source-Organization": settings.DEPARTMENT_NAME,
        "Bagging-Date": timezone.localdate().isoformat(),
        "External-Identifier": export.external_identifier,
        "Internal-Sender-Identifier": f"socialgov-export-{export.pk}",
        "Record-Count": str(writer.count),
        "Export-Purpose": PURPOSE_NAMES[export.purpose],
        "Redacted": "yes" if _withholds_anything(writer) else "no",
        "Contact-Name": user.get_full_name() or user.get_username(),
        "Bag-Software-Agent": "socialgov records export (BagIt 0.97, SHA-256)",
    }
    if user.email:
        info["Contact-Email"] = user.email
    return info


def _custody(export: Export, writer: PayloadWriter, bag_info: dict) -> dict:
    user = export.created_by
    public_note = ["Legal holds on the records are not listed in a public release."] if writer.public else []
    redaction = {"redacted": _withholds_anything(writer)}
    if writer.has_log:
        redaction["log"] = REDACTION_LOG
    if writer.redacted:
        redaction.update(
            {
                "automatic": export.redact,
                "automatic_rules": "personal information (pii.*) and the confidential-terms "
                "registry (investigation.registry)"
                if export.redact
                else None,
                "chosen_spans": len(export.redact_spans),
                "spans_withheld": writer.redactor.count,
                "log": REDACTION_LOG,
                "exemptions": dict(settings.REDACTION_EXEMPTIONS) if export.redact else {},
                "records_unchanged": (
                    "Only this copy is redacted; each record's sha256 is that of the record as captured."
                ),
            }
        )
    if writer.media_outcome:
        redaction["media"] = _media_custody(export, writer)
    return {
        "package": {
            "name": package_name(export),
            "export": export.pk,
            "external_identifier": export.external_identifier,
            "format": "BagIt (RFC 8493) with SHA-256 manifests, delivered as a ZIP",
        },
        "department": settings.DEPARTMENT_NAME,
        "purpose": export.purpose,
        "purpose_label": PURPOSE_NAMES[export.purpose],
        "reason": export.reason,
        **describe_scope(export),
        "exported_by": {"username": user.get_username(), "name": user.get_full_name(), "email": user.email},
        "requested_at": _when(export.created_at),
        "build_started_at": _when(export.started_at),
        "bagged_at": _when(timezone.now()),
        "records": {
            "count": writer.count,
            "by_status": writer.by_status,
            "first_id": writer.first_id,
            "last_id": writer.last_id,
            "tombstones": writer.by_status.get(Record.Status.DESTROYED, 0),
        },
        "integrity_at_export": {
            "records_rehashed": writer.count - writer.by_status.get(Record.Status.DESTROYED, 0),
            "content_hash_mismatches": writer.mismatches[:1000],
            "media_files": len(writer.media),
            "media_problems": writer.media_problems,
        },
        "redaction": redaction,
        "options": {"pdf": export.include_pdf, "dat": export.include_dat},
        "notes": public_note,
        "files": {
            "data/records.jsonl": "one record per line: metadata and the full captured content",
            "data/records.csv": "one row per record, the main metadata (cells a spreadsheet would run as a formula "
            "start with an apostrophe; records.jsonl has the exact values)",
            "data/records/<id>.html": "a readable rendition of each record",
            "data/media/<sha256>": "each media file once, named by its SHA-256",
            **({"data/pdf/<id>.pdf": "the same rendition as PDF"} if export.include_pdf else {}),
            **(
                {"data/loadfile.dat": "Concordance DAT load file (þ quote, DC4 separator, ® for line breaks)"}
                if export.include_dat
                else {}
            ),
            **(
                {
                    REDACTION_LOG: "every withheld span: where, why, under which exemption, its length; every "
                    "media file withheld or replaced by a redacted version: why, under which exemption, the SHA-256 "
                    "of the original and of its replacement"
                }
                if writer.has_log
                else {}
            ),
        },
        "how_to_verify": "Validate the bag (e.g. `bagit.py --validate <folder>` or `python manage.py verify_export "
        "<zip>`). Each record's sha256 is the SHA-256 of its content as canonical JSON (keys "
        "sorted, separators ',' and ':', UTF-8, no ASCII escaping).",
        "bag_info": bag_info,
        "software": {
            "product": "socialgov",
            "python": platform.python_version(),
            "django": django.get_version(),
            "bagit": bagit.VERSION,
        },
    }


def _media_custody(export: Export, writer: PayloadWriter) -> dict:
    """The custodian's review of a public release's media, for the chain of custody."""
    review = writer.media_review()
    decided = [d for sha, d in writer.decisions.items() if sha in writer.media_outcome]
    summary = (
        f"the records custodian decided on {review['files'] - review['not_reviewed']} of {review['files']} media "
        f"files before release: {review['released']} released as published, {review['redacted_versions']} "
        f"replaced by a redacted version the custodian made, {review['withheld']} withheld under a cited exemption"
    )
    if review["not_reviewed"]:
        summary += f"; {review['not_reviewed']} {MediaDecision.NOT_REVIEWED} and withheld"
    return {
        **review,
        "summary": summary + ". Withheld and replaced files are listed in the redaction log."
        if review["files"] > review["released"]
        else summary + ".",
        "decisions": [
            {
                "sha256": d.blob_id,
                "decision": d.decision,
                "reason": d.reason,
                "exemption": d.exemption,
                "replacement_sha256": d.redacted_sha256 or None,
                "decided_by": d.decided_by.get_username(),
                "decided_at": _when(d.decided_at),
            }
            for d in decided
        ],
    }


def _custody_text(custody: dict) -> str:
    lines = [
        f"Chain of custody — {custody['department']}",
        "",
        f"Package: {custody['package']['name']} (export #{custody['package']['export']}, "
        f"{custody['package']['external_identifier']})",
        f"Purpose: {custody['purpose_label']}",
        f"Why: {custody['reason']}",
        f"Exported by: {custody['exported_by']['name'] or custody['exported_by']['username']} "
        f"({custody['exported_by']['username']})",
        f"Requested at: {custody['requested_at']}",
        f"Built from: {custody['build_started_at']}",
        f"Bagged at: {custody['bagged_at']}",
    ]
    scope = custody["scope"]
    if scope == "query":
        lines.append(f"Scope: the search {json.dumps(custody['query'], ensure_ascii=False, sort_keys=True)}")
    elif scope == "hold":
        hold = custody["hold"]
        reference = f" ({hold['reference']})" if hold["reference"] else ""
        lines.append(f"Scope: the records held for {hold['matter']}{reference}, requested by {hold['requested_by']}")
    elif scope == "request":
        req = custody["request"]
        lines.append(
            f"Scope: the records attached to records request {req['number']} from {req['requester']} "
            f"(received {req['received_on']})"
        )
    else:
        ids = custody.get("record_ids", [])
        lines.append(
            f"Scope: {len(ids)} chosen records"
            + (f" (disposition batch #{custody['disposition_batch']})" if custody.get("disposition_batch") else "")
        )
    records = custody["records"]
    statuses = ", ".join(f"{n} {status}" for status, n in sorted(records["by_status"].items()))
    lines.append(
        f"Records: {records['count']} ({statuses}); record numbers {records['first_id']} to {records['last_id']}"
    )
    integrity = custody["integrity_at_export"]
    mismatches = integrity["content_hash_mismatches"]
    lines.append(
        f"Integrity at export: {integrity['records_rehashed']} records re-hashed, "
        + (f"MISMATCH in records {', '.join(map(str, mismatches))}" if mismatches else "all match")
        + f"; {integrity['media_files']} media files, "
        + (
            "; ".join(f"{sha}: {p}" for sha, p in integrity["media_problems"].items())
            if integrity["media_problems"]
            else "all match"
        )
    )
    redaction = custody["redaction"]
    if "spans_withheld" in redaction:
        lines.append(
            f"Redacted: yes — {redaction['spans_withheld']} spans withheld "
            f"({'automatic and ' if redaction['automatic'] else ''}{redaction['chosen_spans']} chosen by the "
            f"custodian); see {redaction['log']}. {redaction['records_unchanged']}"
        )
    elif redaction["redacted"]:
        lines.append(f"Redacted: yes — media files only; see {redaction['log']}.")
    else:
        lines.append("Redacted: no")
    if "media" in redaction:
        lines.append(f"Media: {redaction['media']['summary']}")
    lines += [f"Note: {n}" for n in custody["notes"]]
    lines += ["", "Files:"] + [f"  {path}: {what}" for path, what in custody["files"].items()]
    lines += [
        "",
        f"How to verify: {custody['how_to_verify']}",
        "",
        "Software: " + ", ".join(f"{k} {v}" for k, v in custody["software"].items()),
        "",
    ]
    return "\n".join(lines)


# The finished package -------------------------------------------------------------------------------------


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# The build ------------------------------------------------------------------------------------------------


def _claim(export_id: int) -> bool:
    """Take the export for this worker, counting the attempt; one with no attempts left is not taken (the sweeper
    gives it up)."""
    now = timezone.now()
    waiting = Q(status=Export.Status.QUEUED) | (
        Q(status=Export.Status.RUNNING) & (Q(heartbeat_at__lt=now - STALE_AFTER) | Q(heartbeat_at__isnull=True))
    )
    return bool(
        Export.objects.filter(waiting, pk=export_id, attempts__lt=settings.EXPORT_MAX_ATTEMPTS).update(
            status=Export.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            phase="Starting",
            done=0,
            error="",
            attempts=F("attempts") + 1,
        )
    )


def build_export(export_id: int, *, observer=None) -> Export | None:
    """Build the package of an export that is waiting (or whose builder was lost). Returns the export, or None
    when there was nothing to do (already built, failed, expired, out of attempts, or being built by another worker).
    `observer(phase, done, total)`, if given, hears of every record written and every phase (a progress bar)."""
    if not _claim(export_id):
        log.info("Export %s is not waiting to be built; nothing to do.", export_id)
        return None
    export = Export.objects.select_related("created_by", "hold", "request", "batch").get(pk=export_id)
    staging = staging_dir(export.pk)
    try:
        _build(export, staging, observer or _ignore)
    except Exception as exc:
        if _failed(export, exc, staging):
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    export.refresh_from_db()
    return export


def _ignore(phase: str, done: int, total: int):
    pass


def _build(export: Export, staging: Path, observer):
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    Redaction.objects.filter(export=export).delete()  # a rebuild logs its redactions afresh
    records = export_records_queryset(export)
    total = records.count()
    progress = _Progress(export.pk)
    progress.set(total=total, done=0, phase="Writing records")
    observer("Writing records", 0, total)
    ids = set(records.values_list("pk", flat=True).iterator(chunk_size=10_000))
    name = package_name(export)
    staged = staging / f"{name}.zip"
    with BagZip(staged, name, staging=staging) as package:
        writer = PayloadWriter(export, package, staging, ids)
        try:

            def written():
                progress.tick(done=writer.count)
                observer("Writing records", writer.count, total)

            for chunk in record_chunks(records):
                writer.write_chunk(chunk, written)
        finally:
            writer.close()
        progress.set(done=writer.count, total=writer.count, phase="Checksumming")
        observer("Checksumming", writer.count, writer.count)
        writer.add_listings()
        info = _bag_info(export, writer)
        custody = _custody(export, writer, {**info, "Payload-Oxum": package.payload_oxum})
        tags = [
            (CUSTODY_JSON, (json.dumps(custody, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")),
            (CUSTODY_TEXT, _custody_text(custody).encode("utf-8")),
        ]
        if writer.has_log:
            tags.append((REDACTION_LOG, writer.log_path))
        package.finish(info, tags)
    progress.set(phase="Packaging")
    observer("Packaging", writer.count, writer.count)
    size, digest = staged.stat().st_size, _sha256_of(staged)
    progress.set(phase="Storing")
    observer("Storing", writer.count, writer.count)
    file_name = store_package(staged, f"{name}.zip")
    now = timezone.now()
    with transaction.atomic():
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.DONE,
            phase="",
            done=writer.count,
            total=writer.count,
            file_name=file_name,
            size=size,
            sha256=digest,
            finished_at=now,
            heartbeat_at=now,
            expires_at=now + timedelta(hours=settings.EXPORT_EXPIRY_HOURS),
        )
        export.refresh_from_db()
        record_event(
            "system",
            "export.finished",
            export,
            details={
                "records": writer.count,
                "file": file_name,
                "size": size,
                "sha256": digest,
                "redactions": writer.redactor.count if writer.redactor else 0,
                **({"media_review": writer.media_review()} if writer.media_outcome else {}),
                "content_hash_mismatches": writer.mismatches[:100],
                "media_problems": writer.media_problems,
                "exported_by": export.created_by.get_username(),
            },
        )
        # The trail as it stands with this export in it is signed once the export is committed.
        write_checkpoint_after_commit()


# Failures -------------------------------------------------------------------------------------------------


# Errors a retry can cure: the database or the network went away for a moment.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, TRANSIENT)


def _secrets() -> list[str]:
    values = [
        settings.SECRET_KEY,
        getattr(settings, "CREDENTIALS_KEY", ""),
        getattr(settings, "EMAIL_HOST_PASSWORD", ""),
    ]
    values += [db.get("PASSWORD", "") for db in settings.DATABASES.values()]
    redis = urlparse(getattr(settings, "REDIS_URL", "") or "")
    values.append(redis.password or "")
    return [v for v in values if v and len(v) >= 4]


def describe_error(exc: BaseException) -> str:
    message = f"{type(exc).__name__}: {exc}"
    for secret in _secrets():
        message = message.replace(secret, "[hidden]")
    return message[:1000]


def _unstore(export: Export):
    """Delete what this build may have stored before it failed (its export was never marked done, so the package
    was never handed out); a store that cannot be reached now is logged, and the next build replaces it."""
    try:
        delete_package(f"{package_name(export)}.zip")
    except Exception:  # noqa: BLE001 - the failure being recorded matters more than this clean-up
        log.warning("Could not delete the stored package of failed export %s", export.pk, exc_info=True)


def _failed(export: Export, exc: BaseException, staging: Path) -> bool:
    """Record why the build failed. True when the export goes back to the queue (a transient error with attempts
    left); False when it failed, for good once a transient error has used up its attempts."""
    message = describe_error(exc)
    transient = is_transient(exc)
    retry = transient and attempts_left(export)
    log.warning("Export %s %s: %s", export.pk, "interrupted, will be retried" if retry else "failed", message)
    shutil.rmtree(staging, ignore_errors=True)
    _unstore(export)
    try:
        if transient and not retry:
            give_up_export(export_id=export.pk, last_error=f"failed with {message}")
            return False
        with transaction.atomic():
            if transient:
                # Back in the queue: the task's retry (or the sweeper) builds it again from the start.
                Export.objects.filter(pk=export.pk).update(
                    status=Export.Status.QUEUED,
                    phase="",
                    heartbeat_at=None,
                    error=f"Interrupted; will be retried ({message})",
                )
            else:
                Export.objects.filter(pk=export.pk).update(
                    status=Export.Status.FAILED, phase="", error=message, finished_at=timezone.now()
                )
                Redaction.objects.filter(export=export).delete()
            record_event("system", "export.failed", export, details={"error": message, "will_retry": transient})
    except (OperationalError, InterfaceError):
        log.exception("Could not record the failure of export %s", export.pk)
    return retry
