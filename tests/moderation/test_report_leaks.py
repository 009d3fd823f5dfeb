"""385.5: a member reports content to a supervisor, who investigates the cause. The member who reported it follows
the report's status and reads the outcome meant for them; the investigation stays with those who handle reports."""

import pytest

from moderation import services as review
from moderation.reports import file_report, remove_reported_content, resolve_report, start_investigation
from posts import services as posts
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5")]

HOW = "Approved while the address rule was switched off"
WHO = "Officer Dana Whitfield, approved by Sgt. Ruiz"
CONTROL = "Personal-information screening disabled on the approval path"
OUTCOME = "The post was taken down and the department changed how such posts are checked. Thank you."


@pytest.fixture
def report(author, channel, supervisor, member, django_capture_on_commit_callbacks):
    post = draft(author, [channel])
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=post)
    report = file_report(actor=member, section="385.5(b)", description="Shows a victim's home address", post=post)
    remove_reported_content(actor=supervisor, report=report, reason="Personal information")
    start_investigation(actor=supervisor, report=report, how_posted=HOW, posted_by=WHO, control_failed=CONTROL)
    report.refresh_from_db()
    return report


def investigation_shown(page: str) -> list[str]:
    return [text for text in (HOW, WHO, CONTROL, "report.investigation_recorded") if text in page]


class TestReporterPage:
    def test_the_reporter_sees_the_status_but_not_the_investigation(self, report, member, signed_in):
        response = signed_in(member).get(f"/reports/{report.pk}/")
        page = response.content.decode()
        assert response.status_code == 200
        assert "Under investigation" in page and "Shows a victim&#x27;s home address" in page
        assert investigation_shown(page) == []

    def test_once_resolved_the_reporter_reads_the_outcome_and_still_not_the_investigation(
        self, report, member, supervisor, signed_in
    ):
        resolve_report(actor=supervisor, report=report, resolution=OUTCOME)
        page = signed_in(member).get(f"/reports/{report.pk}/").content.decode()
        assert "Resolved" in page and OUTCOME in page
        assert investigation_shown(page) == []

    def test_a_reporter_who_is_not_a_handler_cannot_record_an_investigation(self, report, member, signed_in):
        response = signed_in(member).post(
            f"/reports/{report.pk}/",
            {"action": "investigate", "how_posted": "x", "posted_by": "nobody", "control_failed": "none"},
        )
        assert response.status_code == 403
        report.refresh_from_db()
        assert (report.how_posted, report.posted_by, report.control_failed) == (HOW, WHO, CONTROL)


class TestHandlerPage:
    def test_report_handlers_see_the_investigation(self, report, supervisor, chief, signed_in):
        for handler in (supervisor, chief):
            page = signed_in(handler).get(f"/reports/{report.pk}/").content.decode()
            assert investigation_shown(page) == [HOW, WHO, CONTROL, "report.investigation_recorded"], handler.username
