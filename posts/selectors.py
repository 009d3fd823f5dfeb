"""Read queries the post pages share; each issues a fixed number of queries whatever the size."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q

from members.models import Role

from . import permissions
from .models import HELD_STATES, Channel, Incident, Post, PostRequest, Publication

User = get_user_model()


def users_with_roles(*roles) -> list:
    return list(User.objects.filter(is_active=True, groups__name__in=roles).distinct().order_by("username"))


def post_request_handlers() -> list:
    return users_with_roles(Role.SMO, Role.TEAM)


def posts_list(*, user, mine: bool = False, status: str = "", search: str = ""):
    posts = Post.objects.select_related("author", "incident").prefetch_related(
        Prefetch("channels", queryset=Channel.objects.only("pk", "name", "slug"))
    )
    if mine:
        posts = posts.filter(author=user)
    if status:
        posts = posts.filter(status=status)
    if search:
        posts = posts.filter(Q(title__icontains=search) | Q(body__icontains=search))
    return posts.order_by("-updated_at", "-pk")


def incident_updates(incident: Incident, *, viewer) -> list:
    """The updates `viewer` may read. The incident is shared and the request joined, so the check costs no query."""
    updates = (
        incident.updates.select_related("author", "approved_by", "request")
        .prefetch_related("channels")
        .order_by("update_number")
    )
    return [post for post in updates if permissions.can_read_incident_update(viewer, post)]


def publications_needing_attention(*, limit: int = 10) -> list:
    """Failed for good, or still retrying after PUBLISH_ATTENTION_ATTEMPTS, oldest first, with their post."""
    return list(
        Publication.objects.filter(
            Q(status=Publication.Status.FAILED)
            | Q(status=Publication.Status.PENDING, attempts__gte=settings.PUBLISH_ATTENTION_ATTEMPTS)
        )
        .select_related("post", "channel")
        .order_by("created_at", "pk")[:limit]
    )


def held_posts(*, limit: int = 10) -> list:
    """Posts stopped at the moment of sending and not sent since, newest first (385.3, 385.8)."""
    return list(
        Post.objects.filter(held_at__isnull=False, status__in=HELD_STATES)
        .select_related("author")
        .order_by("-held_at", "-pk")[:limit]
    )


def active_incidents():
    return list(
        Incident.objects.filter(status=Incident.Status.ACTIVE).select_related("commander", "social_media_officer")
    )


def open_post_requests():
    return PostRequest.objects.filter(status=PostRequest.Status.OPEN).select_related("requester").order_by("created_at")
