"""The content calendar: what is scheduled (approved, or awaiting approval, with a time to go out) and what was
published, by week or by month; and each member's private iCalendar feed of the same.

A feed's address carries a random token, shown once and stored as its SHA-256: calendar apps cannot log in, so the
address is the key. Making a new address revokes the old one; a member who no longer may see the calendar gets
nothing from theirs.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from core.audit import record_event
from core.errors import PermissionRefused
from members.permissions import is_chief_or_designee

from . import permissions
from .models import CalendarFeed, Channel, Post
from .publishing.limits import published_text

S = Post.Status
# Awaiting approval or approved, with a time: they will go out then unless something changes.
PENDING = (S.IN_REVIEW, S.APPROVED, S.SCHEDULED)
WEEK, MONTH = "week", "month"
FEED_PAST = timedelta(days=366)  # how far back a feed lists published posts
FEED_MAX_EVENTS = 2000
DESCRIPTION_CHARS = 200


# Reading the calendar -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    post: Post
    at: datetime  # when it goes (or went) out
    published: bool

    @property
    def day(self) -> date:
        return timezone.localdate(self.at)


@dataclass(frozen=True)
class Period:
    view: str
    anchor: date
    start: date  # first day shown
    end: date  # the day after the last one shown

    @classmethod
    def around(cls, view: str, anchor: date) -> "Period":
        if view == MONTH:
            first = anchor.replace(day=1)
            following = (first + timedelta(days=32)).replace(day=1)
            # Whole weeks, Monday to Sunday, so the month's grid has no holes.
            start = first - timedelta(days=first.weekday())
            end = following + timedelta(days=(7 - following.weekday()) % 7)
            return cls(MONTH, anchor, start, end)
        start = anchor - timedelta(days=anchor.weekday())
        return cls(WEEK, anchor, start, start + timedelta(days=7))

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days)]

    @property
    def weeks(self) -> list[list[date]]:
        days = self.days
        return [days[i : i + 7] for i in range(0, len(days), 7)]

    @property
    def previous(self) -> date:
        if self.view == MONTH:
            return (self.anchor.replace(day=1) - timedelta(days=1)).replace(day=1)
        return self.start - timedelta(days=7)

    @property
    def next(self) -> date:
        if self.view == MONTH:
            return (self.anchor.replace(day=1) + timedelta(days=32)).replace(day=1)
        return self.start + timedelta(days=7)

    def in_month(self, day: date) -> bool:
        return self.view != MONTH or (day.year, day.month) == (self.anchor.year, self.anchor.month)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _calendar_posts(*, since: datetime | None, until: datetime | None, channel=None, category: str = ""):
    window_scheduled, window_published = Q(), Q()
    if since is not None:
        window_scheduled &= Q(scheduled_for__gte=since)
        window_published &= Q(published_at__gte=since)
    if until is not None:
        window_scheduled &= Q(scheduled_for__lt=until)
        window_published &= Q(published_at__lt=until)
    posts = Post.objects.filter(
        (Q(status__in=PENDING, scheduled_for__isnull=False) & window_scheduled)
        | (Q(status=S.PUBLISHED, published_at__isnull=False) & window_published)
    ).prefetch_related(Prefetch("channels", queryset=Channel.objects.order_by("name")))
    if channel is not None:
        posts = posts.filter(channels=channel)
    if category:
        posts = posts.filter(category=category)
    return posts


def _entry(post: Post) -> Entry:
    published = post.status == S.PUBLISHED
    return Entry(post=post, at=post.published_at if published else post.scheduled_for, published=published)


def calendar_entries(*, period: Period, channel: Channel | None = None, category: str = "") -> list[Entry]:
    """The period's entries, earliest first: one query for the posts and one for their channels, whatever their
    number."""
    posts = _calendar_posts(
        since=_local_midnight(period.start), until=_local_midnight(period.end), channel=channel, category=category
    )
    return sorted((_entry(p) for p in posts), key=lambda e: (e.at, e.post.pk))


def entries_by_day(period: Period, entries: list[Entry]) -> dict[date, list[Entry]]:
    found = {day: [] for day in period.days}
    for entry in entries:
        if entry.day in found:
            found[entry.day].append(entry)
    return found


# Private feeds --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewFeed:
    feed: CalendarFeed
    token: str  # shown once; only its digest is kept

    @property
    def url(self) -> str:
        return feed_url(self.token)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("posts:calendar_feed_ics", kwargs={"token": token})


def live_feed(member) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(member=member, revoked_at__isnull=True).first()


def _revoke(feed: CalendarFeed, *, actor, why: str) -> None:
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    record_event(actor, "calendar_feed.revoked", feed, details={"member": feed.member.get_username(), "why": why})


@transaction.atomic
def create_calendar_feed(*, actor) -> NewFeed:
    """A member who may see the calendar makes their private feed address; any address they had stops working."""
    permissions.require_calendar_viewer(actor)
    # Lock the member's row so two clicks at once cannot leave two live feeds (the constraint would refuse one).
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    for old in CalendarFeed.objects.select_for_update().filter(member=actor, revoked_at__isnull=True):
        _revoke(old, actor=actor, why="replaced")
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(member=actor, prefix=token[:8], digest=_digest(token))
    feed.full_clean()
    feed.save()
    record_event(actor, "calendar_feed.created", feed, details={"member": actor.get_username()})
    return NewFeed(feed=feed, token=token)


@transaction.atomic
def revoke_calendar_feed(*, actor, feed: CalendarFeed) -> CalendarFeed:
    """The member stops their feed address (the Chief or designee may stop anyone's)."""
    if not (actor.is_active and (actor.pk == feed.member_id or is_chief_or_designee(actor))):
        raise PermissionRefused("Only the feed's member, or the Chief of Police or designee, revokes it.")
    feed = CalendarFeed.objects.select_for_update().select_related("member").get(pk=feed.pk)
    if feed.revoked_at is None:
        _revoke(feed, actor=actor, why="revoked")
    return feed


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed behind `token`, with last use brought up to date; None for an unknown or revoked token, or a
    member who no longer may see the calendar (the same answer, so an address reveals nothing)."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("member").filter(digest=_digest(token)).first()
    if feed is None or feed.revoked_at is not None or not permissions.can_view_calendar(feed.member):
        return None
    now = timezone.now()
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    feed.last_used_at = now
    return feed


def feed_calendar(feed: CalendarFeed) -> bytes:
    """The feed as iCalendar: one event per scheduled or published post, in UTC, with a stable UID per post."""
    host = urlsplit(settings.SITE_URL).hostname or "socialgov"
    calendar = Calendar()
    calendar.add("prodid", "-//socialgov//content calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Social media content calendar")
    posts = _calendar_posts(since=timezone.now() - FEED_PAST, until=None).order_by("-id")[:FEED_MAX_EVENTS]
    for entry in sorted((_entry(p) for p in posts), key=lambda e: (e.at, e.post.pk)):
        post = entry.post
        event = Event()
        event.add("uid", f"post-{post.pk}@{host}")
        event.add("dtstamp", post.updated_at.astimezone(UTC))
        event.add("dtstart", entry.at.astimezone(UTC))
        event.add("dtend", (entry.at + timedelta(minutes=15)).astimezone(UTC))
        event.add("summary", post.title)
        text = published_text(post.body, post.translation_body)
        if len(text) > DESCRIPTION_CHARS:
            text = text[: DESCRIPTION_CHARS - 1].rstrip() + "…"
        url = settings.SITE_URL + reverse("moderation:post_detail", kwargs={"pk": post.pk})
        channels = ", ".join(c.name for c in post.channels.all())
        event.add("description", f"{post.get_status_display()} · {channels}\n\n{text}\n\n{url}")
        event.add("url", url)
        event.add("categories", [post.get_category_display()])
        event.add("status", "TENTATIVE" if post.status == S.IN_REVIEW else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
