"""Monitoring public comments and handling reports of inappropriate content (385.5, 385.5.1)."""

import pytest
from django.core import mail

from core.errors import InvalidInput, InvalidTransition, PermissionRefused
from core.models import AuditEvent
from moderation import services as review
from moderation.models import ContentReport, ThreatAlert
from moderation.monitoring import acknowledge_alert, moderate_comment, open_alerts
from moderation.reports import file_report, remove_reported_content, resolve_report, start_investigation
from posts import services as posts
from posts.models import Comment, Post
from posts.publishing.intake import receive_comment
from tests.posts.factories import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_post(author, channel, supervisor, django_capture_on_commit_callbacks):
    post = draft(author, [channel])
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=post)
    post.refresh_from_db()
    return post


def comment(post, text, **kw):
    return receive_comment(
        channel=post.channels.get(),
        post=post,
        author_name=kw.pop("name", "Visitor"),
        text=text,
        ip=kw.pop("ip", None),
        **kw,
    )


@pytest.mark.policy("385.5.1")
class TestThreats:
    def test_threat_raises_an_alert_and_emails_smo_and_supervisors(
        self, live_post, author, supervisor, signed_in, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            threat = comment(live_post, "I am going to shoot the officers at the station tomorrow")
        alert = ThreatAlert.objects.get(comment=threat)
        assert threat.screening.escalated and threat.screening.severity_rank == 3
        recipients = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("THREAT"))
        assert recipients == ["smo@police.example.gov", "supervisor@police.example.gov"]
        assert "shoot the officers" in mail.outbox[0].body
        page = signed_in(author).get("/").content.decode()
        assert "Threat in a public comment" in page and f"/monitoring/comments/{threat.pk}/" in page
        acknowledge_alert(actor=author, alert=alert)
        assert "Threat in a public comment" not in signed_in(supervisor).get("/").content.decode()
        assert list(open_alerts()) == []

    def test_ordinary_comment_raises_nothing(self, live_post):
        comment(live_post, "Thanks for keeping us informed about the road work.")
        assert not ThreatAlert.objects.exists()

    def test_removing_a_threat_keeps_it_whole_as_a_record(self, live_post, author):
        threat = comment(live_post, "I will kill the sergeant")
        moderate_comment(actor=author, comment=threat, action="remove", reason="threat", note="Referred to detectives")
        threat.refresh_from_db()
        assert threat.status == Comment.Status.REMOVED and threat.text == "I will kill the sergeant"
        assert threat.removed_by == author and threat.removal_reason == "threat"
        assert ThreatAlert.objects.get(comment=threat).acknowledged_by == author
        assert AuditEvent.objects.filter(verb="comment.remove", object_id=str(threat.pk)).exists()

    def test_removal_needs_an_announced_reason(self, live_post, author):
        c = comment(live_post, "Off topic stuff")
        with pytest.raises(InvalidInput) as refused:
            moderate_comment(actor=author, comment=c, action="remove", reason="i do not like it")
        assert refused.value.field == "reason"
        c.refresh_from_db()
        assert c.status == Comment.Status.PENDING

    def test_members_outside_the_team_cannot_moderate(self, live_post, member):
        c = comment(live_post, "Hello")
        with pytest.raises(PermissionRefused):
            moderate_comment(actor=member, comment=c, action="show")


@pytest.mark.policy("385.5")
class TestReports:
    def test_report_removal_investigation_resolution_with_timestamps_and_audit(self, live_post, member, supervisor):
        report = file_report(
            actor=member, section="385.5(b)", description="Shows a victim's home address", post=live_post
        )
        assert report.status == ContentReport.Status.OPEN
        with pytest.raises(InvalidTransition):
            resolve_report(actor=supervisor, report=report, resolution="Too early")
        remove_reported_content(actor=supervisor, report=report, reason="Personal information")
        live_post.refresh_from_db()
        assert live_post.status == Post.Status.REMOVED
        start_investigation(
            actor=supervisor,
            report=report,
            how_posted="Approved with the address unredacted",
            posted_by="smo, approved by supervisor2",
            control_failed="Address rule was turned off",
        )
        resolve_report(actor=supervisor, report=report, resolution="Rule turned back on; retraining scheduled")
        report.refresh_from_db()
        assert report.status == ContentReport.Status.RESOLVED
        assert report.created_at <= report.removed_at <= report.investigation_started_at <= report.resolved_at
        verbs = list(
            AuditEvent.objects.filter(object_type="moderation.contentreport", object_id=str(report.pk))
            .order_by("seq")
            .values_list("verb", flat=True)
        )
        assert verbs == ["report.filed", "report.content_removed", "report.investigation_recorded", "report.resolved"]
        assert AuditEvent.objects.filter(verb="post.removed_from_public_view", object_id=str(live_post.pk)).exists()

    def test_reporting_needs_the_content_and_a_section(self, member):
        with pytest.raises(InvalidInput) as refused:
            file_report(actor=member, section="385.5(b)", description="Something")
        assert refused.value.field == "link"
        with pytest.raises(InvalidInput) as refused:
            file_report(actor=member, section="385.9", description="x", link="https://example.com/x")
        assert refused.value.field == "section"
        assert not ContentReport.objects.exists()

    def test_only_supervisors_handle_reports(self, live_post, member, author):
        report = file_report(actor=member, section="385.5(a)", description="Rude", post=live_post)
        with pytest.raises(PermissionRefused):
            remove_reported_content(actor=author, report=report, reason="x")
        report.refresh_from_db()
        assert report.status == ContentReport.Status.OPEN

    def test_reported_comment_is_removed_with_the_report(self, live_post, member, supervisor):
        c = comment(live_post, "The victim lives at 12 Oak Street")
        report = file_report(actor=member, section="385.5(b)", description="Address of a victim", comment=c)
        remove_reported_content(actor=supervisor, report=report, reason="Personal information")
        c.refresh_from_db()
        assert c.status == Comment.Status.REMOVED and c.removal_reason == "personal_information"

    def test_member_sees_own_reports_only(self, live_post, member, team, signed_in):
        mine = file_report(actor=member, section="385.5(a)", description="Mine", post=live_post)
        theirs = file_report(actor=team, section="385.5(a)", description="Theirs", post=live_post)
        client = signed_in(member)
        page = client.get("/reports/").content.decode()
        assert f"/reports/{mine.pk}/" in page and f"/reports/{theirs.pk}/" not in page
        assert client.get(f"/reports/{theirs.pk}/").status_code == 404


XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "\u202egnp.exe",
    "a\u200bb",
]


@pytest.mark.policy("385.5.1")
def test_monitoring_queue_shows_markup_as_text_and_keeps_constant_queries(
    live_post, author, signed_in, django_assert_max_num_queries
):
    client = signed_in(author)
    for payload in XSS:
        comment(live_post, f"before {payload} after", name=f"Visitor {payload}")

    def count():
        with django_assert_max_num_queries(40) as ctx:
            page = client.get("/monitoring/?state=all")
        assert page.status_code == 200
        return page.content.decode(), len(ctx.captured_queries)

    html, few = count()
    assert "<script>alert(1)" not in html and "onerror=alert" not in html and "<svg/onload" not in html
    assert "\u202e" not in html and "\u200b" not in html
    for i in range(40):
        comment(live_post, f"Comment number {i}", ip=None)
    assert count()[1] == few


@pytest.mark.policy("385.5.1")
def test_queue_filters_by_severity_and_date(live_post, author, signed_in):
    from django.utils import timezone

    comment(live_post, "Thanks for the update")
    comment(live_post, "I will shoot the officers at the station")
    client = signed_in(author)
    threats = client.get("/monitoring/?state=all&severity=3").content.decode()
    assert "shoot the officers" in threats and "Thanks for the update" not in threats
    today = timezone.localdate().isoformat()
    assert "Thanks for the update" in client.get(f"/monitoring/?state=all&date_from={today}").content.decode()
    assert "Thanks for the update" not in client.get("/monitoring/?state=all&date_to=2020-01-01").content.decode()
