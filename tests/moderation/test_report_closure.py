"""385.5: a report whose content does not break the policy, or was resolved another way, is closed by a
supervisor without removing anything, with the reason, audited; the reporter is told."""

import pytest

from core.errors import InvalidInput, InvalidTransition, PermissionRefused
from core.models import AuditEvent, Notification
from moderation import services as review
from moderation.models import ContentReport
from moderation.reports import close_report, file_report, remove_reported_content
from posts import services as posts
from posts.models import Post
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5")]
WHY = "The photo shows a public event; nobody in it is identifiable."


@pytest.fixture
def report(author, channel, supervisor, member, django_capture_on_commit_callbacks):
    post = draft(author, [channel])
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=post)
    return file_report(actor=member, section="385.5(b)", description="Shows people's faces", post=post)


def test_a_supervisor_closes_a_report_as_unfounded_on_its_page_and_the_reporter_is_told(
    report, supervisor, member, signed_in
):
    client = signed_in(supervisor)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Close without removal" in page and 'for="id_close_reason"' in page
    done = client.post(f"/reports/{report.pk}/", {"action": "close", "outcome": "unfounded", "reason": WHY})
    assert done.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.outcome, report.resolution) == ("closed", "unfounded", WHY)
    assert report.post.status == Post.Status.PUBLISHED  # nothing was taken down
    event = AuditEvent.objects.get(verb="report.closed")
    assert event.actor == supervisor and event.details == {"outcome": "unfounded", "reason": WHY}
    told = Notification.objects.get(event="report.closed")
    assert told.recipient == member and WHY in told.body
    reporter_page = signed_in(member).get(f"/reports/{report.pk}/").content.decode()
    assert (
        "Closed without removal" in reporter_page and "Unfounded" in reporter_page and "nobody in it" in reporter_page
    )


def test_closing_needs_a_reason_and_an_outcome_and_changes_nothing_otherwise(report, supervisor, signed_in):
    page = signed_in(supervisor).post(f"/reports/{report.pk}/", {"action": "close", "outcome": "kept", "reason": ""})
    assert page.status_code == 200 and "This field is required" in page.content.decode()
    with pytest.raises(InvalidInput) as no_outcome:
        close_report(actor=supervisor, report=report, outcome="maybe", reason=WHY)
    assert no_outcome.value.field == "outcome"
    report.refresh_from_db()
    assert report.status == ContentReport.Status.OPEN
    assert not AuditEvent.objects.filter(verb="report.closed").exists()


def test_only_a_supervisor_closes_and_only_an_open_report(report, supervisor, member, signed_in):
    with pytest.raises(PermissionRefused):
        close_report(actor=member, report=report, outcome="unfounded", reason=WHY)
    assert (
        signed_in(member)
        .post(f"/reports/{report.pk}/", {"action": "close", "outcome": "unfounded", "reason": WHY})
        .status_code
        == 403
    )
    remove_reported_content(actor=supervisor, report=report, reason="Faces of minors")
    with pytest.raises(InvalidTransition):
        close_report(actor=supervisor, report=report, outcome="unfounded", reason=WHY)
