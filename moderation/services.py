"""The review workflow: submit, screen, acknowledge, approve / request changes / reject, incident approvals,
and publishing without a supervisor when a post conforms to a content guideline (385.3)."""

import hashlib
import re
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from core.errors import InvalidInput, InvalidTransition, PermissionRefused, PolicyViolation
from core.history import stamp
from core.notifications import notify
from core.policy import enforces
from members.models import Role
from members.permissions import Reason, has_role
from posts import services as post_services
from posts import workflow
from posts.models import Post, PostingSettings
from posts.permissions import can_edit_post
from posts.publishing import limits
from posts.selectors import users_with_roles

from . import permissions
from .models import FindingException, Review, ReviewComment, ReviewFinding
from .screening import ScreeningContext, Severity, access, screen
from .screening.rules.registry import RULE_ID as REGISTRY_RULE

S = Post.Status
# A review is pending (a decision may be made) or was granted (an edit returns the post to review).
ACTIVE_REVIEW_STATES = {S(s) for name in (*workflow.DECISIONS, "return_to_review") for s in workflow.get(name).sources}


# Screening -------------------------------------------------------------------------------------------------


# Rules about the post as a whole (its images' alt text, its reading level, a message told only in emoji) read the
# body; every other rule reads every field, so a registry name in the headline or a file name is found too.
_WHOLE_POST_RULES = ("a11y.alt_text", "a11y.readability", "a11y.emoji_only")
_FILE_NAME_SEPARATORS = re.compile(r"[-_.]+")


def screened_fields(post: Post) -> list[tuple[str, str, str, dict]]:
    """(field, text, declared language, data) for every text of a post that is published or shown."""
    fields = [("title", post.title, "", {}), ("body", post.body, "", {})]
    if post.translation_body:
        fields.append(("translation", post.translation_body, post.translation_language, {}))
    for a in post.attachments.all():
        if (a.alt_text or "").strip():
            fields.append(("alt_text", a.alt_text, "", {"attachment": a.original_name}))
        stem = (a.original_name or "").rsplit(".", 1)[0]
        fields.append(("file_name", _FILE_NAME_SEPARATORS.sub(" ", stem), "", {"attachment": a.original_name}))
        if a.captions:
            fields.append(("captions", a.captions_text(), "", {"attachment": a.original_name}))
    return fields


def screened_text_sha256(post: Post) -> str:
    """The digest of every screened field: a reviewed exception holds only while this is unchanged."""
    digest = hashlib.sha256()
    for name, text, language, data in screened_fields(post):
        digest.update(f"{name}\0{language}\0{data.get('attachment', '')}\0{text}\0".encode())
    return digest.hexdigest()


def screen_post(post: Post) -> list[tuple[str, object]]:
    """(field, Finding) for every field of the post (title, body, translation, alt texts, file names)."""
    attachments = [{"kind": a.kind, "alt_text": a.alt_text, "name": a.original_name} for a in post.attachments.all()]
    results = []
    for name, text, language, data in screened_fields(post):
        if not text.strip():
            continue
        context = ScreeningContext(
            attachments=attachments if name == "body" else [], title=post.title, language=language
        )
        for f in screen(text, kind="post", context=context):
            if name != "body" and f.rule_id in _WHOLE_POST_RULES:
                continue
            if name in {"alt_text", "file_name", "captions"} and f.rule_id.startswith("a11y."):
                continue
            results.append((name, replace(f, field=name, data={**f.data, **data})))
    return results


# The path a post takes (385.3) -----------------------------------------------------------------------------


@dataclass
class ApprovalPath:
    path: str  # a Post.ApprovalPath value
    conforms: bool
    reasons: list[str] = field(default_factory=list)
    section: str = "385.3"

    @property
    def summary(self) -> str:
        if self.path == Post.ApprovalPath.INCIDENT_COMMANDER:
            return "Needs the Incident Commander's approval — 385.4.1"
        if self.conforms:
            return "Conforms to a content guideline: an authorized member may publish it without a supervisor — 385.3"
        return "Needs supervisor approval before posting — 385.3"


@enforces("385.5(g)")
def approval_path(post: Post, *, findings=None) -> ApprovalPath:
    if post.incident_id:
        return ApprovalPath(
            Post.ApprovalPath.INCIDENT_COMMANDER,
            False,
            ["Updates on an active incident are approved by its Incident Commander."],
            "385.4.1",
        )
    reasons = []
    if PostingSettings.load().require_approval_for_all:
        reasons.append("The department requires supervisor approval for every post.")
    template = post.template
    if template is None:
        reasons.append("It was not written from a content guideline template.")
    else:
        if not template.is_active:
            reasons.append(f"The guideline “{template.name}” is no longer in use.")
        if post.category != template.category:
            reasons.append(f"Its category differs from the guideline “{template.name}”.")
        try:
            expected = template.render(post.template_values)
        except (KeyError, ValueError, IndexError):
            expected = None
        if expected is None or " ".join(expected.split()) != " ".join(post.body.split()):
            reasons.append(f"The body differs from the fixed wording of “{template.name}”.")
        if post.translation_body:
            reasons.append("It has a translation, which the guideline does not cover.")
        if any(True for _ in post.attachments.all()):
            reasons.append("It has attachments, which the guideline does not cover.")
    findings = screen_post(post) if findings is None else findings
    flagged = [f for _field, f in findings if f.severity != Severity.INFO]
    if flagged:
        reasons.append("Screening flagged it: " + "; ".join(f"{f.explanation} ({f.section})" for f in flagged[:3]))
    return ApprovalPath(Post.ApprovalPath.SUPERVISOR if reasons else Post.ApprovalPath.GUIDELINE, not reasons, reasons)


# Submitting ------------------------------------------------------------------------------------------------


def _pending_review(post: Post, *, lock=True) -> Review | None:
    reviews = Review.objects.filter(post=post, status=Review.Status.PENDING)
    if lock:
        reviews = reviews.select_for_update()
    return reviews.first()


def _reviewers_for(post: Post) -> list:
    if post.incident_id:
        return [post.incident.commander]
    editors = permissions.editor_ids(post)
    return [u for u in users_with_roles(Role.SUPERVISOR) if u.pk not in editors]


def _open_review(post: Post, *, actor, event: str, tell_reviewers: bool = True) -> Review:
    route = Review.Route.INCIDENT_COMMANDER if post.incident_id else Review.Route.SUPERVISOR
    latest = post.history.order_by("-history_id").first()
    review = Review(
        post=post,
        route=route,
        post_version=post.version,
        submitted_by=actor,
        post_history_id=latest.history_id if latest else None,
    )
    stamp(review, actor, "Submitted").save()
    # A finding a supervisor already reviewed on exactly this text stays reviewed; any edit brings it back.
    reviewed = {
        (e.field, e.rule_id, e.start, e.end): e
        for e in FindingException.objects.filter(post=post, text_sha256=screened_text_sha256(post))
    }
    ReviewFinding.objects.bulk_create(
        ReviewFinding(
            review=review,
            field=where,
            rule_id=f.rule_id,
            section=f.section,
            severity=f.severity,
            start=f.start,
            end=f.end,
            excerpt=f.excerpt[:500],
            explanation=f.explanation,
            data=f.data,
            exception=reviewed.get((where, f.rule_id, f.start, f.end)),
        )
        for where, f in screen_post(post)
    )
    if not tell_reviewers:
        return review
    label = f"Update {post.update_number} on {post.incident}" if post.incident_id else f"“{post.title}”"
    notify(
        _reviewers_for(post),
        event=event,
        subject=f"Awaiting your approval: {label}",
        body=f"{actor.get_full_name() or actor.get_username()} submitted {label} for approval.",
        url=f"/review/{post.pk}/",
    )
    return review


@transaction.atomic
def submit_for_review(*, actor, post: Post, ip: str | None = None) -> Review:

    post = Post.objects.select_for_update(of=("self",)).select_related("incident__commander").get(pk=post.pk)
    if not can_edit_post(actor, post):
        raise PermissionRefused("You may not submit this post.")
    if not workflow.allows(post, "submit"):
        raise InvalidTransition(
            f"This post is {post.get_status_display().lower()}; only a draft or a post with "
            "changes requested can be submitted.",
            field="status",
        )
    refusals = post_services.posting_refusals(actor, post, ip=ip)
    if refusals:
        raise post_services.refusal_for(refusals)
    post_services.transition(post, "submit", actor=actor, submitted_at=timezone.now())
    return _open_review(post, actor=actor, event="review.requested")


def content_changed(sender, post: Post, actor, previous_status: str, **kwargs):
    """An edit to a post under review, approved or scheduled sends it back to review; a withdrawal ends it."""
    pending = _pending_review(post)
    now = timezone.now()
    if post.status == S.WITHDRAWN:
        if pending:
            pending.status, pending.decided_at, pending.decided_by = Review.Status.WITHDRAWN, now, actor
            stamp(pending, actor, "Withdrawn").save()
        return
    if previous_status not in ACTIVE_REVIEW_STATES:
        return
    if pending:
        pending.status, pending.decided_at, pending.decided_by = Review.Status.SUPERSEDED, now, actor
        stamp(pending, actor, "Superseded by an edit").save()
    if post.status != S.IN_REVIEW:
        post_services.transition(
            post,
            "return_to_review",
            actor=actor,
            reason="Edited after approval",
            approved_by=None,
            approved_at=None,
            approval_path="",
            submitted_at=now,
        )
    _open_review(post, actor=actor, event="review.requested")


# Checked again at the moment of sending (385.3) -------------------------------------------------------------

_FIELD_LABELS = {
    "title": "headline",
    "body": "body",
    "translation": "translation",
    "alt_text": "an image description",
    "file_name": "a file name",
    "captions": "a video's captions",
}


def screening_refusals(post: Post) -> list[Reason]:
    """Screen the post again with today's registry and rules. It may not go out when a finding now blocks it, or
    when a finding that needs acknowledgement was not in front of whoever approved it (it is new since)."""
    approved = (
        Review.objects.filter(post=post, status=Review.Status.APPROVED, post_version=post.version)
        .order_by("-pk")
        .first()
    )
    seen = set()
    if approved is not None:
        seen = {(f.field, f.rule_id, f.start, f.end) for f in approved.findings.all()}
    cleared = {
        (e.field, e.rule_id, e.start, e.end)
        for e in FindingException.objects.filter(post=post, text_sha256=screened_text_sha256(post))
    }
    reasons: list[Reason] = []
    for where, f in screen_post(post):
        key = (where, f.rule_id, f.start, f.end)
        if key in cleared or f.severity == Severity.INFO:
            continue
        place = _FIELD_LABELS.get(where, where)
        if f.severity == Severity.BLOCK:
            reason = Reason(f.section, "screening_blocks", f"Screening now blocks it (in the {place}): {f.explanation}")
        elif key not in seen:
            reason = Reason(
                f.section,
                "screening_new",
                f"Screening now finds what its approval did not see (in the {place}): {f.explanation}",
            )
        else:
            continue
        if reason not in reasons:
            reasons.append(reason)
    return reasons


def approver_refusals(post: Post) -> list[Reason]:
    """Whoever approved it must still be able to: an active account and, for a supervisor's approval, still a
    supervisor (the Chief or designee count) (385.3)."""
    approver = post.approved_by
    if approver is None:
        return []
    name = approver.get_full_name() or approver.get_username()
    if not approver.is_active:
        return [Reason("385.3", "approver_disabled", f"{name}, who approved it, no longer has an active account.")]
    if post.approval_path == Post.ApprovalPath.SUPERVISOR and not has_role(approver, *permissions.REVIEWER_ROLES):
        return [Reason("385.3", "approver_not_supervisor", f"{name}, who approved it, is no longer a supervisor.")]
    return []


def held_at_send(sender, post: Post, previous_status: str, **kwargs):
    """A post stopped at sending is back in review: a new review, with today's findings, for its approver."""
    pending = _pending_review(post)
    if pending is None:
        _open_review(post, actor=post.author, event="review.requested", tell_reviewers=False)


# Deciding --------------------------------------------------------------------------------------------------


def _locked_for_decision(actor, post: Post) -> tuple[Post, Review]:
    post = Post.objects.select_for_update(of=("self",)).select_related("incident__commander", "author").get(pk=post.pk)
    review = _pending_review(post)
    if not workflow.awaiting_decision(post) or review is None:
        raise InvalidTransition(
            f"This post is {post.get_status_display().lower()}, not awaiting approval.", field="status"
        )
    refusals = permissions.decision_refusals(actor, post)
    if refusals:
        raise PolicyViolation(refusals[0].section, refusals[0].message, code=refusals[0].code)
    return post, review


def _decide(review: Review, *, actor, status: str, note: str):
    review.status, review.decided_by, review.decided_at, review.note = status, actor, timezone.now(), note
    stamp(review, actor, status).save()


@transaction.atomic
def acknowledge_findings(*, actor, post: Post, finding_ids) -> int:
    post, review = _locked_for_decision(actor, post)
    wanted = {int(i) for i in finding_ids}
    findings = list(review.findings.filter(pk__in=wanted, acknowledged_at__isnull=True))
    if wanted and len(findings) != len(wanted & set(review.findings.values_list("pk", flat=True))):
        raise InvalidInput("Some findings were already acknowledged.", field="findings")
    now = timezone.now()
    for finding in findings:
        finding.acknowledged_by, finding.acknowledged_at = actor, now
        finding.save(update_fields=["acknowledged_by", "acknowledged_at"])
    if findings:
        record_event(
            actor,
            "review.findings_acknowledged",
            post,
            details={"review": review.pk, "findings": sorted(f.rule_id for f in findings)},
        )
    return len(findings)


REASON_MAX_LENGTH = 1000


@transaction.atomic
def clear_finding(*, actor, post: Post, finding_id: int, reason: str) -> FindingException:
    """Mark one screening finding on this post's current text "reviewed: not a violation", with a reason.

    Only a supervisor (or the Chief or designee) who may decide on the post, so never its author or an editor
    (385.3); a confidential-registry finding only by someone who may keep the registry (385.5(c)). It holds for
    this text alone: an edit brings the finding back, and the rule stays as strict for every other post.
    """
    post, review = _locked_for_decision(actor, post)
    if not permissions.can_clear_findings(actor):
        raise PolicyViolation(
            "385.3", "Only a supervisor, the Chief of Police or the designee may mark a finding as not a violation.",
            code="not_supervisor",
        )  # fmt: skip
    finding = review.findings.filter(pk=finding_id).first() if str(finding_id).isdigit() else None
    if finding is None:
        raise InvalidInput("There is no such finding on the post's pending submission.", field="finding")
    if finding.exception_id:
        raise InvalidTransition("This finding was already reviewed as not a violation.", field="finding")
    if finding.rule_id == REGISTRY_RULE and not access.can_manage_confidential_terms(actor):
        raise PolicyViolation(
            "385.5(c)", "Only someone who may keep the confidential-terms registry can clear a registry finding.",
            code="registry_keeper_only",
        )  # fmt: skip
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why this is not a violation.", field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput(f"The reason may be at most {REASON_MAX_LENGTH} characters.", field="reason")
    exception = FindingException(
        post=post,
        post_version=post.version,
        text_sha256=screened_text_sha256(post),
        field=finding.field,
        rule_id=finding.rule_id,
        section=finding.section,
        start=finding.start,
        end=finding.end,
        reason=reason,
        cleared_by=actor,
    )
    stamp(exception, actor, "Finding reviewed: not a violation").save()
    finding.exception = exception
    finding.save(update_fields=["exception"])
    record_event(
        actor,
        "screening.finding_cleared",
        post,
        details={
            "review": review.pk,
            "finding": finding.pk,
            "rule_id": finding.rule_id,
            "section": finding.section,
            "field": finding.field,
            "post_version": post.version,
            "reason": reason[:500],
        },
    )
    return exception


def _refuse_what_does_not_fit(post: Post) -> None:
    """A post a platform would cut or refuse is not approved: what appeared would not be what was approved."""
    reasons = limits.limit_refusals(post)
    if reasons:
        raise PolicyViolation(
            limits.SECTION,
            "It does not fit its platforms: "
            + " ".join(r.message for r in reasons)
            + " Shorten it, change its media or leave those channels out.",
            code="platform_limit",
            field="channels",
        )


@transaction.atomic
def approve_post(*, actor, post: Post, note: str = "", acknowledge=()) -> Post:
    """Approve a post awaiting the actor's decision. Nobody approves their own post or one they edited."""
    if acknowledge:
        acknowledge_findings(actor=actor, post=post, finding_ids=acknowledge)
    post, review = _locked_for_decision(actor, post)
    findings = list(review.findings.all())
    blocking = [f for f in findings if f.blocks]
    if blocking:
        first = blocking[0]
        raise PolicyViolation(
            first.section,
            f"Screening found something that blocks approval: {first.explanation}. Request changes instead.",
            code="blocked_by_screening",
        )
    open_findings = [f for f in findings if f.needs_acknowledgement]
    if open_findings:
        raise PolicyViolation(
            open_findings[0].section,
            f"Acknowledge each screening finding before approving: {len(open_findings)} not yet acknowledged.",
            code="unacknowledged",
            field="findings",
        )
    unpermitted = [a.original_name for a in post.attachments.all() if a.needs_media_permission]
    if unpermitted:
        raise PolicyViolation(
            "385.5.2(b)",
            "Photos or videos of department training, activities or assignments "
            "need a record of express written permission: " + ", ".join(unpermitted) + ".",
            code="media_permission_missing",
        )
    _refuse_what_does_not_fit(post)
    now = timezone.now()
    scheduled = bool(post.scheduled_for and post.scheduled_for > now)
    path = Post.ApprovalPath.INCIDENT_COMMANDER if post.incident_id else Post.ApprovalPath.SUPERVISOR
    post_services.transition(
        post,
        "approve_scheduled" if scheduled else "approve",
        actor=actor,
        reason=note,
        approved_by=actor,
        approved_at=now,
        approval_path=path,
    )
    _decide(review, actor=actor, status=Review.Status.APPROVED, note=note.strip())
    notify(
        [post.author],
        event="post.approved",
        subject=f"Approved: {post}",
        body=f"{actor.get_full_name() or actor.get_username()} approved {post}." + (f"\n\n{note}" if note else ""),
        url=f"/posts/{post.pk}/",
    )
    if post.incident_id and not scheduled:
        # 385.4.1: an incident update goes out the moment its commander approves it, under its compiler's name.
        if not post_services.posting_refusals(post.author, post):
            post = post_services.publish_post(actor=post.author, post=post, triggered_by=actor)
    return post


def _validated_comments(post: Post, comments) -> list[dict]:
    clean = []
    for item in comments or []:
        body = (item.get("body") or "").strip()
        quote = " ".join((item.get("quote") or "").split())
        if not body:
            continue
        start = end = None
        if quote:
            text = " ".join(post.body.split())
            start = text.find(quote)
            if start < 0:
                raise InvalidInput("The passage you quoted is not in the post's text; copy it exactly.", field="quote")
            end = start + len(quote)
        clean.append({"body": body, "quote": quote, "start": start, "end": end})
    return clean


@transaction.atomic
def request_changes(*, actor, post: Post, note: str, comments=()) -> Post:
    post, review = _locked_for_decision(actor, post)
    note = (note or "").strip()
    comments = _validated_comments(post, comments)
    if not note and not comments:
        raise InvalidInput("Say what should change.", field="note")
    for item in comments:
        ReviewComment.objects.create(review=review, author=actor, **item)
    note = note or "See comments."
    post_services.transition(post, "request_changes", actor=actor, reason=note)
    _decide(review, actor=actor, status=Review.Status.CHANGES_REQUESTED, note=note)
    notify(
        [post.author],
        event="post.changes_requested",
        subject=f"Changes requested: {post}",
        body=f"{actor.get_full_name() or actor.get_username()} asks for changes:\n\n{note}",
        url=f"/posts/{post.pk}/",
    )
    return post


@transaction.atomic
def reject_post(*, actor, post: Post, reason: str) -> Post:
    post, review = _locked_for_decision(actor, post)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give the reason for rejecting.", field="reason")
    post_services.transition(
        post,
        "reject",
        actor=actor,
        reason=reason,
        closed_by=actor,
        closed_at=timezone.now(),
        closed_reason=reason,
    )
    _decide(review, actor=actor, status=Review.Status.REJECTED, note=reason)
    notify(
        [post.author],
        event="post.rejected",
        subject=f"Rejected: {post}",
        body=f"{actor.get_full_name() or actor.get_username()} rejected {post}:\n\n{reason}",
        url=f"/posts/{post.pk}/",
    )
    return post


@transaction.atomic
def add_review_comment(*, actor, post: Post, body: str, quote: str = "") -> ReviewComment:
    post, review = _locked_for_decision(actor, post)
    items = _validated_comments(post, [{"body": body, "quote": quote}])
    if not items:
        raise InvalidInput("Write the comment.", field="body")
    comment = ReviewComment.objects.create(review=review, author=actor, **items[0])
    record_event(actor, "review.commented", post, details={"review": review.pk, "comment": comment.pk})
    return comment


# Publishing without a supervisor ---------------------------------------------------------------------------


@enforces("385.5(g)")
@transaction.atomic
def publish_conforming_post(*, actor, post: Post, ip: str | None = None) -> Post:
    """385.3: content that strictly conforms to the Chief's guidelines may be posted by an authorized member
    without a supervisor's approval. Anything else is refused here with the reasons."""
    post = Post.objects.select_for_update(of=("self",)).select_related("template").get(pk=post.pk)
    if not workflow.allows(post, "approve_by_guideline"):
        raise InvalidTransition("Only a draft can be published straight from a guideline.", field="status")
    if post.author_id != actor.pk:
        raise PermissionRefused("Only the author publishes a guideline post without review.", section="385.3")
    path = approval_path(post)
    if not path.conforms:
        raise PolicyViolation(
            path.section,
            "This post needs supervisor approval before posting: " + " ".join(path.reasons),
            code="does_not_conform",
        )
    refusals = post_services.posting_refusals(actor, post, ip=ip)
    if refusals:
        raise post_services.refusal_for(refusals)
    _refuse_what_does_not_fit(post)
    post_services.transition(
        post,
        "approve_by_guideline",
        actor=actor,
        reason=f"Conforms to “{post.template.name}”",
        approved_at=timezone.now(),
        approval_path=Post.ApprovalPath.GUIDELINE,
        submitted_at=timezone.now(),
    )
    return post_services.publish_post(actor=actor, post=post, ip=ip)
