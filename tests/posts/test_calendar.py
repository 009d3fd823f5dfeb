"""The content calendar (scheduled and published posts by week and month) and each member's private iCalendar feed."""

import hashlib
import re
from datetime import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time
from icalendar import Calendar

from core.models import AuditEvent
from moderation import services as review
from posts import services as posts
from posts.models import CalendarFeed, Post
from tests.factories import ChannelFactory
from tests.posts.factories import draft

pytestmark = pytest.mark.django_db
S = Post.Status


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def clock():
    """Monday 6 April 2026, 09:00 at the department."""
    with freeze_time(local("2026-04-06 09:00")) as frozen:
        yield frozen


@pytest.fixture
def x(db):
    return ChannelFactory(name="X account", slug="x", kind="x")


def approved(author, supervisor, channels, **fields):
    post = draft(author, channels, **fields)
    submitted = review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post, acknowledge=[f.pk for f in submitted.findings.all()])
    post.refresh_from_db()
    return post


@pytest.fixture
def plan(author, supervisor, channel, x):
    """A week's posts: published Monday, scheduled Wednesday (X), awaiting approval Thursday, a draft with a time
    (not on the calendar), a withdrawn one (not either), and one scheduled the week after."""
    road = approved(author, supervisor, [channel], title="Road closure on Jackson", category="traffic")
    road = posts.publish_post(actor=author, post=road)
    rodeo = approved(author, supervisor, [channel, x], title="Bike rodeo", scheduled_for=local("2026-04-08 10:30"))
    coffee = draft(author, [channel], title="Coffee with a cop", scheduled_for=local("2026-04-09 08:00"))
    review.submit_for_review(actor=author, post=coffee)
    draft(author, [channel], title="Idea for a draft", scheduled_for=local("2026-04-07 12:00"))
    gone = draft(author, [channel], title="Withdrawn notice", scheduled_for=local("2026-04-07 13:00"))
    posts.withdraw_post(actor=author, post=gone, reason="Not needed")
    later = approved(author, supervisor, [x], title="Senior scam talk", scheduled_for=local("2026-04-15 18:00"))
    return {"road": road, "rodeo": rodeo, "coffee": coffee, "later": later}


def day_section(page: str, day: str) -> str:
    """The phone list's section for one day (YYYY-MM-DD)."""
    start = page.index(f'id="day-{day}"')
    return page[start : page.index("</section>", start)]


def test_the_week_shows_scheduled_and_published_posts_on_their_days(signed_in, smo, plan):
    page = signed_in(smo).get("/calendar/")
    assert page.status_code == 200
    html = page.content.decode()

    assert "Week of 6 April 2026" in html
    monday, wednesday, thursday = (day_section(html, d) for d in ("2026-04-06", "2026-04-08", "2026-04-09"))
    assert "Road closure on Jackson" in monday and "Published" in monday and "09:00" in monday
    assert "Bike rodeo" in wednesday and "10:30" in wednesday and "X account" in wednesday
    assert "Scheduled" in wednesday and "Announcements" in wednesday
    assert "Coffee with a cop" in thursday and "In review" in thursday
    assert f'href="/posts/{plan["rodeo"].pk}/"' in wednesday
    for absent in ("Idea for a draft", "Withdrawn notice", "Senior scam talk"):
        assert absent not in html
    # The wide screens' grid has a column header per weekday.
    assert '<th scope="col">Wednesday 8 April</th>' in html


def test_the_month_and_its_neighbours(signed_in, smo, plan):
    client = signed_in(smo)
    html = client.get("/calendar/", {"view": "month", "date": "2026-04-20"}).content.decode()
    assert "April 2026" in html
    assert "Senior scam talk" in day_section(html, "2026-04-15")
    assert "Bike rodeo" in day_section(html, "2026-04-08")
    assert "?view=month&amp;date=2026-03-01" in html and "?view=month&amp;date=2026-05-01" in html
    assert '<th scope="col">Monday</th>' in html

    next_week = client.get("/calendar/", {"date": "2026-04-13"}).content.decode()
    assert "Senior scam talk" in next_week and "Bike rodeo" not in next_week
    assert "?view=week&amp;date=2026-04-06" in next_week and "?view=week&amp;date=2026-04-20" in next_week


def test_filters_by_channel_and_category(signed_in, smo, plan):
    client = signed_in(smo)
    on_x = client.get("/calendar/", {"channel": "x"}).content.decode()
    assert "Bike rodeo" in on_x and "Road closure on Jackson" not in on_x and "Coffee with a cop" not in on_x

    traffic = client.get("/calendar/", {"category": "traffic"}).content.decode()
    assert "Road closure on Jackson" in traffic and "Bike rodeo" not in traffic
    # The filter form is labelled.
    assert (
        '<label for="id_channel">Channel</label>' in traffic and '<label for="id_category">Category</label>' in traffic
    )

    # What does not parse is left out, and the rest still applies.
    odd = client.get("/calendar/", {"channel": "nope", "date": "not-a-date", "view": "year"})
    assert odd.status_code == 200 and "Week of 6 April 2026" in odd.content.decode()


@pytest.mark.parametrize("who", ["member", "custodian"])
def test_others_may_not_see_the_calendar(signed_in, request, who, plan):
    client = signed_in(request.getfixturevalue(who))
    answer = client.get("/calendar/")
    assert answer.status_code == 403 and "Bike rodeo" not in answer.content.decode()
    assert client.get("/calendar/feed/").status_code == 403


def test_the_team_supervisors_and_the_chief_see_it_and_the_navigation_says_so(signed_in, team, supervisor, chief):
    for member in (team, supervisor, chief):
        page = signed_in(member).get("/calendar/")
        assert page.status_code == 200 and 'href="/calendar/" aria-current="page">Calendar</a>' in page.content.decode()


def test_the_calendar_needs_login(client):
    answer = client.get("/calendar/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def count_queries(client, path="/calendar/", **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, params).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_posts(signed_in, smo, author, supervisor, channel, x):
    client = signed_in(smo)
    approved(author, supervisor, [channel, x], title="First", scheduled_for=local("2026-04-08 10:00"))
    client.get("/calendar/")  # warm the caches that live across requests
    one = count_queries(client, view="month")
    for n in range(5):
        approved(author, supervisor, [channel, x], title=f"Post {n}", scheduled_for=local(f"2026-04-{10 + n} 10:00"))
    assert count_queries(client, view="month") == one
    # Session (read, then saved in a savepoint), member, second factor and roles; the posts and their channels;
    # the navigation's own reads (6); the channels for the filter: pinned so a query added per post or per day
    # shows up here.
    assert one == PINNED_QUERIES


PINNED_QUERIES = 16


# The private feed -------------------------------------------------------------------------------------------------


def create_feed(client) -> str:
    page = client.post("/calendar/feed/", {"action": "create"})
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    html = page.content.decode()
    assert "it is shown only once" in html
    [url] = re.findall(r'value="(https?://[^"]+/calendar/feed/[^"]+\.ics)"', html)
    return url.split("/calendar/feed/")[1][: -len(".ics")]


def test_a_member_creates_a_feed_whose_token_is_shown_once_and_audited_without_it(signed_in, smo):
    client = signed_in(smo)
    token = create_feed(client)

    feed = CalendarFeed.objects.get(member=smo, revoked_at__isnull=True)
    assert feed.digest == hashlib.sha256(token.encode()).hexdigest() and token.startswith(feed.prefix)
    again = client.get("/calendar/feed/").content.decode()
    assert token not in again and f"{feed.prefix}…" in again
    event = AuditEvent.objects.get(verb="calendar_feed.created")
    assert event.actor_id == smo.pk
    assert token not in str(event.details) and token not in event.object_repr


def test_the_feed_holds_the_scheduled_post_on_its_day_in_utc(client, signed_in, smo, plan):
    token = create_feed(signed_in(smo))

    answer = client.get(f"/calendar/feed/{token}.ics")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/calendar")
    assert answer["Cache-Control"] == "private, no-store"
    calendar = Calendar.from_ical(answer.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Road closure on Jackson", "Bike rodeo", "Coffee with a cop", "Senior scam talk"}
    rodeo = events["Bike rodeo"]
    start = rodeo.decoded("dtstart")
    assert start == local("2026-04-08 10:30") and start.utcoffset().total_seconds() == 0
    assert b"DTSTART:20260408T173000Z" in answer.content
    assert timezone.localdate(start) == local("2026-04-08 00:00").date()
    assert str(rodeo["uid"]) == f"post-{plan['rodeo'].pk}@127.0.0.1"
    assert f"/posts/{plan['rodeo'].pk}/" in str(rodeo["description"])
    assert events["Road closure on Jackson"].decoded("dtstart") == plan["road"].published_at

    # The same post keeps its UID, so calendar apps update the event rather than add another.
    again = Calendar.from_ical(client.get(f"/calendar/feed/{token}.ics").content)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == {str(e["uid"]) for e in events.values()}
    assert CalendarFeed.objects.get(member=smo).last_used_at is not None


def test_the_description_is_short(client, signed_in, smo, author, supervisor, channel):
    approved(author, supervisor, [channel], title="Long", body="Word " * 200, scheduled_for=local("2026-04-08 10:00"))
    token = create_feed(signed_in(smo))
    [event] = Calendar.from_ical(client.get(f"/calendar/feed/{token}.ics").content).walk("VEVENT")
    text = str(event["description"]).split("\n\n")[1]
    assert len(text) <= 200 and text.endswith("…")


def test_a_revoked_feed_is_404(client, signed_in, smo):
    member_client = signed_in(smo)
    token = create_feed(member_client)
    feed = CalendarFeed.objects.get(member=smo)

    member_client.post("/calendar/feed/", {"action": "revoke", "feed": feed.pk})

    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404
    assert AuditEvent.objects.filter(verb="calendar_feed.revoked", object_id=str(feed.pk)).exists()
    assert client.get("/calendar/feed/not-a-token.ics").status_code == 404


def test_a_new_address_stops_the_old_one(client, signed_in, smo):
    member_client = signed_in(smo)
    old = create_feed(member_client)
    new = create_feed(member_client)

    assert client.get(f"/calendar/feed/{old}.ics").status_code == 404
    assert client.get(f"/calendar/feed/{new}.ics").status_code == 200
    assert CalendarFeed.objects.filter(member=smo, revoked_at__isnull=True).count() == 1


def test_a_member_who_lost_their_role_gets_nothing_from_their_feed(client, signed_in, team):
    token = create_feed(signed_in(team))
    team.groups.remove(Group.objects.get(name="Team Member"))

    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_nobody_revokes_another_members_feed_from_the_page(signed_in, smo, team):
    create_feed(signed_in(smo))
    feed = CalendarFeed.objects.get(member=smo)

    answer = signed_in(team).post("/calendar/feed/", {"action": "revoke", "feed": feed.pk})

    assert answer.status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None and not AuditEvent.objects.filter(verb="calendar_feed.revoked").exists()
