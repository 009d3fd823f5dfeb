"""Who may do what with channels, posts, guidelines, incidents and post requests."""

from members.models import Authorization, Role
from members.permissions import has_role

from .models import Post, PostRequest

STAFF_ROLES = (Role.SMO, Role.TEAM, Role.CHIEF, Role.DESIGNEE)
VIEW_ROLES = (Role.SMO, Role.TEAM, Role.CHIEF, Role.DESIGNEE, Role.SUPERVISOR, Role.REVIEWER, Role.CUSTODIAN)


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
    if post.incident_id and post.incident.commander_id == user.pk:
        return True
    return bool(post.request_id and post.request.requester_id == user.pk)


def can_edit_post(user, post: Post) -> bool:
    if not _active(user) or post.status not in Post.EDITABLE:
        return False
    return user.pk == post.author_id or has_role(user, *STAFF_ROLES, Role.SUPERVISOR)


def can_withdraw_post(user, post: Post) -> bool:
    terminal = {Post.Status.PUBLISHED, Post.Status.REMOVED, Post.Status.REJECTED, Post.Status.WITHDRAWN}
    return (
        _active(user)
        and post.status not in terminal
        and (user.pk == post.author_id or has_role(user, Role.SMO, Role.CHIEF, Role.DESIGNEE))
    )


def can_remove_from_public_view(user) -> bool:
    """385.5: the supervisor ensures inappropriate content is removed from public view."""
    return _active(user) and has_role(user, Role.SUPERVISOR, Role.CHIEF, Role.DESIGNEE, Role.SMO)


def can_manage_channels(user) -> bool:
    return _active(user) and has_role(user, Role.CHIEF, Role.DESIGNEE, Role.SMO)


def can_manage_guidelines(user) -> bool:
    """385.3: the Chief of Police may develop guidelines identifying the content that may be posted."""
    return _active(user) and has_role(user, Role.CHIEF, Role.DESIGNEE)


def can_manage_incidents(user) -> bool:
    return _active(user) and has_role(user, Role.SMO, Role.SUPERVISOR, Role.CHIEF, Role.DESIGNEE)


def can_handle_post_requests(user) -> bool:
    """385.3: requests go to the social media team representative."""
    return _active(user) and has_role(user, Role.SMO, Role.TEAM)


def can_view_post_request(user, request: PostRequest) -> bool:
    return _active(user) and (user.pk == request.requester_id or can_handle_post_requests(user))


def can_record_media_permission(user) -> bool:
    return _active(user) and has_role(user, Role.SMO, Role.TEAM, Role.SUPERVISOR, Role.CHIEF, Role.DESIGNEE)
