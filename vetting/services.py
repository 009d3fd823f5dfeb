"""Every change to background vetting (385.5.4(d)) is one service here: permission first, atomic, audited.

Audit events name candidates by applicant number and processes by number, never what was found: the audit trail
is read by people who must not learn a candidate's protected characteristics from it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from core import storage as stores
from core.audit import record_event
from core.errors import InvalidInput, InvalidTransition, PermissionRefused, PolicyViolation
from core.notifications import notify
from members.models import MemberProfile

from . import permissions
from .models import (
    SECTION,
    Candidate,
    ChecklistStep,
    Finding,
    HiringProcess,
    PersonnelSeries,
    ProcessMember,
    ProtectedFlag,
    ReleasedReport,
    SearcherDesignation,
    SearchSession,
    StepResult,
)
from .protected_classes import CATEGORIES, flag_protected

log = logging.getLogger(__name__)
Part = ProcessMember.Part
Decision = ProtectedFlag.Decision
Review = ProtectedFlag.Review
V = Finding.Validation

DEFAULT_SERIES = "PER-BG"
# A search session is one sitting: after this long the searcher attests again before searching on.
SESSION_LENGTH = timedelta(hours=4)
MAX_CAPTURE_BYTES = 20 * 1024 * 1024
CAPTURE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/html", "text/plain"}
REDACTION = "[redacted under 385.5.4(d)]"

# The lawful-methods checklist each searcher attests before each search session, word for word.
ATTESTATION = (
    ("public_only", "I will look only at content the candidate has made public."),
    ("no_pretexting", "I will not use a pretext or misrepresent who I am or why I am asking."),
    (
        "no_false_identity",
        "I will not send friend or follow requests, or join groups, under a false identity or any identity.",
    ),
    ("no_passwords", "I will not ask the candidate or anyone else for passwords or other access to private content."),
    ("same_steps", "I will follow this process's checklist, the same for every candidate."),
)


def _digest(text: str) -> str:
    """What the audit trail keeps of a searcher's words about a finding: proof of them, not the words. The trail is
    read by people who must not learn from it what a candidate's protected characteristics are; the words stay in
    the vetting file, where the fingerprint can be checked against them."""
    return hashlib.sha256(text.encode()).hexdigest() if text else ""


def _text(value, field: str, *, required: bool = True, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"{field.replace('_', ' ').capitalize()} is required.", field=field)
    if max_length and len(text) > max_length:
        raise InvalidInput(f"{field.replace('_', ' ').capitalize()} is at most {max_length} characters.", field=field)
    return text


# Designation ------------------------------------------------------------------------------------------------


@transaction.atomic
def designate_searcher(*, actor, member, valid_until: date, reason: str) -> SearcherDesignation:
    """The Chief (or designee) designates a member as an online-vetting searcher, a sensitive position."""
    if not permissions.can_designate_searchers(actor):
        raise PermissionRefused(
            "Only the Chief of Police or the authorized designee designates vetting searchers.", section=SECTION
        )
    if member is None or not member.is_active:
        raise InvalidInput("Choose an active member to designate.", field="member")
    reason = _text(reason, "reason", max_length=2000)
    today = timezone.localdate()
    if valid_until is None:
        raise InvalidInput("Give the last day of the designation.", field="valid_until")
    if valid_until < today:
        raise InvalidInput("The designation would end before today.", field="valid_until")
    if valid_until > today + timedelta(days=3 * 366):
        raise InvalidInput("A designation lasts at most three years; designate again after that.", field="valid_until")
    # The separation of searcher from decision maker is per process: it is checked when a searcher is assigned.
    list(SearcherDesignation.objects.select_for_update().filter(member=member, revoked_at__isnull=True))
    if SearcherDesignation.objects.filter(member=member, revoked_at__isnull=True, valid_until__gte=today).exists():
        raise InvalidInput("This member is already designated; revoke that designation first.", field="member")
    # An expired, unrevoked designation is closed so the member holds one designation at a time.
    SearcherDesignation.objects.filter(member=member, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor, revoke_reason="Expired; designated again."
    )
    designation = SearcherDesignation(member=member, valid_until=valid_until, reason=reason, designated_by=actor)
    designation.full_clean()
    designation.save()
    _sync_sensitive_position(member)
    record_event(
        actor,
        "vetting.searcher_designated",
        designation,
        details={"member": member.get_username(), "until": str(valid_until), "reason": reason},
    )
    notify(
        [member],
        event="vetting.designated",
        subject="You are designated an online-vetting searcher",
        body=f"You may search candidates' public online content in the hiring processes you are assigned to, "
        f"until {valid_until:%Y-%m-%d} (385.5.4(d)).",
        url="/vetting/",
    )
    return designation


@transaction.atomic
def revoke_designation(*, actor, designation: SearcherDesignation, reason: str) -> SearcherDesignation:
    if not permissions.can_designate_searchers(actor):
        raise PermissionRefused(
            "Only the Chief of Police or the authorized designee revokes a searcher designation.", section=SECTION
        )
    reason = _text(reason, "reason", max_length=2000)
    designation = SearcherDesignation.objects.select_for_update().get(pk=designation.pk)
    if designation.revoked_at is not None:
        raise InvalidTransition("This designation is already revoked.", field="designation")
    designation.revoked_at, designation.revoked_by, designation.revoke_reason = timezone.now(), actor, reason
    designation.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    _sync_sensitive_position(designation.member)
    record_event(
        actor,
        "vetting.designation_revoked",
        designation,
        details={"member": designation.member.get_username(), "reason": reason},
    )
    return designation


def end_expired_designations(*, today: date | None = None) -> int:
    """Daily: a designation that ran out ends the sensitive position on the member's profile too. Idempotent."""
    today = today or timezone.localdate()
    active = SearcherDesignation.objects.active(today).values("member")
    lapsed = MemberProfile.objects.filter(sensitive_position=True, user__vetting_designations__isnull=False).exclude(
        user__in=active
    )
    count = 0
    for profile in lapsed.select_related("user").distinct():
        with transaction.atomic():
            MemberProfile.objects.filter(pk=profile.pk).update(sensitive_position=False)
            record_event("system", "vetting.designation_lapsed", profile.user, details={"on": str(today)})
        count += 1
    return count


def _sync_sensitive_position(member) -> None:
    held = SearcherDesignation.objects.active().filter(member=member).exists()
    MemberProfile.objects.filter(user=member).exclude(sensitive_position=held).update(sensitive_position=held)
    for attr in ("_vetting_designated", "_vetting_reach"):
        member.__dict__.pop(attr, None)


# Hiring processes -------------------------------------------------------------------------------------------


def default_series() -> PersonnelSeries:
    """The personnel series vetting files are kept under (made by migration; made again if a database lost it)."""
    series, _created = PersonnelSeries.objects.get_or_create(
        code=DEFAULT_SERIES,
        defaults={
            "title": "Pre-employment background investigations: candidates' online content",
            "retention_years": 4,
            "authority": "Cal. Gov. Code § 12946: applicant and personnel records kept four years",
        },
    )
    return series


def _require_hr(actor, what: str) -> None:
    if not permissions.can_manage_processes(actor):
        raise PermissionRefused(f"Only Human Resources {what}.", section=SECTION)


@dataclass(frozen=True)
class StepSpec:
    platform: str
    query: str
    period: str


@transaction.atomic
def open_process(
    *,
    actor,
    position: str,
    opens_on: date,
    closes_on: date,
    decision_makers=(),
    steps: list[StepSpec] = (),
) -> HiringProcess:
    """Human Resources opens a hiring process with its decision makers and its checklist."""
    _require_hr(actor, "opens a hiring process")
    position = _text(position, "position", max_length=200)
    if opens_on is None:
        raise InvalidInput("Give the day the process opens.", field="opens_on")
    if closes_on is None:
        raise InvalidInput("Give the day the process closes.", field="closes_on")
    if closes_on < opens_on:
        raise InvalidInput("The process closes before it opens.", field="closes_on")
    series = default_series()
    process = HiringProcess(position=position, opens_on=opens_on, closes_on=closes_on, series=series, opened_by=actor)
    process.full_clean()
    process.save()
    record_event(
        actor,
        "vetting.process_opened",
        process,
        details={"position": position, "from": str(opens_on), "to": str(closes_on)},
    )
    for member in decision_makers:
        add_participant(actor=actor, process=process, member=member, part=Part.DECISION_MAKER)
    for spec in steps:
        add_step(actor=actor, process=process, platform=spec.platform, query=spec.query, period=spec.period)
    return process


def _locked_open(process: HiringProcess) -> HiringProcess:
    process = HiringProcess.objects.select_for_update().get(pk=process.pk)
    if process.status != HiringProcess.Status.OPEN:
        raise InvalidTransition("This hiring process is closed.", field="process")
    return process


@transaction.atomic
def add_participant(*, actor, process: HiringProcess, member, part: str) -> ProcessMember:
    """Name a decision maker or assign a searcher. One part per member per process: 385.5.4(d) has searches
    conducted by a non-decision maker, so a decision maker is never the searcher, nor the reverse."""
    _require_hr(actor, "names the people of a hiring process")
    process = _locked_open(process)
    if part not in Part.values:
        raise InvalidInput("Choose decision maker or searcher.", field="part")
    if member is None or not member.is_active:
        raise InvalidInput("Choose an active member.", field="member")
    existing = ProcessMember.objects.filter(process=process, member=member).first()
    if existing is not None:
        if existing.part == part:
            raise InvalidInput(
                f"{member.get_username()} is already a {existing.get_part_display().lower()} here.", field="member"
            )
        raise PolicyViolation(
            SECTION,
            f"{member.get_username()} is a {existing.get_part_display().lower()} in this process: searches are "
            "conducted by a non-decision maker, so one member cannot be both.",
            field="member",
        )
    if part == Part.SEARCHER and not SearcherDesignation.objects.active().filter(member=member).exists():
        raise PolicyViolation(
            SECTION,
            f"{member.get_username()} holds no searcher designation: only members designated by the Chief to a "
            "sensitive position search candidates' online content.",
            field="member",
        )
    participant = ProcessMember(process=process, member=member, part=part, added_by=actor)
    participant.full_clean()
    participant.save()
    assign_perm(permissions.SEARCH if part == Part.SEARCHER else permissions.SEE_RELEASED, member, process)
    member.__dict__.pop("_vetting_reach", None)
    record_event(actor, f"vetting.{part}_added", process, details={"member": member.get_username()})
    return participant


@transaction.atomic
def add_step(*, actor, process: HiringProcess, platform: str, query: str, period: str) -> ChecklistStep:
    _require_hr(actor, "sets a process's checklist")
    process = _locked_open(process)
    _require_unfrozen(process)
    platform = _text(platform, "platform", max_length=120)
    query = _text(query, "query", max_length=500)
    period = _text(period, "period", max_length=120)
    number = (process.steps.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    step = ChecklistStep(process=process, number=number, platform=platform, query=query, period=period)
    step.full_clean()
    step.save()
    record_event(actor, "vetting.step_added", process, details={"step": number, "platform": platform, "period": period})
    return step


@transaction.atomic
def remove_step(*, actor, step: ChecklistStep) -> None:
    _require_hr(actor, "sets a process's checklist")
    process = _locked_open(step.process)
    _require_unfrozen(process)
    number = step.number
    step.delete()
    record_event(actor, "vetting.step_removed", process, details={"step": number})


def _require_unfrozen(process: HiringProcess) -> None:
    if process.checklist_frozen:
        raise PolicyViolation(
            SECTION,
            "The checklist is frozen: a candidate has been searched, and every candidate gets the same steps.",
            field="checklist",
        )


@transaction.atomic
def add_candidate(*, actor, process: HiringProcess, name: str, applicant_number: str) -> Candidate:
    _require_hr(actor, "adds candidates to a hiring process")
    process = _locked_open(process)
    name = _text(name, "name", max_length=200)
    applicant_number = _text(applicant_number, "applicant_number", max_length=40)
    if process.candidates.filter(applicant_number=applicant_number).exists():
        raise InvalidInput(
            "A candidate with this applicant number is already in the process.", field="applicant_number"
        )
    candidate = Candidate(process=process, name=name, applicant_number=applicant_number, added_by=actor)
    candidate.full_clean()
    candidate.save()
    record_event(actor, "vetting.candidate_added", candidate)
    return candidate


@transaction.atomic
def close_process(*, actor, process: HiringProcess) -> HiringProcess:
    """Close the process: every candidate's file is kept under the personnel series from today."""
    _require_hr(actor, "closes a hiring process")
    process = _locked_open(process)
    now = timezone.now()
    keep_until = _years_after(timezone.localdate(), process.series.retention_years)
    process.status, process.closed_at = HiringProcess.Status.CLOSED, now
    process.save(update_fields=["status", "closed_at"])
    process.candidates.update(retain_until=keep_until)
    record_event(
        actor,
        "vetting.process_closed",
        process,
        details={"series": process.series.code, "retain_until": str(keep_until)},
    )
    return process


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# Searching --------------------------------------------------------------------------------------------------


def _require_searcher(actor, process: HiringProcess, what: str) -> None:
    if not permissions.is_designated_searcher(actor):
        raise PolicyViolation(
            SECTION,
            f"Only a designated searcher (a sensitive position) {what}.",
        )
    if not permissions.can_search(actor, process):
        raise PermissionRefused(f"Only a searcher assigned to this hiring process {what}.", section=SECTION)


def current_session(actor, candidate: Candidate) -> SearchSession | None:
    return (
        SearchSession.objects.filter(
            candidate=candidate, searcher=actor, started_at__gte=timezone.now() - SESSION_LENGTH
        )
        .order_by("-started_at")
        .first()
    )


@transaction.atomic
def start_session(*, actor, candidate: Candidate, attested: set[str] | list[str]) -> SearchSession:
    """The searcher attests the lawful-methods checklist, which opens a search session on one candidate. The first
    session in a process freezes its checklist."""
    process = _locked_open(candidate.process)
    _require_searcher(actor, process, "searches candidates")
    if candidate.status != Candidate.Status.SEARCHING:
        raise InvalidTransition("This candidate's report is released; the search is over.", field="candidate")
    missing = [text for key, text in ATTESTATION if key not in set(attested or ())]
    if missing:
        raise PolicyViolation(
            SECTION, "Attest every lawful-methods statement before searching: " + " ".join(missing), field="attested"
        )
    if not process.steps.exists():
        raise InvalidTransition("This process has no checklist yet: Human Resources sets it first.", field="checklist")
    session = SearchSession.objects.create(
        candidate=candidate, searcher=actor, attestation={key: text for key, text in ATTESTATION}
    )
    if process.checklist_frozen_at is None:
        process.checklist_frozen_at = session.started_at
        process.save(update_fields=["checklist_frozen_at"])
        record_event(actor, "vetting.checklist_frozen", process, details={"steps": process.steps.count()})
    record_event(
        actor, "vetting.session_started", candidate, details={"session": session.pk, "attested": sorted(attested)}
    )
    return session


def _require_session(actor, candidate: Candidate) -> SearchSession:
    session = current_session(actor, candidate)
    if session is None:
        raise PolicyViolation(
            SECTION, "Attest the lawful-methods checklist to start a search session first.", field="session"
        )
    return session


def _locked_searching(candidate: Candidate) -> Candidate:
    candidate = Candidate.objects.select_for_update().select_related("process").get(pk=candidate.pk)
    if candidate.status != Candidate.Status.SEARCHING:
        raise InvalidTransition("This candidate's report is released; nothing more is added.", field="candidate")
    if candidate.process.status != HiringProcess.Status.OPEN:
        raise InvalidTransition("This hiring process is closed.", field="process")
    return candidate


@transaction.atomic
def record_step(*, actor, candidate: Candidate, step: ChecklistStep, outcome: str, reason: str = "") -> StepResult:
    candidate = _locked_searching(candidate)
    _require_searcher(actor, candidate.process, "works the checklist")
    session = _require_session(actor, candidate)
    if step.process_id != candidate.process_id:
        raise InvalidInput("This step is not on this process's checklist.", field="step")
    if outcome not in StepResult.Outcome.values:
        raise InvalidInput("Choose done or not applicable.", field="outcome")
    reason = _text(reason, "reason", required=outcome == StepResult.Outcome.NOT_APPLICABLE, max_length=2000)
    result, created = StepResult.objects.update_or_create(
        candidate=candidate,
        step=step,
        defaults={
            "session": session,
            "outcome": outcome,
            "reason": reason,
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    record_event(
        actor,
        "vetting.step_recorded",
        candidate,
        details={"step": step.number, "outcome": outcome, "reason_sha256": _digest(reason), "changed": not created},
    )
    return result


def _store_capture(candidate: Candidate, upload) -> tuple[str, str, str, int]:
    size = getattr(upload, "size", None) or 0
    if size > MAX_CAPTURE_BYTES:
        raise InvalidInput("A capture is at most 20 MB.", field="capture")
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    data = upload.read()
    content_type = _sniff(data) or content_type
    if content_type not in CAPTURE_TYPES:
        raise InvalidInput("A capture is a screenshot (PNG, JPEG, GIF, WebP), a PDF, or a saved page.", field="capture")
    digest = hashlib.sha256(data).hexdigest()
    name = f"vetting/captures/{candidate.process_id}/{candidate.pk}/{digest}"
    try:
        stores.write_once(stores.records_store(), name, data, content_type=content_type)
    except FileExistsError:
        pass  # the same capture again: the bytes under this name are these bytes
    return name, digest, content_type, len(data)


def _sniff(data: bytes) -> str:
    head = data[:16]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return ""


@transaction.atomic
def record_finding(
    *,
    actor,
    candidate: Candidate,
    step: ChecklistStep,
    source_url: str,
    seen_on: date,
    content: str,
    note: str = "",
    capture=None,
) -> Finding:
    """A finding with its source, the date it was seen, what it says, and a capture. The protected-class filter
    runs on it at once; a capture is always reviewed by hand as well."""
    candidate = _locked_searching(candidate)
    _require_searcher(actor, candidate.process, "records findings")
    session = _require_session(actor, candidate)
    if step is None or step.process_id != candidate.process_id:
        raise InvalidInput("Choose a step of this process's checklist.", field="step")
    source_url = _text(source_url, "source_url", max_length=1000)
    try:
        URLValidator(schemes=["http", "https"])(source_url)
    except ValidationError:
        raise InvalidInput(
            "The source URL is a web address starting with https:// or http://.", field="source_url"
        ) from None
    if seen_on is None:
        raise InvalidInput("Give the date the content was seen.", field="seen_on")
    if seen_on > timezone.localdate():
        raise InvalidInput("The date seen is in the future.", field="seen_on")
    content = _text(content, "content", max_length=20000)
    note = _text(note, "note", required=False, max_length=20000)
    finding = Finding(
        candidate=candidate,
        step=step,
        session=session,
        source_url=source_url,
        seen_on=seen_on,
        content=content,
        note=note,
        recorded_by=actor,
    )
    if capture is not None:
        finding.capture_name, finding.capture_sha256, finding.capture_type, finding.capture_size = _store_capture(
            candidate, capture
        )
    finding.full_clean()
    finding.save()
    flags = screen_finding(finding)
    record_event(
        actor,
        "vetting.finding_recorded",
        finding,
        details={
            "candidate": candidate.applicant_number,
            "step": step.number,
            "capture_sha256": finding.capture_sha256,
            "flags": len(flags),
        },
    )
    return finding


def screen_finding(finding: Finding) -> list[ProtectedFlag]:
    """Run the protected-class filter over every text a decision maker could read, and ask for a hand review of
    the capture. Flags already decided are kept."""
    flags = []
    # The address too: a group's or a page's name in it can say as much as the text.
    for field in (ProtectedFlag.Field.SOURCE, ProtectedFlag.Field.CONTENT, ProtectedFlag.Field.NOTE):
        text = getattr(finding, field)
        for flag in flag_protected(text):
            flags.append(
                ProtectedFlag(
                    finding=finding,
                    field=field,
                    category=flag.category,
                    start=flag.start,
                    end=flag.end,
                    excerpt=flag.excerpt,
                )
            )
    if finding.has_capture:
        flags.append(ProtectedFlag(finding=finding, field=ProtectedFlag.Field.CAPTURE, category="image"))
    ProtectedFlag.objects.bulk_create(flags)
    finding.screened_at = timezone.now()
    finding.save(update_fields=["screened_at"])
    return flags


@transaction.atomic
def decide_flag(*, actor, flag: ProtectedFlag, decision: str, reason: str) -> ProtectedFlag:
    """Redact the passage, exclude the finding, or say it is not protected information (which a second designated
    searcher then reviews)."""
    flag = ProtectedFlag.objects.select_for_update().select_related("finding__candidate__process").get(pk=flag.pk)
    candidate = _locked_searching(flag.finding.candidate)
    _require_searcher(actor, candidate.process, "decides on protected-class flags")
    if decision not in {Decision.REDACTED, Decision.EXCLUDED, Decision.NOT_PROTECTED}:
        raise InvalidInput("Choose redact, exclude the finding, or not protected.", field="decision")
    reason = _text(reason, "reason", max_length=2000)
    before = flag.decision
    flag.decision, flag.reason, flag.decided_by, flag.decided_at = decision, reason, actor, timezone.now()
    flag.review = Review.WAITING if decision == Decision.NOT_PROTECTED else Review.NONE
    flag.reviewed_by, flag.reviewed_at, flag.review_note = None, None, ""
    flag.full_clean()
    flag.save()
    finding = flag.finding
    excluded = finding.flags.filter(decision=Decision.EXCLUDED).exists()
    if finding.excluded != excluded:
        finding.excluded = excluded
        finding.save(update_fields=["excluded"])
    record_event(
        actor,
        "vetting.flag_decided",
        flag,
        details={"finding": finding.pk, "decision": decision, "before": before, "reason_sha256": _digest(reason)},
    )
    if decision == Decision.NOT_PROTECTED:
        others = [
            p.member
            for p in candidate.process.participants.filter(part=Part.SEARCHER)
            .exclude(member=actor)
            .select_related("member")
        ]
        notify(
            others,
            event="vetting.review_wanted",
            subject="A protected-class flag needs a second searcher",
            body="A searcher marked a flagged passage as not protected information; a second designated searcher "
            "reviews that before the report can be released (385.5.4(d)).",
            url=f"/vetting/candidates/{candidate.pk}/",
        )
    return flag


@transaction.atomic
def redact_by_hand(*, actor, finding: Finding, field: str, passage: str, category: str, reason: str) -> list:
    """Redact a passage the filter did not flag: every place it appears in that part of the finding."""
    finding = Finding.objects.select_for_update().select_related("candidate__process").get(pk=finding.pk)
    _locked_searching(finding.candidate)
    _require_searcher(actor, finding.candidate.process, "redacts findings")
    if field not in {ProtectedFlag.Field.SOURCE, ProtectedFlag.Field.CONTENT, ProtectedFlag.Field.NOTE}:
        raise InvalidInput("Choose the source URL, what was found, or the note.", field="field")
    if category not in CATEGORIES:
        raise InvalidInput("Choose the protected characteristic the passage reveals.", field="category")
    passage = passage or ""
    if not passage.strip():
        raise InvalidInput("Copy the passage to redact, exactly as it appears.", field="passage")
    reason = _text(reason, "reason", max_length=2000)
    text = getattr(finding, field)
    starts, at = [], text.find(passage)
    while at != -1:
        starts.append(at)
        at = text.find(passage, at + len(passage))
    if not starts:
        raise InvalidInput("That passage does not appear there: copy it exactly as it appears.", field="passage")
    now = timezone.now()
    flags = ProtectedFlag.objects.bulk_create(
        ProtectedFlag(
            finding=finding,
            field=field,
            category=category,
            start=start,
            end=start + len(passage),
            excerpt=passage,
            decision=Decision.REDACTED,
            reason=reason,
            decided_by=actor,
            decided_at=now,
        )
        for start in starts
    )
    record_event(
        actor,
        "vetting.redacted_by_hand",
        finding,
        details={"field": field, "places": len(starts), "reason_sha256": _digest(reason)},
    )
    return flags


@transaction.atomic
def review_flag(*, actor, flag: ProtectedFlag, agree: bool, note: str = "") -> ProtectedFlag:
    """A second designated searcher reviews a "not protected" decision: agreeing settles it, disagreeing sends it
    back to be decided again."""
    flag = ProtectedFlag.objects.select_for_update().select_related("finding__candidate__process").get(pk=flag.pk)
    candidate = _locked_searching(flag.finding.candidate)
    _require_searcher(actor, candidate.process, "reviews protected-class decisions")
    if flag.decision != Decision.NOT_PROTECTED or flag.review != Review.WAITING:
        raise InvalidTransition("This flag is not waiting for a second searcher.", field="flag")
    if flag.decided_by_id == actor.pk:
        raise PolicyViolation(
            SECTION, "A second designated searcher reviews this decision, not the searcher who made it.", field="flag"
        )
    note = _text(note, "note", required=not agree, max_length=2000)
    if agree:
        flag.review, flag.reviewed_by, flag.reviewed_at, flag.review_note = Review.AGREED, actor, timezone.now(), note
    else:
        flag.decision, flag.review, flag.review_note = Decision.PENDING, Review.NONE, note
        flag.reason, flag.decided_by, flag.decided_at = "", None, None
        flag.reviewed_by, flag.reviewed_at = actor, timezone.now()
    flag.full_clean()
    flag.save()
    record_event(
        actor,
        "vetting.flag_reviewed",
        flag,
        details={"finding": flag.finding_id, "agreed": agree, "note_sha256": _digest(note)},
    )
    return flag


@transaction.atomic
def validate_finding(*, actor, finding: Finding, validated: bool, method: str = "", note: str = "") -> Finding:
    """385.5.4(d): every effort is made to validate what is considered. A validated finding says how."""
    finding = Finding.objects.select_for_update().select_related("candidate__process").get(pk=finding.pk)
    _locked_searching(finding.candidate)
    _require_searcher(actor, finding.candidate.process, "validates findings")
    note = _text(note, "validation_note", required=not validated, max_length=2000)
    if validated:
        if method not in Finding.Method.values:
            raise InvalidInput(
                "Say how it was validated: a second source, the candidate's response, or an official record.",
                field="validation_method",
            )
        finding.validation, finding.validation_method = V.VALIDATED, method
        finding.validated_by, finding.validated_at = actor, timezone.now()
    else:
        finding.validation, finding.validation_method = V.NOT_VALIDATED, ""
        finding.validated_by, finding.validated_at = actor, timezone.now()
    finding.validation_note = note
    finding.full_clean()
    finding.save()
    record_event(
        actor,
        "vetting.finding_validated" if validated else "vetting.finding_not_validated",
        finding,
        details={"method": finding.validation_method},
    )
    return finding


# Release ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseCheck:
    problems: list[str]
    released: list[Finding]
    withheld_unvalidated: int
    withheld_excluded: int

    @property
    def ready(self) -> bool:
        return not self.problems


def release_check(candidate: Candidate) -> ReleaseCheck:
    """What stands between this candidate's file and its release, and what the report would hold."""
    problems = []
    steps = list(candidate.process.steps.all())
    worked = set(candidate.step_results.values_list("step_id", flat=True))
    missing = [s.number for s in steps if s.pk not in worked]
    if missing:
        problems.append(f"Checklist steps not worked yet: {', '.join(map(str, missing))}.")
    findings = list(candidate.findings.prefetch_related("flags").select_related("step"))
    unscreened = [f.pk for f in findings if f.screened_at is None]
    if unscreened:
        problems.append(f"{len(unscreened)} finding(s) have not been through the protected-class filter.")
    pending = sum(1 for f in findings for flag in f.flags.all() if flag.decision == Decision.PENDING)
    waiting = sum(
        1
        for f in findings
        for flag in f.flags.all()
        if flag.decision == Decision.NOT_PROTECTED and flag.review != Review.AGREED
    )
    if pending:
        problems.append(f"{pending} protected-class flag(s) to redact, exclude or mark not protected.")
    if waiting:
        problems.append(f"{waiting} 'not protected' decision(s) waiting for a second searcher.")
    released = [f for f in findings if f.validation == V.VALIDATED and not f.excluded]
    unvalidated = sum(1 for f in findings if f.validation != V.VALIDATED and not f.excluded)
    excluded = sum(1 for f in findings if f.excluded)
    return ReleaseCheck(problems, released, unvalidated, excluded)


def _redact(text: str, flags) -> str:
    spans = sorted((f.start, f.end) for f in flags if f.decision == Decision.REDACTED)
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], 0
    for start, end in merged:
        out.append(text[at:start])
        out.append(REDACTION)
        at = end
    out.append(text[at:])
    return "".join(out)


def report_body(candidate: Candidate, findings: list[Finding]) -> dict:
    """The released report: only what a decision maker may consider. No capture leaves the searcher's side."""
    _require_validated(findings)
    items = []
    for finding in findings:
        flags = list(finding.flags.all())
        by_field = {
            field: [f for f in flags if f.field == field]
            for field in (ProtectedFlag.Field.SOURCE, ProtectedFlag.Field.CONTENT, ProtectedFlag.Field.NOTE)
        }
        capture_flag = next((f for f in flags if f.field == ProtectedFlag.Field.CAPTURE), None)
        redactions = sum(1 for f in flags if f.decision == Decision.REDACTED)
        items.append(
            {
                "step": finding.step.number,
                "platform": finding.step.platform,
                "source_url": _redact(finding.source_url, by_field[ProtectedFlag.Field.SOURCE]),
                "seen_on": str(finding.seen_on),
                "content": _redact(finding.content, by_field[ProtectedFlag.Field.CONTENT]),
                "note": _redact(finding.note, by_field[ProtectedFlag.Field.NOTE]),
                "validated_by_method": finding.get_validation_method_display(),
                "capture": (
                    ""
                    if capture_flag is None
                    else "A capture is kept by the searchers and is not released."
                    if capture_flag.decision != Decision.REDACTED
                    else "A capture was withheld: it shows protected information."
                ),
                "redactions": redactions,
            }
        )
    return {
        "candidate": candidate.name,
        "applicant_number": candidate.applicant_number,
        "process": candidate.process_id,
        "position": candidate.process.position,
        "steps": [
            {"number": s.number, "platform": s.platform, "query": s.query, "period": s.period}
            for s in candidate.process.steps.all()
        ],
        "findings": items,
    }


@transaction.atomic
def release_report(*, actor, candidate: Candidate, read_by_hand: bool) -> ReleasedReport:
    """Release the candidate's report to the process's decision makers: validated, filtered findings only. The
    filter misses plain wording it has no words for, so the searcher also confirms having read every finding to be
    released for protected-class information, and redacted by hand what the filter did not flag."""
    candidate = _locked_searching(candidate)
    _require_searcher(actor, candidate.process, "releases reports")
    if not read_by_hand:
        raise PolicyViolation(
            SECTION,
            "Confirm you read every finding to be released for protected-class information the filter did not flag.",
            field="read_by_hand",
        )
    check = release_check(candidate)
    if not check.ready:
        raise PolicyViolation(
            SECTION, "The report cannot be released yet. " + " ".join(check.problems), field="release"
        )
    body = report_body(candidate, check.released)
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    report = ReleasedReport.objects.create(
        candidate=candidate, released_by=actor, body=body, sha256=hashlib.sha256(canonical).hexdigest()
    )
    candidate.status = Candidate.Status.RELEASED
    candidate.save(update_fields=["status"])
    record_event(
        actor,
        "vetting.report_released",
        candidate,
        details={
            "report": report.pk,
            "sha256": report.sha256,
            "findings_released": len(check.released),
            "withheld_unvalidated": check.withheld_unvalidated,
            "withheld_excluded": check.withheld_excluded,
        },
    )
    deciders = [
        p.member for p in candidate.process.participants.filter(part=Part.DECISION_MAKER).select_related("member")
    ]
    notify(
        deciders,
        event="vetting.report_released",
        subject=f"A vetting report is released: {candidate.process.position}",
        body="A candidate's online-content report is ready for you (385.5.4(d)).",
        url=f"/vetting/reports/{report.pk}/",
    )
    return report


def _require_validated(findings) -> None:
    """No unvalidated finding goes to a decision maker as a fact."""
    for finding in findings:
        if finding.validation != V.VALIDATED:
            raise PolicyViolation(
                SECTION,
                "An unvalidated finding cannot be released as fact: validate it or leave it out.",
                field="finding",
            )


@transaction.atomic
def view_report(*, actor, report: ReleasedReport) -> ReleasedReport:
    """A decision maker opens a released report; every view is audited."""
    process = report.candidate.process
    if not permissions.can_see_released(actor, process):
        raise PermissionRefused(
            "Released vetting reports are for this hiring process's decision makers only.", section=SECTION
        )
    record_event(actor, "vetting.report_viewed", report, details={"candidate": report.candidate.applicant_number})
    return report


@transaction.atomic
def open_capture(*, actor, finding: Finding):
    """A searcher of the process opens a raw capture (audited). Decision makers never do."""
    _require_searcher(actor, finding.candidate.process, "opens captures")
    if not finding.has_capture:
        raise InvalidInput("This finding has no capture.", field="capture")
    record_event(actor, "vetting.capture_viewed", finding, details={"sha256": finding.capture_sha256})
    return stores.records_store().open(finding.capture_name, "rb")


# Retention --------------------------------------------------------------------------------------------------


def destroy_expired_files(*, today: date | None = None) -> int:
    """Destroy the vetting files whose personnel-series retention has run out: findings, flags, captures, step
    results, sessions and the released report go; the candidate row stays as a stub saying when. Idempotent."""
    today = today or timezone.localdate()
    done = 0
    due = Candidate.objects.filter(retain_until__lt=today).exclude(status=Candidate.Status.DESTROYED)
    for pk in due.values_list("pk", flat=True):
        names = _destroy_one(pk, today)
        if names is None:
            continue
        done += 1
        storage = stores.records_store()
        for name in names:
            try:
                storage.delete(name)
            except Exception:  # a file already gone, or a store that refuses: the row is destroyed regardless
                log.warning("vetting capture %s could not be deleted", name, exc_info=True)
    return done


@transaction.atomic
def _destroy_one(pk: int, today: date) -> list[str] | None:
    candidate = Candidate.objects.select_for_update().filter(pk=pk).first()
    if candidate is None or candidate.status == Candidate.Status.DESTROYED or not candidate.retain_until:
        return None
    if candidate.retain_until >= today:
        return None
    names = sorted(set(candidate.findings.exclude(capture_name="").values_list("capture_name", flat=True)))
    counts = {"findings": candidate.findings.count(), "captures": len(names)}
    ReleasedReport.objects.filter(candidate=candidate).delete()
    ProtectedFlag.objects.filter(finding__candidate=candidate).delete()
    candidate.findings.all().delete()
    candidate.step_results.all().delete()
    candidate.sessions.all().delete()
    candidate.status, candidate.destroyed_at, candidate.name = Candidate.Status.DESTROYED, timezone.now(), ""
    candidate.save(update_fields=["status", "destroyed_at", "name"])
    record_event(
        "system",
        "vetting.file_destroyed",
        candidate,
        details={"series": candidate.process.series.code, "retain_until": str(candidate.retain_until), **counts},
    )
    return [n for n in names if not Finding.objects.filter(capture_name=n).exists()]
