"""Who may review what. Templates ask these same functions, so a button never shows for a refused action."""

from django.db.models import Q
from guardian.shortcuts import get_objects_for_user, get_user_perms

from core.errors import PermissionRefused
from members.models import Role
from members.permissions import Reason, has_role
from posts.models import Incident, Post
from posts.permissions import APPROVE_INCIDENT_UPDATES

from .monitoring import can_monitor
from .reports import can_handle_reports
from .screening import access
from .screening.rules.registry import RULE_ID as REGISTRY_RULE

REVIEWER_ROLES = (Role.SUPERVISOR, Role.CHIEF, Role.DESIGNEE)


def can_see_review_queue(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and has_role(user, *REVIEWER_ROLES)


def can_open_review_queue(user) -> bool:
    """Supervisors see the queue; an Incident Commander sees it for the updates of their incidents."""
    return can_see_review_queue(user) or Incident.objects.filter(Q(commander=user) | Q(backup_approver=user)).exists()


def require_review_queue(user) -> None:
    if not can_open_review_queue(user):
        raise PermissionRefused("The review queue is for supervisors and Incident Commanders.")


def require_monitor(user) -> None:
    if not can_monitor(user):
        raise PermissionRefused("Monitoring is for the social media team and supervisors.", section="385.5.1")


def require_report_handler(user) -> None:
    """385.5: a member reports content to a supervisor, who removes it and investigates the cause."""
    if not can_handle_reports(user):
        raise PermissionRefused("Only a supervisor handles content reports.", section="385.5")


def approves_incident_updates(user, incident: Incident) -> bool:
    """May `user` approve updates about `incident` (385.4.1)? Only while holding the incident's object permission."""
    if user.is_superuser:
        # has_perm says yes to every superuser; the policy names one approver per incident, so only a grant counts.
        return user.is_active and "approve_incident_updates" in get_user_perms(user, incident)
    return user.has_perm(APPROVE_INCIDENT_UPDATES, incident)


def incidents_approvable_by(user):
    """The incidents whose updates `user` may approve (385.4.1)."""
    return get_objects_for_user(
        user, APPROVE_INCIDENT_UPDATES, klass=Incident, accept_global_perms=False, with_superuser=False
    )


def editor_ids(post: Post) -> set[int]:
    cached = getattr(post, "_editor_ids", None)
    if cached is None:
        cached = set(post.editors.values_list("user_id", flat=True)) | {post.author_id}
        post._editor_ids = cached
    return cached


def decision_refusals(user, post: Post) -> list[Reason]:
    """Why `user` may not decide (approve, request changes, reject) on `post`'s pending review."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return [Reason("385.3", "not_signed_in", "Sign in to review.")]
    reasons = []
    if post.incident_id:
        if not approves_incident_updates(user, post.incident):
            name = post.incident.commander.get_full_name() or post.incident.commander.get_username()
            backup = post.incident.backup_approver
            also = f" (or the backup approver, {backup.get_full_name() or backup.get_username()})" if backup else ""
            reasons.append(
                Reason(
                    "385.4.1",
                    "not_commander",
                    f"Updates on this incident are approved by its Incident Commander, {name}{also}.",
                )
            )
    elif not has_role(user, *REVIEWER_ROLES):
        reasons.append(Reason("385.3", "not_supervisor", "Only a supervisor approves posts."))
    if user.pk == post.author_id:
        reasons.append(
            Reason("385.3", "own_post", "You wrote this post: someone else must approve it (separation of duties).")
        )
    elif user.pk in editor_ids(post):
        reasons.append(
            Reason("385.3", "edited_post", "You edited this post: someone else must approve it (separation of duties).")
        )
    return reasons


def can_decide(user, post: Post) -> bool:
    return post.status == Post.Status.IN_REVIEW and not decision_refusals(user, post)


def can_clear_findings(user) -> bool:
    """A supervisor (or the Chief or designee) may mark a finding "reviewed: not a violation" on a post they may
    decide on; an Incident Commander who is not a supervisor acknowledges findings but does not clear them."""
    return getattr(user, "is_authenticated", False) and user.is_active and has_role(user, *REVIEWER_ROLES)


def clearable_findings(user, post: Post, findings) -> set[int]:
    """The ids of the findings `user` may mark "reviewed: not a violation" (what `clear_finding` allows)."""
    if not (can_decide(user, post) and can_clear_findings(user)):
        return set()
    open_findings = [f for f in findings if not f.exception_id]
    registry_keeper = any(f.rule_id == REGISTRY_RULE for f in open_findings) and access.can_manage_confidential_terms(
        user
    )
    return {f.pk for f in open_findings if f.rule_id != REGISTRY_RULE or registry_keeper}
