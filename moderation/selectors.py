"""Reads the review pages share: the queue (constant queries at any size), the diff base for a reviewer."""

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from members.permissions import has_role
from posts.models import Channel, Post

from .models import Review, ReviewComment, ReviewFinding
from .permissions import REVIEWER_ROLES


def review_queue_for(user, *, channel: str = "", category: str = "", incident: str = ""):
    """Posts awaiting `user`'s decision, oldest submission first."""
    pending = Review.objects.filter(post=OuterRef("pk"), status=Review.Status.PENDING)
    posts = (
        Post.objects.filter(status=Post.Status.IN_REVIEW)
        .select_related("author", "incident")
        .prefetch_related(Prefetch("channels", queryset=Channel.objects.only("pk", "name", "slug")))
        .annotate(
            review_id=Subquery(pending.values("pk")[:1]),
            flags=Count(
                "reviews__findings",
                filter=Q(reviews__status=Review.Status.PENDING) & ~Q(reviews__findings__severity="info"),
                distinct=True,
            ),
            blocks=Count(
                "reviews__findings",
                filter=Q(reviews__status=Review.Status.PENDING) & Q(reviews__findings__severity="block"),
                distinct=True,
            ),
        )
    )
    approves = Q(incident__commander=user) | Q(incident__backup_approver=user)
    if has_role(user, *REVIEWER_ROLES):
        posts = posts.filter(Q(incident__isnull=True) | approves)
    else:
        posts = posts.filter(approves)
    posts = posts.exclude(author=user)
    if channel:
        posts = posts.filter(channels__slug=channel)
    if category:
        posts = posts.filter(category=category)
    if incident:
        posts = posts.filter(incident_id=incident)
    return posts.order_by(F("submitted_at").asc(nulls_last=True), "pk")


def review_page_data(post: Post, user) -> dict:
    reviews = list(
        Review.objects.filter(post=post)
        .select_related("submitted_by", "decided_by")
        .prefetch_related(
            Prefetch(
                "findings", queryset=ReviewFinding.objects.select_related("acknowledged_by", "exception__cleared_by")
            ),
            Prefetch("comments", queryset=ReviewComment.objects.select_related("author")),
        )
        .order_by("-submitted_at", "-pk")
    )
    pending = next((r for r in reviews if r.status == Review.Status.PENDING), None)
    latest = pending or (reviews[0] if reviews else None)
    return {"reviews": reviews, "pending": pending, "latest": latest, "diff_base": diff_base_for(post, user, reviews)}


def diff_base_for(post: Post, user, reviews):
    """The revision `user` last approved or commented on, to show what changed since."""
    touched = []
    for review in reviews:
        if review.decided_by_id == user.pk or any(c.author_id == user.pk for c in review.comments.all()):
            touched.append(review)
    if not touched:
        return None
    base = touched[0]
    if base.post_history_id is None:
        return None
    return post.history.filter(history_id=base.post_history_id).first()


def age(moment) -> str:
    if moment is None:
        return ""
    minutes = int((timezone.now() - moment).total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // 1440} days"
