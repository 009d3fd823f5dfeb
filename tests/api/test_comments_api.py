"""Public comments (385.5.1) and content reports (385.5) through the API: the same services, refusals and audit
trail as the monitoring and report pages, and answers that match the published schema."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from moderation import reports
from moderation import services as review
from moderation.models import ContentReport
from moderation.monitoring import moderate_comment
from moderation.permissions import require_monitor
from posts import services as posts
from posts.models import Comment, Post
from posts.publishing.intake import receive_comment
from tests.api.test_incidents_api import assert_matches_schema, openapi, refusal_of, same_refusal  # noqa: F401
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


def comment_on(post, text="What time does the park open?", name="Visitor") -> Comment:
    return receive_comment(channel=post.channels.get(), post=post, author_name=name, text=text)


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.json()
    return len(queries)


# Comments --------------------------------------------------------------------------------------------------


@pytest.mark.policy("385.5.1")
class TestComments:
    def test_the_team_lists_hides_and_removes_with_the_page_reason(self, openapi, api_as, team, live_post):  # noqa: F811
        kept, rude = comment_on(live_post), comment_on(live_post, "You are all idiots, every one of you", "Troll")
        monitor = api_as(team, "comments")

        listed = monitor.get("/api/v1/comments/", {"post": live_post.pk})
        assert listed.status_code == 200, listed.json()
        assert_matches_schema(openapi, listed, "/api/v1/comments/")
        assert [c["id"] for c in listed.json()["results"]] == [rude.pk, kept.pk]

        hidden = monitor.post(f"/api/v1/comments/{rude.pk}/hide/", {"reason": "personal_attack"})
        assert hidden.status_code == 200, hidden.json()
        assert_matches_schema(openapi, hidden, "/api/v1/comments/{id}/hide/", "post")
        assert hidden.json()["status"] == "hidden" and hidden.json()["removal_reason"] == "personal_attack"

        removed = monitor.post(
            f"/api/v1/comments/{rude.pk}/remove/", {"reason": "personal_attack", "note": "Second one today"}
        )
        assert removed.status_code == 200 and removed.json()["status"] == "removed"
        assert removed.json()["removed_by"] == "team"
        rude.refresh_from_db()
        assert rude.status == Comment.Status.REMOVED and rude.text.startswith("You are all")  # kept as a record

        assert [c["id"] for c in monitor.get("/api/v1/comments/", {"status": "removed"}).json()["results"]] == [rude.pk]
        event = AuditEvent.objects.get(verb="comment.remove", object_id=str(rude.pk))
        assert event.details["api_token"] == monitor.token.pk and event.details["reason"] == "personal_attack"

        one = monitor.get(f"/api/v1/comments/{kept.pk}/")
        assert_matches_schema(openapi, one, "/api/v1/comments/{id}/")
        assert one.json()["post_title"] == live_post.title and one.json()["channel"]["slug"] == "news"

    def test_a_removed_comment_stays_removed_as_the_service_says(self, api_as, team, live_post):
        rude = comment_on(live_post, "Get lost, pigs")
        moderate_comment(actor=team, comment=rude, action="remove", reason="personal_attack")
        refusal = refusal_of(moderate_comment, actor=team, comment=rude, action="show")
        response = api_as(team, "comments").post(f"/api/v1/comments/{rude.pk}/show/")
        same_refusal(response, refusal)
        assert response.status_code == 409
        rude.refresh_from_db()
        assert rude.status == Comment.Status.REMOVED

        # Hiding needs one of the reasons the page announces.
        kept = comment_on(live_post)
        bad = api_as(team, "comments").post(f"/api/v1/comments/{kept.pk}/hide/", {"reason": "annoying"})
        assert bad.status_code == 400 and "reason" in bad.json()["fields"]
        assert Comment.objects.get(pk=kept.pk).status == kept.status == Comment.Status.PENDING

    def test_a_member_is_refused_with_the_section_and_a_token_needs_the_scope(self, api_as, member, team, live_post):
        comment = comment_on(live_post)
        refusal = refusal_of(require_monitor, user=member)
        same_refusal(api_as(member, "comments").get("/api/v1/comments/"), refusal)
        same_refusal(
            api_as(member, "comments").post(f"/api/v1/comments/{comment.pk}/remove/", {"reason": "spam"}), refusal
        )
        assert refusal.section == "385.5.1"

        reader = api_as(team, "posts:read")
        response = reader.post(f"/api/v1/comments/{comment.pk}/remove/", {"reason": "spam"})
        assert response.status_code == 403 and "comments" in response.json()["detail"]
        assert Comment.objects.get(pk=comment.pk).status == comment.status == Comment.Status.PENDING

        missing = api_as(team, "comments").get(f"/api/v1/comments/{comment.pk + 1000}/")
        assert missing.status_code == 404

    def test_the_list_costs_the_same_queries_for_2_and_12(self, api_as, team, live_post):
        monitor = api_as(team, "comments")
        for _ in range(2):
            comment_on(live_post)
        few = _queries(monitor, "/api/v1/comments/")
        for i in range(10):
            comment_on(live_post, f"Comment number {i}: you are idiots" if i % 2 else f"Thanks, number {i}")
        moderate_comment(actor=team, comment=Comment.objects.last(), action="hide", reason="personal_attack")
        assert len(monitor.get("/api/v1/comments/").json()["results"]) == 12
        assert _queries(monitor, "/api/v1/comments/") == few


# Content reports -------------------------------------------------------------------------------------------

REPORT = {"section": "385.5(d)", "description": "This post names the wrong street and alarms the neighbors."}


@pytest.mark.policy("385.5")
class TestReports:
    def test_a_member_reports_and_a_supervisor_removes_investigates_and_resolves(
        self,
        openapi,  # noqa: F811
        api_as,
        member,
        supervisor,
        live_post,
    ):
        reporter = api_as(member, "posts:read")
        filed = reporter.post("/api/v1/reports/", {**REPORT, "post": live_post.pk})
        assert filed.status_code == 201, filed.json()
        assert_matches_schema(openapi, filed, "/api/v1/reports/", "post")
        report_id = filed.json()["id"]
        assert filed.json()["status"] == "open" and filed.json()["removed_by"] is None

        handler = api_as(supervisor, "posts:read", "comments")
        listed = handler.get("/api/v1/reports/", {"status": "open"})
        assert_matches_schema(openapi, listed, "/api/v1/reports/")
        assert [r["id"] for r in listed.json()["results"]] == [report_id]

        removed = handler.post(f"/api/v1/reports/{report_id}/remove-content/", {"reason": "Wrong street named"})
        assert removed.status_code == 200, removed.json()
        assert_matches_schema(openapi, removed, "/api/v1/reports/{id}/remove-content/", "post")
        assert removed.json()["status"] == "removed" and removed.json()["removed_by"] == "supervisor"
        live_post.refresh_from_db()
        assert live_post.status != Post.Status.PUBLISHED

        investigated = handler.post(
            f"/api/v1/reports/{report_id}/investigate/",
            {"how_posted": "Typed from memory", "posted_by": "smo", "control_failed": "No second reader"},
        )
        assert investigated.status_code == 200 and investigated.json()["status"] == "investigating"
        resolved = handler.post(f"/api/v1/reports/{report_id}/resolve/", {"resolution": "Corrected and re-posted."})
        assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
        assert_matches_schema(openapi, resolved, "/api/v1/reports/{id}/resolve/", "post")

        # The reporter follows the outcome, not the investigation.
        own = reporter.get(f"/api/v1/reports/{report_id}/")
        assert_matches_schema(openapi, own, "/api/v1/reports/{id}/")
        assert own.json()["resolution"] == "Corrected and re-posted."
        assert own.json()["control_failed"] is None and own.json()["removed_by"] is None
        assert handler.get(f"/api/v1/reports/{report_id}/").json()["control_failed"] == "No second reader"

        verbs = set(
            AuditEvent.objects.filter(
                details__api_token=handler.token.pk, object_type="moderation.contentreport"
            ).values_list("verb", flat=True)
        )
        assert verbs == {"report.content_removed", "report.investigation_recorded", "report.resolved"}

    def test_closing_without_removal_keeps_the_comment_up(self, openapi, api_as, member, supervisor, live_post):  # noqa: F811
        comment = comment_on(live_post, "The parade route is wrong on this post")
        filed = api_as(member, "posts:read").post("/api/v1/reports/", {**REPORT, "comment": comment.pk})
        assert filed.status_code == 201 and filed.json()["comment"] == comment.pk
        closed = api_as(supervisor, "comments").post(
            f"/api/v1/reports/{filed.json()['id']}/close/", {"outcome": "unfounded", "reason": "The route is right."}
        )
        assert closed.status_code == 200, closed.json()
        assert_matches_schema(openapi, closed, "/api/v1/reports/{id}/close/", "post")
        assert closed.json()["status"] == "closed" and closed.json()["outcome"] == "unfounded"
        assert Comment.objects.get(pk=comment.pk).status == comment.status

    def test_refusals_are_the_services_and_nothing_changes(self, api_as, member, supervisor, live_post):
        report = reports.file_report(actor=member, section="385.5(d)", description="Wrong street", post=live_post)

        # A member holding the scope still does not handle reports: the service's refusal, with its section.
        refusal = refusal_of(reports.remove_reported_content, actor=member, report=report, reason="Mine")
        response = api_as(member, "comments").post(f"/api/v1/reports/{report.pk}/remove-content/", {"reason": "Mine"})
        same_refusal(response, refusal)
        assert response.json()["section"] == "385.5"

        # Resolving before the content is removed and the cause investigated is out of turn.
        refusal = refusal_of(reports.resolve_report, actor=supervisor, report=report, resolution="Done")
        response = api_as(supervisor, "comments").post(f"/api/v1/reports/{report.pk}/resolve/", {"resolution": "Done"})
        same_refusal(response, refusal)
        assert response.status_code == 409

        # A report names the content.
        unnamed = api_as(member, "posts:read").post("/api/v1/reports/", REPORT)
        assert unnamed.status_code == 400 and unnamed.json()["field"] == "link"

        report.refresh_from_db()
        live_post.refresh_from_db()
        assert report.status == ContentReport.Status.OPEN and live_post.status == Post.Status.PUBLISHED
        assert ContentReport.objects.count() == 1

    def test_not_yours_is_404_and_the_scope_is_needed(self, api_as, member, commander, supervisor, live_post):
        report = reports.file_report(actor=member, section="385.5(d)", description="Wrong street", post=live_post)
        other = api_as(commander, "posts:read", "comments")
        assert other.get(f"/api/v1/reports/{report.pk}/").status_code == 404
        assert other.get("/api/v1/reports/").json()["results"] == []
        assert other.post(f"/api/v1/reports/{report.pk}/close/", {"outcome": "kept", "reason": "x"}).status_code == 404

        # Without `comments` a supervisor's token reads only the supervisor's own reports, and handles none.
        narrow = api_as(supervisor, "posts:read")
        assert narrow.get(f"/api/v1/reports/{report.pk}/").status_code == 404
        response = narrow.post(f"/api/v1/reports/{report.pk}/remove-content/", {"reason": "Wrong street"})
        assert response.status_code == 403 and "comments" in response.json()["detail"]
        assert api_as(member, "comments").post("/api/v1/reports/", {**REPORT, "post": live_post.pk}).status_code == 403
        report.refresh_from_db()
        assert report.status == ContentReport.Status.OPEN and ContentReport.objects.count() == 1

    def test_the_list_costs_the_same_queries_for_2_and_12(self, api_as, member, supervisor, live_post):
        handler = api_as(supervisor, "posts:read", "comments")

        def file(n):
            for i in range(n):
                report = reports.file_report(actor=member, section="385.5(d)", description=f"#{i}", post=live_post)
                if i % 3 == 0:
                    reports.close_report(actor=supervisor, report=report, outcome="kept", reason="Answered")

        file(2)
        few = _queries(handler, "/api/v1/reports/")
        file(10)
        assert len(handler.get("/api/v1/reports/").json()["results"]) == 12
        assert _queries(handler, "/api/v1/reports/") == few
