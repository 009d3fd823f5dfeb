"""Reports of unauthorized or inappropriate content (385.5, last paragraph): a member reports to a supervisor,
who ensures its removal from public view and investigates the cause. open → removed → investigating → resolved."""

from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from core.errors import InvalidInput, InvalidTransition, PermissionRefused
from core.history import stamp
from core.notifications import notify
from members.models import Role
from members.permissions import has_role
from posts import services as post_services
from posts.models import Comment, Post
from posts.selectors import users_with_roles

from .models import ContentReport
from .monitoring import moderate_comment

R = ContentReport.Status


def can_handle_reports(user) -> bool:
    return user.is_active and has_role(user, Role.SUPERVISOR, Role.CHIEF, Role.DESIGNEE)


def can_view_report(user, report: ContentReport) -> bool:
    return user.is_active and (user.pk == report.reporter_id or can_handle_reports(user))


@transaction.atomic
def file_report(
    *, actor, section: str, description: str, post: Post | None = None, comment: Comment | None = None, link: str = ""
) -> ContentReport:
    """Any member who finds content they believe unauthorized or inappropriate reports it (385.5)."""
    if not actor.is_active:
        raise PermissionRefused("Your account is disabled.")
    description = (description or "").strip()
    if section not in ContentReport.Section.values:
        raise InvalidInput("Choose the part of 385.5 the content breaks.", field="section")
    if not description:
        raise InvalidInput("Say what is wrong with it.", field="description")
    if post is None and comment is None and not (link or "").strip():
        raise InvalidInput("Give the link to the content, or choose the post.", field="link")
    report = ContentReport(
        reporter=actor, section=section, description=description, post=post, comment=comment, link=(link or "").strip()
    )
    stamp(report, actor, "Reported").save()
    record_event(
        actor,
        "report.filed",
        report,
        details={"section": section, "post": post and post.pk, "comment": comment and comment.pk},
    )
    notify(
        users_with_roles(Role.SUPERVISOR),
        event="report.filed",
        subject=f"Content reported ({section})",
        body=f"{actor.get_full_name() or actor.get_username()} reports content on a department page:\n\n"
        f"{description[:1000]}",
        url=f"/reports/{report.pk}/",
    )
    return report


def _locked(actor, report) -> ContentReport:
    if not can_handle_reports(actor):
        raise PermissionRefused("Only a supervisor handles content reports.", section="385.5")
    return ContentReport.objects.select_for_update(of=("self",)).select_related("post", "comment").get(pk=report.pk)


@transaction.atomic
def remove_reported_content(*, actor, report: ContentReport, reason: str) -> ContentReport:
    """The supervisor ensures the content's removal from public view: the post or comment is taken down
    (and kept), or, for content elsewhere, the supervisor records that it was removed."""
    report = _locked(actor, report)
    if report.status != R.OPEN:
        raise InvalidTransition("The content of this report was already removed.", field="status")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why it is removed.", field="reason")
    if report.post_id and report.post.status == Post.Status.PUBLISHED:
        post_services.remove_from_public_view(actor=actor, post=report.post, reason=f"Report #{report.pk}: {reason}")
    if report.comment_id and report.comment.status != Comment.Status.REMOVED:
        moderate_comment(
            actor=actor,
            comment=report.comment,
            action="remove",
            reason=_comment_reason(report),
            note=f"Report #{report.pk}: {reason}",
        )
    report.status, report.removed_at, report.removed_by = R.REMOVED, timezone.now(), actor
    stamp(report, actor, "Removed from public view").save()
    record_event(actor, "report.content_removed", report, details={"reason": reason})
    return report


@transaction.atomic
def close_report(*, actor, report: ContentReport, outcome: str, reason: str) -> ContentReport:
    """385.5: the supervisor closes a report without removing the content, because it is unfounded or was
    resolved another way; the reason is kept and the reporter is told."""
    report = _locked(actor, report)
    if report.status != R.OPEN:
        raise InvalidTransition(
            "Only an open report is closed without removal; this one's content was already removed.", field="status"
        )
    if outcome not in ContentReport.Outcome.values:
        raise InvalidInput("Choose why the report is closed.", field="outcome")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why the content stays up.", field="reason")
    report.status, report.outcome, report.resolution, report.resolved_at = R.CLOSED, outcome, reason, timezone.now()
    stamp(report, actor, "Closed without removal").save()
    record_event(actor, "report.closed", report, details={"outcome": outcome, "reason": reason[:500]})
    label = ContentReport.Outcome(outcome).label
    notify(
        [report.reporter],
        event="report.closed",
        subject=f"Your report #{report.pk} is closed",
        body=f"The supervisor closed your report without removing the content.\n\n{label}.\n\n{reason}",
        url=f"/reports/{report.pk}/",
    )
    return report


def _comment_reason(report) -> str:
    return {"385.5(a)": "personal_attack", "385.5(b)": "personal_information", "385.5(e)": "threat"}.get(
        report.section, "off_topic"
    )


@transaction.atomic
def start_investigation(
    *, actor, report: ContentReport, how_posted: str, posted_by: str, control_failed: str
) -> ContentReport:
    """385.5: the supervisor investigates the cause of the entry."""
    report = _locked(actor, report)
    if report.status not in {R.REMOVED, R.INVESTIGATING}:
        raise InvalidTransition("Remove the content from public view first (385.5).", field="status")
    fields = {"how_posted": how_posted, "posted_by": posted_by, "control_failed": control_failed}
    for name, value in fields.items():
        if not (value or "").strip():
            label = ContentReport._meta.get_field(name).verbose_name
            raise InvalidInput(f"Record {label.lower()}.", field=name)
    for name, value in fields.items():
        setattr(report, name, value.strip())
    if report.status == R.REMOVED:
        report.status, report.investigation_started_at, report.investigator = R.INVESTIGATING, timezone.now(), actor
    stamp(report, actor, "Investigation recorded").save()
    record_event(actor, "report.investigation_recorded", report, details=fields)
    return report


@transaction.atomic
def resolve_report(*, actor, report: ContentReport, resolution: str) -> ContentReport:
    report = _locked(actor, report)
    if report.status != R.INVESTIGATING:
        raise InvalidTransition("Record the investigation of the cause before resolving (385.5).", field="status")
    resolution = (resolution or "").strip()
    if not resolution:
        raise InvalidInput("Record the resolution.", field="resolution")
    report.status, report.resolution, report.resolved_at = R.RESOLVED, resolution, timezone.now()
    stamp(report, actor, "Resolved").save()
    record_event(actor, "report.resolved", report, details={"resolution": resolution[:500]})
    notify(
        [report.reporter],
        event="report.resolved",
        subject=f"Your report #{report.pk} is resolved",
        body=f"The supervisor resolved your report:\n\n{resolution}",
        url=f"/reports/{report.pk}/",
    )
    return report
