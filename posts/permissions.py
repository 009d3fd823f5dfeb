"""Who may do what with channels, posts, guidelines, incidents and post requests."""

from core.errors import InvalidTransition, PermissionRefused
from members.models import Authorization, Role
from members.permissions import has_role

from . import workflow
from .models import Incident, Post, PostRequest

STAFF_ROLES = (Role.SMO, Role.TEAM, Role.CHIEF, Role.DESIGNEE)
VIEW_ROLES = (Role.SMO, Role.TEAM, Role.CHIEF, Role.DESIGNEE, Role.SUPERVISOR, Role.REVIEWER, Role.CUSTODIAN)


# 385.4.1: an incident's commander approves the updates about it. Granted (django-guardian, per incident) by
# posts.services.open_incident and read by moderation.permissions.
APPROVE_INCIDENT_UPDATES = "posts.approve_incident_updates"


def _active(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def has_any_authorization(user) -> bool:
    cached = getattr(user, "_socialgov_authorized", None)
    if cached is None:
        cached = Authorization.objects.active().filter(member=user).exists()
        user._socialgov_authorized = cached
    return cached


def can_draft(user) -> bool:
    """The social media team and members the Chief authorized draft posts; others send a post request."""
    return _active(user) and (has_role(user, *STAFF_ROLES) or has_any_authorization(user))


def can_view_all_posts(user) -> bool:
    return _active(user) and has_role(user, *VIEW_ROLES)


def can_view_post(user, post: Post) -> bool:
    if not _active(user):
        return False
    if user.pk == post.author_id or has_role(user, *VIEW_ROLES):
        return True
    if post.incident_id and user.pk in (post.incident.commander_id, post.incident.backup_approver_id):
        return True
    return bool(post.request_id and post.request.requester_id == user.pk)


def can_read_incident_update(user, post: Post) -> bool:
    """An update is public once published; before that, and after its removal, only those who may open it read it."""
    return post.status == Post.Status.PUBLISHED or can_view_post(user, post)


def can_edit_post(user, post: Post) -> bool:
    if not _active(user) or post.status not in Post.EDITABLE:
        return False
    return user.pk == post.author_id or has_role(user, *STAFF_ROLES, Role.SUPERVISOR)


def require_post_editor(user, post: Post) -> None:
    """A post no one may edit in its state is refused for its state (409); otherwise for the member (403)."""
    if can_edit_post(user, post):
        return
    if post.status not in Post.EDITABLE:
        raise InvalidTransition(
            f"This post is {post.get_status_display().lower()}: it cannot be edited now.", field="status"
        )
    raise PermissionRefused("Only the author, the social media team or a supervisor edits a post.")


def can_withdraw_post(user, post: Post) -> bool:
    return (
        _active(user)
        and workflow.allows(post, "withdraw")
        and (user.pk == post.author_id or has_role(user, Role.SMO, Role.CHIEF, Role.DESIGNEE))
    )


def can_remove_from_public_view(user) -> bool:
    """385.5: the supervisor ensures inappropriate content is removed from public view."""
    return _active(user) and has_role(user, Role.SUPERVISOR, Role.CHIEF, Role.DESIGNEE, Role.SMO)


def require_remover(user, what: str = "removes content from public view") -> None:
    if not can_remove_from_public_view(user):
        raise PermissionRefused(f"Only a supervisor or the Social Media Officer {what}.", section="385.5")


def can_manage_channels(user) -> bool:
    return _active(user) and has_role(user, Role.CHIEF, Role.DESIGNEE, Role.SMO)


def require_channel_manager(user, what: str = "may manage channels") -> None:
    if not can_manage_channels(user):
        raise PermissionRefused(f"Only the Chief, a designee or the Social Media Officer {what}.")


def require_credentials_keeper(user) -> None:
    require_channel_manager(user, "may set a channel's credentials")


def can_manage_guidelines(user) -> bool:
    """385.3: the Chief of Police may develop guidelines identifying the content that may be posted."""
    return _active(user) and has_role(user, Role.CHIEF, Role.DESIGNEE)


def require_guideline_keeper(user, what: str = "keeps content guidelines") -> None:
    if not can_manage_guidelines(user):
        raise PermissionRefused(f"Only the Chief of Police or the authorized designee {what}.", section="385.3")


def require_posting_settings_keeper(user) -> None:
    require_guideline_keeper(user, "decides whether every post needs a supervisor's approval")


def can_manage_incidents(user) -> bool:
    return _active(user) and has_role(user, Role.SMO, Role.SUPERVISOR, Role.CHIEF, Role.DESIGNEE)


def can_hand_over_command(user, incident: Incident) -> bool:
    """385.4.1: the Incident Commander hands command over, or the Social Media Officer's supervisor does (any
    supervisor when the officer has none on record); the same people name a backup approver."""
    if not _active(user):
        return False
    if user.pk == incident.commander_id:
        return True
    if not has_role(user, Role.SUPERVISOR):
        return False
    profile = getattr(incident.social_media_officer, "profile", None)
    supervisor_id = getattr(profile, "supervisor_id", None)
    return supervisor_id is None or supervisor_id == user.pk


def require_command_handover(user, incident: Incident) -> None:
    if not can_hand_over_command(user, incident):
        raise PermissionRefused(
            "Only the Incident Commander or the Social Media Officer's supervisor hands over command or names a "
            "backup approver.",
            section="385.4.1",
        )


def require_incident_manager(user) -> None:
    if not can_manage_incidents(user):
        raise PermissionRefused("Only a supervisor or the Social Media Officer opens incidents.", section="385.4.1")


def can_handle_post_requests(user) -> bool:
    """385.3: requests go to the social media team representative."""
    return _active(user) and has_role(user, Role.SMO, Role.TEAM)


def require_post_request_handler(user) -> None:
    if not can_handle_post_requests(user):
        raise PermissionRefused("Only the social media team handles post requests.", section="385.3")


def can_view_post_request(user, request: PostRequest) -> bool:
    return _active(user) and (user.pk == request.requester_id or can_handle_post_requests(user))


def can_view_calendar(user) -> bool:
    """The content calendar (and its private feed): the social media team, supervisors, the Chief and designee."""
    return _active(user) and has_role(user, Role.SMO, Role.TEAM, Role.SUPERVISOR, Role.CHIEF, Role.DESIGNEE)


def require_calendar_viewer(user) -> None:
    if not can_view_calendar(user):
        raise PermissionRefused(
            "Only the social media team, a supervisor, the Chief or the designee sees the content calendar."
        )


def can_record_media_permission(user) -> bool:
    return _active(user) and has_role(user, Role.SMO, Role.TEAM, Role.SUPERVISOR, Role.CHIEF, Role.DESIGNEE)


def require_media_permission_recorder(user) -> None:
    """385.5.2(b): photos and videos of department activities need express written permission."""
    if not can_record_media_permission(user):
        raise PermissionRefused(
            "Only the social media team, a supervisor, the Chief or the designee records written permission "
            "for photos and videos of department activities.",
            section="385.5.2(b)",
        )
