"""Public comments (385.5.1): screened on arrival, queued for the team, and acted on with a stated reason."""

from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from core.errors import InvalidInput, InvalidTransition, PermissionRefused
from core.history import stamp
from core.notifications import notify
from members.models import Role
from members.permissions import has_role
from posts.models import Comment
from posts.publishing import comment_actions
from posts.selectors import users_with_roles

from .models import CommentScreening, ThreatAlert
from .screening import Severity, screen_text

RANK = {Severity.INFO: 1, Severity.ACKNOWLEDGE: 2, Severity.BLOCK: 3}

# The reasons the department's pages announce (385.5.1(a)), plus threats, personal information and spam.
REMOVAL_REASONS = {
    "obscenity": "Obscenity",
    "off_topic": "Off-topic",
    "personal_attack": "Personal attack",
    "threat": "Threat",
    "personal_information": "Personal information",
    "spam": "Spam",
}


def can_monitor(user) -> bool:
    """385.5.1: the Social Media Officer and team members monitor public postings; supervisors act on reports."""
    return user.is_active and has_role(user, Role.SMO, Role.TEAM, Role.SUPERVISOR, Role.CHIEF, Role.DESIGNEE)


def comment_received(sender, comment: Comment, **kwargs):
    """Screen a comment as it arrives (inside its transaction); a threat raises an alert at once."""
    result = screen_text(comment.text, kind="comment")
    findings = result.findings
    threat_found = any(f.rule_id == "comment.threat" for f in findings)
    screening = CommentScreening.objects.create(
        comment=comment,
        severity_rank=max((RANK[Severity(f.severity)] for f in findings), default=0),
        escalated=any(f.escalate for f in findings),
        # A threat a rule found outranks any score; otherwise the model's score orders the queue.
        threat_score=max(result.scores.get("threat", 0.0), 1.0 if threat_found else 0.0),
        language=result.language,
        findings=[f.to_dict() for f in findings],
    )
    if screening.escalated:
        raise_threat_alert(comment)


def alert_recipients() -> list:
    """The Social Media Officer and the supervisors (the department keeps no duty roster here, so every
    supervisor is told; the first to act acknowledges for all)."""

    return users_with_roles(Role.SMO, Role.SUPERVISOR)


def raise_threat_alert(comment: Comment) -> ThreatAlert:
    alert, created = ThreatAlert.objects.get_or_create(comment=comment)
    if created:
        record_event("system", "comment.threat_alert", comment, details={"channel": comment.channel.slug})
        where = comment.link or (f"{comment.post.title}" if comment.post_id else comment.channel.name)
        notify(
            alert_recipients(),
            event="comment.threat",
            subject=f"THREAT in a public comment on {comment.channel}",
            body=(
                f"{comment.author_name} ({comment.author_handle or 'website visitor'}) wrote at "
                f"{timezone.localtime(comment.created_at):%Y-%m-%d %H:%M}:\n\n{comment.text[:2000]}\n\n"
                f"On: {where}"
            ),
            url=f"/monitoring/comments/{comment.pk}/",
        )
    return alert


def open_alerts():
    return ThreatAlert.objects.filter(acknowledged_at__isnull=True).select_related("comment__channel")


@transaction.atomic
def acknowledge_alert(*, actor, alert: ThreatAlert) -> ThreatAlert:
    if not can_monitor(actor):
        raise PermissionRefused("Only the social media team and supervisors handle threat alerts.", section="385.5.1")
    alert = ThreatAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at:
        raise InvalidTransition("This alert was already acknowledged.", field="status")
    alert.acknowledged_by, alert.acknowledged_at = actor, timezone.now()
    alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
    record_event(actor, "comment.threat_acknowledged", alert.comment)
    return alert


@transaction.atomic
def moderate_comment(*, actor, comment: Comment, action: str, reason: str = "", note: str = "") -> Comment:
    """Show, hide or remove a comment. A removed comment leaves public view but is kept whole, as a record."""
    if not can_monitor(actor):
        raise PermissionRefused("Only the social media team and supervisors moderate comments.", section="385.5.1")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    targets = {"show": Comment.Status.VISIBLE, "hide": Comment.Status.HIDDEN, "remove": Comment.Status.REMOVED}
    if action not in targets:
        raise InvalidInput("Choose show, hide or remove.", field="action")
    if comment.status == Comment.Status.REMOVED:
        raise InvalidTransition("This comment was already removed.", field="status")
    if action in {"hide", "remove"} and reason not in REMOVAL_REASONS:
        raise InvalidInput("Choose the reason the page announces (385.5.1(a)).", field="reason")
    previous = comment.status
    comment.status = targets[action]
    if action != "show":
        comment.removal_reason, comment.removal_note = reason, (note or "").strip()
        comment.removed_by, comment.removed_at = actor, timezone.now()
    stamp(comment, actor, f"Comment {action}").save()
    record_event(
        actor,
        f"comment.{action}",
        comment,
        details={"from": previous, "reason": reason, "note": (note or "").strip()[:500]},
    )
    if action != "show" or previous == Comment.Status.HIDDEN:
        # Done where the comment is, too: on its platform where the API allows, else a to-do on /removals/.
        comment_actions.request_on_platform(actor=actor, comment=comment, action=action, reason=reason)
    if action == "remove":
        # Acting on a threat answers its alert.
        ThreatAlert.objects.filter(comment=comment, acknowledged_at__isnull=True).update(
            acknowledged_by=actor, acknowledged_at=timezone.now()
        )
    return comment
