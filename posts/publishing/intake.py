"""What comes back from the channels: public comments (the website's form and platform fetches), views and
engagement figures."""

import html
import logging
import re
from datetime import datetime, timedelta

import nh3
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.audit import record_event
from core.errors import InvalidInput
from core.net import web_address

from ..models import Channel, Comment, Post, PostView, Publication, PublicationMetric
from ..signals import comment_received
from .base import AdapterError, Capability, adapter_for

log = logging.getLogger(__name__)

MAX_COMMENT_CHARS = 5000
# Views counted in Redis wait there at most this long for a flush (beat flushes every minute).
VIEW_COUNTER_TIMEOUT = 3 * 24 * 3600
MAX_NAME_CHARS = 100
# Characters that change how text is displayed without being visible: zero-width and bidirectional controls.
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u0000-\u0008\u000b\u000c\u000e-\u001f]"
)


def plain_text(value: str) -> str:
    """No markup survives: tags are dropped, entities decoded; invisible controls removed. Shown escaped."""
    cleaned = nh3.clean(value or "", tags=set(), attributes={}, strip_comments=True)
    return _INVISIBLE.sub("", html.unescape(cleaned)).strip()


# Where the comments of visitors whose address is not known are counted (a proxy that passed none).
UNKNOWN_ADDRESS = "unknown-address"


def visitor_key(ip: str | None, session_key: str | None) -> str:
    """Whom the comment form counts a comment against: the address; without one, the visitor's session within
    one bucket for every such visitor, so that a missing address never lifts the limit."""
    if ip:
        return ip
    return f"{UNKNOWN_ADDRESS}:{session_key or ''}"


def _rate_limited(visitor: str | None) -> bool:
    if not visitor:
        return False
    key = f"comment-rate:{visitor}:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > settings.COMMENT_RATE_PER_HOUR


@transaction.atomic
def receive_comment(
    *,
    channel: Channel,
    post: Post | None,
    author_name: str,
    text: str,
    author_email: str = "",
    ip: str | None = None,
    visitor: str | None = None,
    external_id: str = "",
    author_handle: str = "",
    url: str = "",
    created_at: datetime | None = None,
) -> Comment:
    """Store a public comment as plain text, screened and queued for the team (385.5.1). Its link is kept only if
    it is an http(s) address; the comment is kept either way. The website's form passes `visitor`
    (`visitor_key`), held to COMMENT_RATE_PER_HOUR; other callers without an external id are counted by `ip`."""
    if len(text or "") > MAX_COMMENT_CHARS * 4:
        raise InvalidInput(f"Comments are limited to {MAX_COMMENT_CHARS} characters.", field="text")
    name, body = plain_text(author_name)[:MAX_NAME_CHARS], plain_text(text)
    if not body:
        raise InvalidInput("Write a comment.", field="text")
    if len(body) > MAX_COMMENT_CHARS:
        raise InvalidInput(f"Comments are limited to {MAX_COMMENT_CHARS} characters.", field="text")
    if not name:
        raise InvalidInput("Give a name (it is shown with your comment).", field="author_name")
    if not external_id and _rate_limited(visitor or ip):
        raise InvalidInput("You have sent several comments in the last hour. Please try again later.", field="text")
    if post is not None and post.status != Post.Status.PUBLISHED:
        raise InvalidInput("This post is no longer open for comments.", field="text")
    visible = not channel.comments_require_review
    link = web_address(url)
    if url and not link:
        log.info("Dropped a link that is not an http(s) address from a comment on %s", channel.slug)
    comment = Comment(
        channel=channel,
        post=post,
        author_name=name,
        author_email=(author_email or "")[:254],
        author_handle=plain_text(author_handle)[:200],
        text=body,
        url=link[:500],
        ip=ip,
        external_id=external_id[:200],
        status=Comment.Status.VISIBLE if visible else Comment.Status.PENDING,
        created_at=created_at or timezone.now(),
    )
    comment.save()
    record_event(
        "anonymous",
        "comment.received",
        comment,
        details={"channel": channel.slug, "post": post.pk if post else None, "status": comment.status},
    )
    # Inside the transaction: moderation screens and queues it, or nothing is stored.
    comment_received.send(sender=Comment, comment=comment)
    return comment


def _add_views(post_id: int, day, views: int) -> None:
    updated = PostView.objects.filter(post_id=post_id, day=day).update(views=F("views") + views)
    if not updated:
        try:
            with transaction.atomic():
                PostView.objects.create(post_id=post_id, day=day, views=views)
        except IntegrityError:
            PostView.objects.filter(post_id=post_id, day=day).update(views=F("views") + views)


def _views_key(post_id: int, day) -> str:
    return f"public:views:{day.isoformat()}:{post_id}"


def count_view(post: Post) -> None:
    """One more view of the post today. With Redis the count goes to an atomic counter there, moved into the
    database by `flush_view_counts` every minute: during a reload storm every view of one post would otherwise
    update the same row, one after another. Without Redis (one machine, a file cache whose counters are not
    atomic) it goes straight to the database."""
    today = timezone.localdate()
    if settings.REDIS_URL:
        key = _views_key(post.pk, today)
        try:
            try:
                cache.incr(key)  # one round trip for every view but the day's first
            except ValueError:  # the day's first view of this post
                if not cache.add(key, 1, timeout=VIEW_COUNTER_TIMEOUT):
                    cache.incr(key)
            return
        except Exception:  # noqa: BLE001 - Redis away: count in the database rather than not at all
            log.warning("view counter unavailable; counting post %s in the database", post.pk)
    _add_views(post.pk, today, 1)


def flush_view_counts(*, days: int = 2) -> int:
    """Move the counted views of published posts from Redis into the database (today's and yesterday's, so the
    views of the minutes around midnight are not left behind). Each counter is decremented by what was read, so a
    view counted meanwhile stays for the next flush. Returns the views moved."""
    if not settings.REDIS_URL:
        return 0
    today = timezone.localdate()
    ids = list(Post.objects.filter(published_at__isnull=False).values_list("pk", flat=True))
    moved = 0
    for back in range(days):
        day = today - timedelta(days=back)
        keys = {_views_key(pk, day): pk for pk in ids}
        for key, count in cache.get_many(list(keys)).items():
            if not count:
                continue
            _add_views(keys[key], day, count)
            cache.decr(key, count)
            moved += count
    return moved


def fetch_platform_comments() -> int:
    """Pull new comments from every channel whose adapter can, and take them in like the website's own."""
    received = 0
    for channel in Channel.objects.filter(is_active=True):
        adapter = adapter_for(channel)
        if adapter is None or Capability.FETCH_COMMENTS not in adapter.capabilities:
            continue
        since = (
            Comment.objects.filter(channel=channel)
            .exclude(external_id="")
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        try:
            remote = adapter.fetch_comments(since)
        except AdapterError as error:
            log.warning("Fetching comments from %s failed: %s", channel.slug, error.code)
            continue
        by_external = {
            p.external_id: p.post
            for p in Publication.objects.filter(channel=channel).exclude(external_id="").select_related("post")
        }
        for item in remote:
            if Comment.objects.filter(channel=channel, external_id=item.external_id).exists():
                continue
            try:
                receive_comment(
                    channel=channel,
                    post=by_external.get(item.in_reply_to),
                    author_name=item.author_name or item.author_handle or "unknown",
                    text=item.text,
                    external_id=item.external_id,
                    author_handle=item.author_handle,
                    url=item.url,
                    created_at=item.created_at,
                )
                received += 1
            except InvalidInput as error:
                log.info("Skipped a comment from %s: %s", channel.slug, error.message)
    return received


def collect_metrics(*, days_back: int = 30) -> int:
    """Once a day: engagement per publication from adapters that can report it."""
    flush_view_counts()  # the website's reach is its views: those still counted in Redis first
    today = timezone.localdate()
    stored = 0
    recent = Publication.objects.filter(
        status=Publication.Status.PUBLISHED, published_at__gte=timezone.now() - timedelta(days=days_back)
    )
    for publication in recent.select_related("channel"):
        adapter = adapter_for(publication.channel)
        if adapter is None or Capability.FETCH_METRICS not in adapter.capabilities:
            continue
        try:
            metrics = adapter.fetch_metrics(publication.external_id)
        except AdapterError as error:
            log.warning("Metrics for publication %s failed: %s", publication.pk, error.code)
            continue
        PublicationMetric.objects.update_or_create(
            publication=publication,
            day=today,
            defaults={
                "reach": metrics.reach,
                "reactions": metrics.reactions,
                "shares": metrics.shares,
                "replies": metrics.replies,
                "raw": metrics.raw,
            },
        )
        stored += 1
    return stored
