"""The records custodian's review of the media in a public release (385.7), before its package is built.

A public release whose records carry photos, videos or documents waits (status "review") until the custodian
has looked at each file and decided: release it as published, withhold it under a cited exemption, or release
a redacted version they made (faces, plates and screens masked) in its place. Text redaction cannot see into a
picture, so nothing is released by default: a file left without a decision is withheld and listed in the
redaction log as not reviewed. E-discovery and transfers carry every file whole and are never reviewed here.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from core.errors import InvalidInput, InvalidTransition
from core.history import full_clean
from core.queueing import enqueue_on_commit
from posts.services import sniff

from ..models import Export, MediaBlob, MediaDecision, Record
from ..permissions import require_records_custodian
from .services import _tasks, export_records_queryset


@dataclass
class MediaForReview:
    """One media file of an export: the file, the records that carry it (with the names and descriptions they
    give it) and the custodian's decision, if any."""

    blob: MediaBlob
    record_ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    alt_texts: list[str] = field(default_factory=list)
    decision: MediaDecision | None = None

    @property
    def is_image(self) -> bool:
        return self.blob.content_type.startswith("image/")


def export_media(export: Export) -> list[MediaForReview]:
    """Every media file of the export's records, in the order of the first record carrying it: four queries
    whatever the number of files."""
    links = (
        Record.media.through.objects.filter(record_id__in=export_records_queryset(export).values("pk"))
        .order_by("record_id", "mediablob_id")
        .values_list("record_id", "mediablob_id")
    )
    by_sha: dict[str, list[int]] = defaultdict(list)
    for record_id, sha in links:
        by_sha[sha].append(record_id)
    if not by_sha:
        return []
    blobs = MediaBlob.objects.in_bulk(list(by_sha))
    decisions = {d.blob_id: d for d in export.media_decisions.select_related("decided_by")}
    described = defaultdict(list)
    carrying = Record.objects.filter(pk__in=links.values("record_id"))
    for media in carrying.values_list("content__media", flat=True):
        for about in media or ():
            if isinstance(about, dict) and about.get("sha256") in by_sha:
                described[about["sha256"]].append(about)
    found = []
    for sha, ids in by_sha.items():
        if sha not in blobs:
            continue
        about = described.get(sha, [])
        found.append(
            MediaForReview(
                blob=blobs[sha],
                record_ids=ids,
                names=sorted({a.get("name") for a in about if a.get("name")}),
                alt_texts=sorted({a.get("alt_text") for a in about if a.get("alt_text")}),
                decision=decisions.get(sha),
            )
        )
    return found


def media_of_export(export: Export, sha256: str) -> MediaBlob | None:
    """The media file `sha256` when one of the export's records carries it; None otherwise."""
    return MediaBlob.objects.filter(pk=sha256, records__in=export_records_queryset(export).values("pk")).first()


def _locked_for_review(export: Export) -> Export:
    locked = Export.objects.select_for_update().get(pk=export.pk)
    if locked.purpose != Export.Purpose.PUBLIC_RELEASE:
        raise InvalidTransition(
            "Only a public release has its media reviewed; e-discovery and transfers carry every file whole.",
            code="not_public",
            field="purpose",
        )
    if locked.status != Export.Status.REVIEW:
        raise InvalidTransition(
            f"Export #{locked.pk} is no longer waiting for media review ({locked.get_status_display()}); "
            "its media decisions are final.",
            code="not_in_review",
            field="status",
        )
    return locked


def _checked_upload(uploaded, original: MediaBlob) -> tuple[str, str]:
    """(content type, SHA-256) of the redacted version, checked by its content like any upload."""
    if uploaded.size > settings.ATTACHMENT_MAX_BYTES:
        limit = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise InvalidInput(f"“{uploaded.name}” is larger than the {limit} MB limit.", field="redacted_file")
    try:
        _kind, content_type = sniff(uploaded)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="redacted_file") from exc
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    sha = digest.hexdigest()
    if sha == original.sha256:
        raise InvalidInput(
            f"“{uploaded.name}” is the original file unchanged; upload the version with the redactions made.",
            field="redacted_file",
        )
    return content_type, sha


@transaction.atomic
def decide_media(
    *,
    actor,
    export: Export,
    blob: MediaBlob | str,
    decision: str,
    reason: str = "",
    exemption: str = "",
    redacted_file=None,
) -> MediaDecision:
    """Decide what the public release does with one of its media files: `release` it as published, `withhold`
    it (`reason` and `exemption` required), or release the `redacted` version uploaded as `redacted_file`
    (checked by its content; `reason` says what was masked, `exemption` allows it). A decision may be changed
    until the package is queued (`finish_media_review`)."""
    require_records_custodian(actor, "decides which media a public release carries")
    export = _locked_for_review(export)
    sha = getattr(blob, "pk", blob)
    original = media_of_export(export, str(sha or ""))
    if original is None:
        raise InvalidInput(f"“{sha}” is not a media file of export #{export.pk}.", field="blob")
    if decision not in MediaDecision.Decision.values:
        raise InvalidInput(
            "Choose what to do with the file: release it, withhold it or release a redacted version.",
            field="decision",
        )
    reason, exemption = (reason or "").strip(), (exemption or "").strip()
    D = MediaDecision.Decision
    if decision == D.RELEASE:
        if redacted_file:
            raise InvalidInput(
                "A released file goes as published; to send the file you uploaded, choose to release a redacted "
                "version.",
                field="redacted_file",
            )
        reason = exemption = ""
    else:
        if decision == D.REDACTED and not redacted_file:
            raise InvalidInput("Upload the redacted version of the file.", field="redacted_file")
        if decision == D.WITHHOLD and redacted_file:
            raise InvalidInput(
                "A withheld file goes without a replacement; to send the file you uploaded, choose to release a "
                "redacted version.",
                field="redacted_file",
            )
        if not reason:
            what = "what was masked in the redacted version" if decision == D.REDACTED else "why the file is withheld"
            raise InvalidInput(f"Say {what}; it is listed in the redaction log.", field="reason")
        if not exemption:
            raise InvalidInput(
                "Cite the exemption that allows withholding it (e.g. Cal. Gov. Code § 7922.000).", field="exemption"
            )
    previous = MediaDecision.objects.filter(export=export, blob=original).first()
    changed_from = previous.decision if previous else None
    replaced_file = previous.redacted_file.name if previous and previous.redacted_file else ""
    made = previous or MediaDecision(export=export, blob=original)
    made.decision, made.reason, made.exemption = decision, reason[:300], exemption[:300]
    made.decided_by, made.decided_at = actor, timezone.now()
    made.redacted_file, made.redacted_sha256, made.redacted_content_type = "", "", ""
    made.redacted_size, made.redacted_name = 0, ""
    written = ""
    if decision == D.REDACTED:
        content_type, digest = _checked_upload(redacted_file, original)
        made.redacted_sha256, made.redacted_content_type = digest, content_type
        made.redacted_size, made.redacted_name = redacted_file.size, redacted_file.name[:255]
        made.redacted_file.save(f"{export.pk}/{digest}", redacted_file, save=False)
        written = made.redacted_file.name
    storage = MediaDecision._meta.get_field("redacted_file").storage
    try:
        full_clean(made)
        made.save()
        record_event(
            actor,
            "export.media_decided",
            export,
            details={
                "sha256": original.sha256,
                "decision": decision,
                "reason": made.reason,
                "exemption": made.exemption,
                "redacted_sha256": made.redacted_sha256 or None,
                "changed_from": changed_from,
            },
        )
    except BaseException:
        if written:
            storage.delete(written)  # a decision that is not saved leaves no file behind
        raise
    if replaced_file and replaced_file != written:
        transaction.on_commit(lambda: storage.delete(replaced_file))
    return made


@transaction.atomic
def finish_media_review(*, actor, export: Export, enqueue: bool = True) -> Export:
    """End the custodian's review and queue the package to be built. Files still without a decision are
    withheld as not reviewed; the audit trail and the redaction log say how many. `enqueue=False` leaves the
    build to the caller (the management command builds in-process)."""
    require_records_custodian(actor, "builds the package of a public release")
    export = _locked_for_review(export)
    media = export_media(export)
    counts = {value: 0 for value in MediaDecision.Decision.values}
    not_reviewed = 0
    for item in media:
        if item.decision is None:
            not_reviewed += 1
        else:
            counts[item.decision.decision] += 1
    export.status = Export.Status.QUEUED
    export.save(update_fields=["status"])
    record_event(
        actor,
        "export.media_reviewed",
        export,
        details={
            "media_files": len(media),
            "released": counts[MediaDecision.Decision.RELEASE],
            "withheld": counts[MediaDecision.Decision.WITHHOLD],
            "redacted": counts[MediaDecision.Decision.REDACTED],
            "not_reviewed": not_reviewed,
        },
    )
    if enqueue:
        enqueue_on_commit(_tasks().build_export_task, export.pk)
    return export
