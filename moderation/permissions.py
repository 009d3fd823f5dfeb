"""Who may review what. Templates ask these same functions, so a button never shows for a refused action."""

from members.models import Role
from members.permissions import Reason, has_role
from posts.models import Post

from .screening import access
from .screening.rules.registry import RULE_ID as REGISTRY_RULE

REVIEWER_ROLES = (Role.SUPERVISOR, Role.CHIEF, Role.DESIGNEE)


def can_see_review_queue(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and has_role(user, *REVIEWER_ROLES)


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
        if user.pk != post.incident.commander_id:
            name = post.incident.commander.get_full_name() or post.incident.commander.get_username()
            reasons.append(
                Reason(
                    "385.4.1",
                    "not_commander",
                    f"Updates on this incident are approved by its Incident Commander, {name}.",
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
