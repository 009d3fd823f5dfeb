"""The figures of the annual review (385.6): one quarter of a department's social media use, built with the
product's services at set times, and every figure pinned against what was built for it."""

import json
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from freezegun import freeze_time

from members.services import grant_authorization, revoke_authorization
from moderation import monitoring, reports
from moderation import services as review
from moderation.models import ThreatAlert
from oversight import charts
from oversight.figures import compute_report, percentile, to_csv_rows
from posts import services as posts
from posts.models import Post, PostView, Publication, PublicationMetric
from posts.publishing.intake import receive_comment
from retention import disposition
from retention.holds import place_hold, release_hold
from retention.models import ClassificationRule, Record, RecordSeries, RetentionSchedule
from retention.public_records import close_request, log_request
from retention.services import capture_comment, capture_post, capture_removal, capture_report
from tests.factories import UserFactory, trained
from tests.posts.factories import draft

pytestmark = pytest.mark.django_db

START, END = date(2026, 4, 1), date(2026, 6, 30)
BEFORE_START, BEFORE_END = date(2025, 12, 31), date(2026, 3, 31)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def clock():
    """Everything, the fixtures included, happens on the department's clock from 1 March 2026, so the training
    and authorizations they record are current when the quarter's posts go out."""
    with freeze_time(local("2026-03-01 09:00")) as frozen:
        yield frozen


class Quarter:
    """The second quarter of 2026 (and a little of the first), as built by `quarter`."""


def _published(post: Post) -> Post:
    """The platforms' delivery runs after commit, which a test's transaction never reaches: record it as done."""
    post.refresh_from_db()
    for pub in Publication.objects.filter(post=post):
        Publication.objects.filter(pk=pub.pk).update(
            status=Publication.Status.PUBLISHED, published_at=post.published_at, external_id=f"ext-{pub.pk}"
        )
    capture_post(post.pk)
    return post


@pytest.fixture
def quarter(
    clock, settings, chief, smo, author, team, member, supervisor, supervisor2, commander, incident, channel,
    other_channel, custodian,
):  # fmt: skip
    settings.RECORDS_REQUEST_DAYS, settings.RECORDS_REQUEST_BUSINESS_DAYS = 10, False
    q = Quarter()
    at = clock.move_to

    cw026 = RecordSeries.objects.create(code="CW-026", title="Social media content")
    RetentionSchedule.objects.create(
        series=cw026, version=1, period=2, unit="years", trigger="publication", action="destroy",
        citation="City records schedule CW-026", approved_by=custodian,
    )  # fmt: skip
    transitory = RecordSeries.objects.create(
        code="TR-03", title="Transitory content", substantive=False, transitory_item="c"
    )
    RetentionSchedule.objects.create(
        series=transitory, version=1, period=90, unit="days", trigger="publication", action="destroy",
        citation="385.7(c)", approved_by=custodian,
    )  # fmt: skip
    for kind in ("post", "incident_update", "comment", "removed_comment"):
        ClassificationRule.objects.create(kind=kind, series=cw026, created_by=custodian)
    ClassificationRule.objects.create(kind="report", series=transitory, created_by=custodian)

    def publish(title, body, category, channels, *, submitted, decided, by, writer=author):
        at(local(submitted))
        post = draft(writer, channels, title=title, body=body, category=category)
        review.submit_for_review(actor=writer, post=post)
        at(local(decided))
        review.approve_post(actor=by, post=post)
        posts.publish_post(actor=writer, post=post)
        return _published(post)

    # The previous period: one post, its comment, its views and figures.
    q.p0 = publish(
        "Coffee with a cop", "Coffee with a cop on Friday at the library.", "community_outreach", [channel],
        submitted="2026-03-10 09:00", decided="2026-03-10 10:00", by=supervisor,
    )  # fmt: skip
    at(local("2026-03-12 10:00"))
    receive_comment(channel=channel, post=q.p0, author_name="Pat", text="Thanks for the update")

    # Authorizations changed in the quarter.
    at(local("2026-04-01 08:00"))
    q.team2 = trained(UserFactory(username="team2"), by=chief)
    q.team2.groups.add(Group.objects.get(name="Team Member"))
    at(local("2026-04-05 09:00"))
    team_auth = grant_authorization(actor=chief, member=team, channels=[channel])
    at(local("2026-04-10 08:00"))
    grant_authorization(actor=chief, member=q.team2, channels=[other_channel])
    at(local("2026-05-01 07:00"))
    revoke_authorization(actor=chief, authorization=team_auth, reason="Left the team")

    # Posts of the quarter: 1, 2, 3, 10 and 5 hours in review; one blocked by screening (4 hours to the decision).
    q.a = publish(
        "National Night Out", "Join us for National Night Out on August 4 at Miles Avenue Park.", "announcement",
        [channel, other_channel], submitted="2026-04-06 09:00", decided="2026-04-06 10:00", by=supervisor,
    )  # fmt: skip
    q.b = publish(
        "Lock your car", "Lock your car doors at night and keep valuables out of sight.", "crime_prevention",
        [channel], submitted="2026-04-07 09:00", decided="2026-04-07 11:00", by=supervisor,
    )  # fmt: skip
    q.c = publish(
        "Recruit academy", "Our recruit academy opens in May. Apply online today.", "announcement", [channel],
        submitted="2026-04-08 09:00", decided="2026-04-08 12:00", by=supervisor2,
    )  # fmt: skip
    q.d = publish(
        "Expect delays downtown", "Road work on Monroe Street this week: expect delays.", "traffic",
        [channel, other_channel], submitted="2026-04-09 09:00", decided="2026-04-09 19:00", by=supervisor2,
    )  # fmt: skip
    at(local("2026-04-10 09:00"))
    q.e = draft(author, [channel], title="Suspect named", body="The suspect's SSN is 123-45-6789.",
                category="community_outreach")  # fmt: skip
    review.submit_for_review(actor=author, post=q.e)
    at(local("2026-04-10 13:00"))
    review.request_changes(actor=supervisor, post=q.e, note="Remove the number (385.5(b)).")
    q.f = publish(
        "Join the department", "We are hiring dispatchers. Apply online today.", "recruitment", [other_channel],
        submitted="2026-04-12 09:00", decided="2026-04-12 14:00", by=supervisor, writer=q.team2,
    )  # fmt: skip

    # Two incident updates, approved by the commander in 10 and 30 minutes.
    q.updates = []
    for submitted, decided, text in (
        ("2026-04-20 09:00", "2026-04-20 09:10", "Evacuation update: Hwy 111 is closed between Avenue 50 and 52."),
        ("2026-04-21 09:00", "2026-04-21 09:30", "Shelter open at Indio High School."),
    ):
        at(local(submitted))
        update = draft(author, [channel], incident=incident, body=text, category="real_time_safety")
        review.submit_for_review(actor=author, post=update)
        at(local(decided))
        review.approve_post(actor=commander, post=update)
        q.updates.append(_published(update))

    # Public comments on D: a clean one, a personal attack, a threat, spam, an off-topic one.
    comments = {}
    for when, name, text in (
        ("2026-05-05 10:00", "c1", "Thanks for the update"),
        ("2026-05-06 10:00", "c2", "You are an idiot and a liar"),
        ("2026-05-07 10:00", "c3", "I will shoot the officers tomorrow"),
        ("2026-05-08 10:00", "c4", "Buy cheap watches at http://spam.example.com"),
        ("2026-05-09 10:00", "c5", "What about the football game?"),
    ):
        at(local(when))
        comments[name] = receive_comment(channel=channel, post=q.d, author_name="Visitor", text=text)
        capture_comment(comments[name].pk)
    q.comments = comments
    at(local("2026-05-07 10:30"))
    monitoring.acknowledge_alert(actor=smo, alert=ThreatAlert.objects.get(comment=comments["c3"]))
    at(local("2026-05-07 11:00"))
    monitoring.moderate_comment(actor=smo, comment=comments["c3"], action="remove", reason="threat")
    at(local("2026-05-08 12:00"))
    monitoring.moderate_comment(actor=smo, comment=comments["c4"], action="remove", reason="spam")
    at(local("2026-05-09 13:00"))
    monitoring.moderate_comment(actor=smo, comment=comments["c5"], action="hide", reason="off_topic")

    # Content reports: removed in 3 h and resolved in 48 h; closed as unfounded in 1 h; a comment removed in 1 h
    # and not yet investigated; a link left open; a post removed in 24 h and still under investigation.
    at(local("2026-05-01 08:00"))
    r1 = reports.file_report(actor=member, section="385.5(b)", description="Address shown", post=q.b)
    at(local("2026-05-01 11:00"))
    reports.remove_reported_content(actor=supervisor, report=r1, reason="Private address")
    capture_removal(q.b.pk)
    at(local("2026-05-02 08:00"))
    reports.start_investigation(
        actor=supervisor, report=r1, how_posted="Approved with the address unredacted", posted_by="smo",
        control_failed="Address rule was turned off",
    )  # fmt: skip
    at(local("2026-05-03 08:00"))
    reports.resolve_report(actor=supervisor, report=r1, resolution="Rule turned back on; SMO retrained")
    capture_report(r1.pk)

    at(local("2026-05-10 08:00"))
    r2 = reports.file_report(actor=member, section="385.5(d)", description="Looks unprofessional", post=q.c)
    at(local("2026-05-10 09:00"))
    reports.close_report(actor=supervisor, report=r2, outcome="unfounded", reason="It is an ordinary notice")

    at(local("2026-06-01 08:00"))
    r3 = reports.file_report(actor=member, section="385.5(a)", description="Insult", comment=comments["c2"])
    at(local("2026-06-01 09:00"))
    reports.remove_reported_content(actor=supervisor, report=r3, reason="Personal attack")
    for name in ("c2", "c3", "c4"):
        capture_comment(comments[name].pk, stage="removed")

    at(local("2026-06-15 09:00"))
    posts.remove_from_public_view(actor=supervisor, post=q.a, reason="Outdated information")
    capture_removal(q.a.pk)

    at(local("2026-06-20 08:00"))
    reports.file_report(actor=member, section="385.5(g)", description="Fake page", link="https://example.com/fake")
    at(local("2026-06-25 08:00"))
    r5 = reports.file_report(actor=member, section="385.5(e)", description="Unsafe detour", post=q.d)
    at(local("2026-06-26 08:00"))
    reports.remove_reported_content(actor=supervisor, report=r5, reason="Unsafe detour advice")
    capture_removal(q.d.pk)
    at(local("2026-06-27 08:00"))
    reports.start_investigation(
        actor=supervisor, report=r5, how_posted="Posted from a phone", posted_by="smo",
        control_failed="Address rule was turned off",
    )  # fmt: skip

    # A post still waiting for its decision when the quarter ends.
    at(local("2026-06-29 09:00"))
    q.g = draft(author, [channel], title="Summer safety", body="Never leave children or pets in a parked car.",
                category="crime_prevention")  # fmt: skip
    review.submit_for_review(actor=author, post=q.g)

    # Legal holds: one placed and released in the quarter, one still in force over D's record.
    at(local("2026-04-15 09:00"))
    h1 = place_hold(actor=custodian, matter="Claim 1", requested_by="City Attorney", reason="Claim",
                    keywords=["valuables out of sight"])  # fmt: skip
    at(local("2026-06-10 09:00"))
    release_hold(actor=custodian, hold=h1, reason="Claim settled")
    at(local("2026-06-02 09:00"))
    place_hold(actor=custodian, matter="Claim 2", requested_by="City Attorney", reason="Claim",
               keywords=["Monroe Street"])  # fmt: skip

    # Two records from 2023, past their retention, destroyed on 5 June.
    schedule = cw026.current_schedule()
    for i in (1, 2):
        content = {"legacy": i}
        Record.objects.create(
            kind="post", source_type="legacy.post", source_id=i, source_version="v1",
            captured_at=local("2023-01-02 09:00"), published_at=local("2023-01-02 09:00"), channel_slugs=["news"],
            title=f"Legacy {i}", text="Old notice", content=content, sha256=Record.hash_of(content),
            series=cw026, schedule=schedule,
        )  # fmt: skip
    at(local("2026-06-05 09:00"))
    batch_id = disposition.scan(as_of=date(2026, 6, 5), apply=True, actor=custodian)["batch"]
    batch = disposition.DispositionBatch.objects.get(pk=batch_id)
    for item in batch.items.all():
        disposition.decide(actor=custodian, item=item, approve=True)
    disposition.carry_out(actor=custodian, batch=batch)

    # Public-records requests: on time, late, on time on its due day in the evening, and two still open.
    for received, closed, fulfilled in (
        ("2026-04-01", "2026-04-10 15:00", True),
        ("2026-04-20", "2026-05-05 15:00", True),
        ("2026-05-01", "2026-05-11 20:00", False),
        ("2026-06-10", None, None),
        ("2026-06-28", None, None),
    ):
        at(local(f"{received} 09:00"))
        request = log_request(
            actor=custodian, requester="Press", description="Posts", received_on=date.fromisoformat(received)
        )
        if closed:
            at(local(closed))
            close_request(actor=custodian, request=request, fulfilled=fulfilled, note="Answered")

    # Engagement as the platforms report it: running totals, one row per publication per day.
    def metrics(post, ch, day, reach=None, reactions=None, shares=None, replies=None):
        PublicationMetric.objects.create(
            publication=Publication.objects.get(post=post, channel=ch), day=date.fromisoformat(day), reach=reach,
            reactions=reactions, shares=shares, replies=replies,
        )  # fmt: skip

    metrics(q.p0, channel, "2026-03-20", 100, 10, 0, 2)
    metrics(q.p0, channel, "2026-04-15", 150, 14, 1, 2)
    metrics(q.a, other_channel, "2026-04-07", None, 20, 5, 3)
    metrics(q.a, other_channel, "2026-05-01", None, 30, 6, 4)
    metrics(q.a, other_channel, "2026-05-20", None, 28, 6, 4)  # an "unlike": the total never counts down
    metrics(q.a, other_channel, "2026-07-05", None, 100, 9, 9)  # after the quarter
    metrics(q.d, other_channel, "2026-04-10", None, 5, 0, 1)
    metrics(q.d, other_channel, "2026-06-30", None, 9, 2, 1)
    metrics(q.f, other_channel, "2026-04-13", None, 1, 0, 0)
    metrics(q.a, channel, "2026-04-06", 10)
    metrics(q.a, channel, "2026-06-01", 25)
    metrics(q.b, channel, "2026-04-08", 5)
    for post, day, views in ((q.p0, "2026-03-11", 40), (q.p0, "2026-04-02", 10), (q.a, "2026-04-06", 30),
                             (q.a, "2026-05-15", 20), (q.b, "2026-06-01", 5)):  # fmt: skip
        PostView.objects.create(post=post, day=date.fromisoformat(day), views=views)

    at(local("2026-07-02 09:00"))
    q.people = {u.username: u.get_full_name() or u.username for u in (smo, q.team2, supervisor, supervisor2)}
    return q


def sections(data):
    return {s["key"]: s for s in data["sections"]}


def figures(data, key):
    return {f["key"]: f["value"] for f in sections(data)[key]["figures"]}


def rows(data, key, table):
    return next(t for t in sections(data)[key]["tables"] if t["key"] == table)["rows"]


@pytest.fixture
def report(quarter):
    calls = []
    data = compute_report(START, END, progress=lambda done, total, label: calls.append((done, total, label)))
    data["_progress"] = calls
    return data


def test_the_period_and_its_comparison_period(report):
    assert report["period"] == {
        "start": "2026-04-01",
        "end": "2026-06-30",
        "comparison_start": BEFORE_START.isoformat(),
        "comparison_end": BEFORE_END.isoformat(),
    }
    assert [s["heading"] for s in report["sections"]] == [
        "Resources being used",
        "Effectiveness of the content",
        "Unauthorized or inappropriate content",
        "Resolution of issues",
        "Records",
    ]
    assert [s["section"] for s in report["sections"]] == ["385.6"] * 4 + ["385.7"]
    calls = report.pop("_progress")
    assert [c[:2] for c in calls] == [(i, 7) for i in range(1, 8)]
    json.dumps(report)  # stored in a JSONField as it is


def test_resources(report, quarter):
    f = figures(report, "resources")
    assert f["active_channels"] == 2
    assert (f["authorized_members"], f["authorizations_granted"], f["authorizations_revoked"]) == (2, 2, 1)
    assert (f["posts_published"], f["incident_updates"]) == (7, 2)
    # Supervisor route 1, 2, 3, 4, 5, 10 h; incident route 10 and 30 min.
    assert (f["review_decisions"], f["review_median_hours"], f["review_p90_hours"]) == (8, 2.5, 6.5)
    assert (f["incident_approval_median_minutes"], f["incident_approval_p90_minutes"]) == (20.0, 28.0)
    assert rows(report, "resources", "authorized_by_channel") == [
        ["Department website", 1, 1, 1, 0, 6],
        ["Facebook page", 2, 1, 0, 0, 3],
    ]
    people = quarter.people
    assert rows(report, "resources", "posts_by_member") == [[people["smo"], 6, 2], [people["team2"], 1, 0]]
    assert rows(report, "resources", "posts_by_category") == [
        ["Announcements and event advertisements — 385.4(a)", 2],
        ["Crime prevention tips and information — 385.4(b)", 1],
        ["Real-time safety information — 385.4(e)", 2],
        ["Traffic information — 385.4(f)", 1],
        ["Recruitment of personnel — 385.4(h)", 1],
    ]
    assert rows(report, "resources", "review_time_by_route") == [
        ["Incident Commander (385.4.1)", 2, 0.3, 0.5],
        ["Supervisor queue (385.3)", 6, 3.5, 7.5],
    ]
    assert rows(report, "resources", "review_load") == [
        [people["supervisor"], 3, 1, 0, 4, 3.0],
        [people["supervisor2"], 2, 0, 0, 2, 6.5],
    ]
    assert rows(report, "resources", "incident_updates") == [["Brush fire", 2, 2, 20.0, 28.0]]


def test_effectiveness(report, quarter):
    f = figures(report, "effectiveness")
    assert (f["reach"], f["engagement"], f["website_views"]) == (80, 58, 65)
    assert f["engagement_change_percent"] == 383.3
    assert rows(report, "effectiveness", "engagement_by_channel") == [
        ["Facebook page", 0, 40, 8, 5, 53],
        ["Department website", 80, 4, 1, 0, 5],
    ]
    assert rows(report, "effectiveness", "engagement_by_category") == [
        ["Announcements and event advertisements — 385.4(a)", 25, 30, 6, 4, 40],
        ["Crime prevention tips and information — 385.4(b)", 5, 0, 0, 0, 0],
        ["Traffic information — 385.4(f)", 0, 9, 2, 1, 12],
        ["Recruitment of personnel — 385.4(h)", 0, 1, 0, 0, 1],
        ["Community outreach — 385.4(i)", 50, 4, 1, 0, 5],
    ]
    assert rows(report, "effectiveness", "engagement_by_month") == [
        ["2026-04", 65, 30, 6, 4, 40],
        ["2026-05", 0, 10, 1, 1, 12],
        ["2026-06", 15, 4, 2, 0, 6],
    ]
    top = rows(report, "effectiveness", "top_posts")
    assert [(r[0], r[1], r[3], r[4]) for r in top] == [
        ("National Night Out", "2026-04-06", 25, 40),
        ("Expect delays downtown", "2026-04-09", 0, 12),
        ("Join the department", "2026-04-12", 0, 1),
        ("Lock your car", "2026-04-07", 5, 0),
    ]
    assert [r[0] for r in rows(report, "effectiveness", "bottom_posts")] == [
        "Lock your car",
        "Join the department",
        "Expect delays downtown",
        "National Night Out",
    ]
    assert rows(report, "effectiveness", "website_views_by_month") == [["2026-04", 40], ["2026-05", 20], ["2026-06", 5]]
    assert rows(report, "effectiveness", "most_viewed") == [
        ["National Night Out", 50],
        ["Coffee with a cop", 10],
        ["Lock your car", 5],
    ]
    assert rows(report, "effectiveness", "comparison") == [
        ["Posts published", 7, 1, 600.0],
        ["Publications (a post on one channel)", 9, 1, 800.0],
        ["Reach", 80, 100, -20.0],
        ["Reactions", 44, 10, 340.0],
        ["Shares", 9, 0, None],
        ["Replies", 5, 2, 150.0],
        ["Engagement (reactions + shares + replies)", 58, 12, 383.3],
        ["Website page views", 65, 40, 62.5],
        ["Public comments received", 5, 1, 400.0],
    ]


def test_inappropriate_content(report):
    f = figures(report, "inappropriate")
    assert (f["screening_findings"], f["posts_blocked"], f["posts_stopped_at_sending"]) == (1, 1, 0)
    assert (f["posts_removed"], f["comments_removed"], f["comments_hidden"]) == (3, 3, 1)
    assert (f["comments_flagged"], f["content_reports"], f["threat_alerts"]) == (3, 5, 1)
    assert rows(report, "inappropriate", "findings_by_rule") == [["pii.ssn", "385.5(b)", 1, 1, 1, 0]]
    assert rows(report, "inappropriate", "comment_findings_by_rule") == [
        ["comment.personal_attack", "385.5.1(a)", 1],
        ["comment.spam", "385.5.1(a)", 1],
        ["comment.threat", "385.5.1", 1],
    ]
    assert rows(report, "inappropriate", "post_removals_by_reason") == [
        ["385.5(b) Violates individual rights, confidentiality or privacy", 1],
        ["385.5(e) Could compromise the safety of operations, members, victims, suspects or the public", 1],
        ["Removed without a content report (reason recorded on the post)", 1],
    ]
    assert rows(report, "inappropriate", "comment_removals_by_reason") == [
        ["Off-topic", 0, 1],
        ["Personal attack", 1, 0],
        ["Threat", 1, 0],
        ["Spam", 1, 0],
    ]
    assert [r[1] for r in rows(report, "inappropriate", "reports_by_section")] == [1, 1, 1, 1, 1]
    assert rows(report, "inappropriate", "reports_by_cause") == [
        ["Approved with the address unredacted", 1],
        ["Posted from a phone", 1],
    ]
    assert rows(report, "inappropriate", "reports_by_control") == [["Address rule was turned off", 2]]
    assert rows(report, "inappropriate", "threats_by_channel") == [["Department website", 1]]


def test_resolution(report):
    f = figures(report, "resolution")
    # Report to removal 3, 1 and 24 hours; to resolution 48 and 1 hours.
    assert (f["report_to_removal_median_hours"], f["report_to_removal_p90_hours"]) == (3.0, 19.8)
    assert (f["report_to_resolution_median_hours"], f["report_to_resolution_p90_hours"]) == (24.5, 43.3)
    assert (f["reports_resolved"], f["open_at_end"]) == (2, 6)
    assert rows(report, "resolution", "report_times") == [
        ["Report to removal from public view", 3, 3.0, 19.8],
        ["Report to resolution or closing", 2, 24.5, 43.3],
    ]
    assert rows(report, "resolution", "reports_by_outcome") == [
        ["Closed without removal: unfounded", 1, 1.0, 1.0],
        ["Removed, cause investigated, resolved", 1, 48.0, 48.0],
    ]
    # Comments removed 1 h, 2 h and 623 h after they arrived.
    assert rows(report, "resolution", "other_response_times") == [
        ["Threat alert to acknowledgement (minutes)", 1, 30.0, 30.0],
        ["Public comment to its removal (hours)", 3, 2.0, 498.8],
    ]
    assert rows(report, "resolution", "open_at_end") == [
        ["Content reports awaiting removal of the content", 1],
        ["Content reports whose cause is not yet investigated", 1],
        ["Content reports under investigation", 1],
        ["Threat alerts not yet acknowledged", 0],
        ["Posts awaiting a review decision", 1],
        ["Public-records requests open", 2],
        ["Public-records requests open and past their due date", 1],
        ["Legal holds in force", 1],
    ]
    assert "previous_recommendations" not in [t["key"] for t in sections(report)["resolution"]["tables"]]


def test_records(report):
    f = figures(report, "records")
    assert f["records_captured"] == 19
    assert (f["holds_placed"], f["holds_released"], f["holds_in_force"], f["records_held"]) == (2, 1, 1, 1)
    assert (f["records_destroyed"], f["records_transferred"]) == (2, 0)
    assert (f["requests_received"], f["requests_on_time"], f["requests_late"]) == (5, 2, 1)
    assert rows(report, "records", "records_by_series") == [
        ["CW-026 Social media content", 18],
        ["TR-03 Transitory content", 1],
    ]
    assert rows(report, "records", "records_by_kind") == [
        ["Post", 8],
        ["Incident update", 2],
        ["Comment", 5],
        ["Removed comment", 3],
        ["Content report", 1],
    ]
    assert rows(report, "records", "requests") == [["Fulfilled", 1, 1], ["Closed without release", 1, 0]]


def test_the_comparison_period_counts_only_its_own_days(quarter):
    data = compute_report(BEFORE_START, BEFORE_END)
    assert data["period"]["comparison_end"] == "2025-12-30"
    assert figures(data, "resources")["posts_published"] == 1
    assert (figures(data, "effectiveness")["engagement"], figures(data, "effectiveness")["website_views"]) == (12, 40)
    assert figures(data, "inappropriate")["content_reports"] == 0


def test_the_previous_reports_recommendations_and_what_became_of_each(quarter):
    previous = {
        "recommendations": [
            {"text": "Keep the address rule on", "follow_up": "Turned off in April; back on since 3 May"},
            {"text": "Train every new team member", "follow_up": None},
        ]
    }
    data = compute_report(START, END, previous=previous)
    t = next(t for t in sections(data)["resolution"]["tables"] if t["key"] == "previous_recommendations")
    assert t["title"] == "Recommendations of the previous report and what became of each"
    assert t["columns"] == ["Recommendation", "What became of it"]
    assert t["rows"] == [
        ["Keep the address rule on", "Turned off in April; back on since 3 May"],
        ["Train every new team member", ""],
    ]


def test_the_csv_has_every_figure_and_every_cell(report):
    report.pop("_progress")
    csv_rows = list(to_csv_rows(report))
    assert csv_rows[0] == ["section", "item", "row", "column", "value"]
    body = csv_rows[1:]
    expected = sum(
        len(s["figures"]) + sum(len(r) - 1 for t in s["tables"] for r in t["rows"]) for s in report["sections"]
    )
    assert len(body) == expected
    assert ["resources", "review_p90_hours", "90th percentile of time in review (hours)", "value", 6.5] in body
    assert ["records", "records_by_series", "CW-026 Social media content", "Records captured", 18] in body
    assert ["effectiveness", "comparison", "Shares", "Change (%)", ""] in body
    assert all(len(r) == 5 for r in body)


def test_charts_are_accessible_small_and_the_same_every_time(report):
    charted = [t for s in report["sections"] for t in s["tables"] if t["chart"]]
    assert {t["chart"] for t in charted} == {"bar", "line"}
    for t in charted:
        root = ET.fromstring(t["svg"])
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.get("role") == "img" and root.get("aria-label") == t["summary"]
        assert root.find("{http://www.w3.org/2000/svg}title").text == t["summary"]
        assert len(t["svg"]) < 60_000 and '<path id="DejaVu' not in t["svg"]
        assert charts.svg(t) == t["svg"]
    by_channel = next(t for t in charted if t["key"] == "engagement_by_channel")
    assert "Facebook page (53)" in by_channel["summary"] and "Department website (5)" in by_channel["summary"]
    by_month = next(t for t in charted if t["key"] == "engagement_by_month")
    assert by_month["summary"] == (
        "Engagement and reach by month, engagement from 2026-04 to 2026-06: highest in 2026-04 (40), lowest in 2026-06 (6)."
    )
    assert compute_report(START, END)["sections"] == [{**s} for s in report["sections"]]


def test_a_table_without_rows_has_no_chart(db):
    data = compute_report(START, END)
    empty = next(t for t in sections(data)["effectiveness"]["tables"] if t["key"] == "engagement_by_channel")
    assert (empty["rows"], empty["chart"], empty["svg"]) == ([], None, "")
    assert empty["summary"] == "Engagement and reach by channel: nothing in the period."
    assert charts.svg({**empty, "chart": "bar"}) == ""


def test_percentile_interpolates_like_percentile_cont():
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 10.0]
    assert (percentile(values, 0.5), percentile(values, 0.9)) == (3.5, 7.5)
    assert percentile([], 0.5) is None and percentile([7.0], 0.9) == 7.0
    assert timedelta(hours=1).total_seconds() == 3600
