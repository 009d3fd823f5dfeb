"""Every transition of a post's lifecycle and every refusal, through the services."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import InvalidInput, InvalidTransition, PermissionRefused, PolicyViolation
from core.models import AuditEvent, Notification
from members.services import grant_authorization, revoke_authorization
from moderation import services as review
from moderation.models import Review, ReviewFinding
from posts import services as posts
from posts.models import Post, PostingSettings
from tests.posts.factories import draft

pytestmark = pytest.mark.django_db
S = Post.Status


@pytest.fixture
def post(author, channel):
    return draft(author, [channel])


def snapshot(post):
    post.refresh_from_db()
    return (
        post.status,
        post.version,
        post.approved_at,
        Review.objects.filter(post=post).count(),
        AuditEvent.objects.count(),
    )


def submitted(post, author):
    review.submit_for_review(actor=author, post=post)
    post.refresh_from_db()
    return post


class TestSubmit:
    @pytest.mark.policy("385.3")
    def test_submit_opens_one_review_screens_and_tells_supervisors(
        self, post, author, supervisor, supervisor2, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            r = review.submit_for_review(actor=author, post=post)
        post.refresh_from_db()
        assert post.status == S.IN_REVIEW and post.submitted_at
        assert r.status == Review.Status.PENDING and r.route == Review.Route.SUPERVISOR
        assert r.post_version == post.version
        recipients = sorted(n.recipient.username for n in Notification.objects.filter(event="review.requested"))
        assert recipients == ["supervisor", "supervisor2"]
        assert sorted(m.to[0] for m in mail.outbox) == [
            "supervisor2@police.example.gov",
            "supervisor@police.example.gov",
        ]
        assert AuditEvent.objects.filter(verb="post.submitted", object_id=str(post.pk)).exists()

    @pytest.mark.policy("385.5.2(b)")
    def test_screening_findings_are_recorded_with_their_section(self, author, channel):
        post = draft(author, [channel], body="The suspect is in custody and we know he did it.")
        r = review.submit_for_review(actor=author, post=post)
        finding = r.findings.get(rule_id="conduct.guilt")
        assert finding.section == "385.5.2(b)" and finding.severity == "acknowledge"

    def test_submitting_twice_is_refused(self, post, author):
        submitted(post, author)
        before = snapshot(post)
        with pytest.raises(InvalidTransition):
            review.submit_for_review(actor=author, post=post)
        assert snapshot(post) == before

    @pytest.mark.policy("385.3")
    def test_unauthorized_author_cannot_submit_385_3(self, post, author, chief):
        auth = author.authorizations.get()
        revoke_authorization(actor=chief, authorization=auth, reason="Reassigned")
        before = snapshot(post)
        with pytest.raises(PolicyViolation) as refused:
            review.submit_for_review(actor=author, post=post)
        assert refused.value.section == "385.3"
        assert snapshot(post) == before


@pytest.mark.policy("385.3")
class TestApprove:
    def test_supervisor_approves(self, post, author, supervisor, django_capture_on_commit_callbacks):
        submitted(post, author)
        with django_capture_on_commit_callbacks(execute=True):
            review.approve_post(actor=supervisor, post=post, note="Good to go")
        post.refresh_from_db()
        assert post.status == S.APPROVED and post.approved_by == supervisor
        assert post.approval_path == Post.ApprovalPath.SUPERVISOR
        assert Review.objects.get(post=post).status == Review.Status.APPROVED
        assert [m.to for m in mail.outbox if "Approved" in m.subject] == [["smo@police.example.gov"]]

    def test_scheduled_post_becomes_scheduled(self, author, channel, supervisor):
        post = draft(author, [channel], scheduled_for=timezone.now() + timedelta(hours=3))
        submitted(post, author)
        review.approve_post(actor=supervisor, post=post)
        post.refresh_from_db()
        assert post.status == S.SCHEDULED

    def test_author_cannot_approve_own_post_385_3(self, post, author):
        # Even an author who is also a supervisor cannot approve their own post.
        from django.contrib.auth.models import Group

        submitted(post, author)
        author.groups.add(Group.objects.get(name="Supervisor"))
        author._socialgov_roles = None
        before = snapshot(post)
        with pytest.raises(PolicyViolation) as refused:
            review.approve_post(actor=author, post=post)
        assert refused.value.section == "385.3" and refused.value.code == "own_post"
        assert "separation of duties" in refused.value.message
        assert snapshot(post) == before

    def test_supervisor_who_edited_since_submission_cannot_approve(self, post, author, supervisor, supervisor2):
        submitted(post, author)
        posts.update_post(
            actor=supervisor,
            post=post,
            expected_version=post.version,
            title=post.title,
            body=post.body + " Free hot dogs.",
            category=post.category,
            channels=list(post.channels.all()),
        )
        post.refresh_from_db()
        assert post.status == S.IN_REVIEW
        with pytest.raises(PolicyViolation) as refused:
            review.approve_post(actor=supervisor, post=post)
        assert refused.value.code == "edited_post" and refused.value.section == "385.3"
        review.approve_post(actor=supervisor2, post=post)
        post.refresh_from_db()
        assert post.status == S.APPROVED

    def test_team_member_cannot_approve(self, post, author, team):
        submitted(post, author)
        with pytest.raises(PolicyViolation) as refused:
            review.approve_post(actor=team, post=post)
        assert refused.value.code == "not_supervisor"

    @pytest.mark.policy("385.5.2(b)")
    def test_findings_must_be_acknowledged_first(self, author, channel, supervisor):
        post = draft(author, [channel], body="Officers arrested the guilty man on Monday.")
        r = review.submit_for_review(actor=author, post=post)
        post.refresh_from_db()
        before = snapshot(post)
        with pytest.raises(PolicyViolation) as refused:
            review.approve_post(actor=supervisor, post=post)
        assert refused.value.code == "unacknowledged" and refused.value.section == "385.5.2(b)"
        assert snapshot(post) == before
        review.approve_post(actor=supervisor, post=post, acknowledge=[f.pk for f in r.findings.all()])
        post.refresh_from_db()
        assert post.status == S.APPROVED
        assert r.findings.filter(acknowledged_by=supervisor).count() == r.findings.count()

    @pytest.mark.policy("385.5(c)")
    def test_blocking_finding_refuses_approval(self, post, author, supervisor):
        r = review.submit_for_review(actor=author, post=post)
        ReviewFinding.objects.create(
            review=r,
            rule_id="investigation.registry",
            section="385.5(c)",
            severity="block",
            start=0,
            end=4,
            excerpt="[confidential term]",
            explanation="Names a term from the confidential-terms registry",
        )
        post.refresh_from_db()
        with pytest.raises(PolicyViolation) as refused:
            review.approve_post(actor=supervisor, post=post)
        assert refused.value.section == "385.5(c)" and refused.value.code == "blocked_by_screening"

    @pytest.mark.policy("385.5.2(b)")
    def test_media_of_department_activity_needs_written_permission(self, post, author, supervisor, png_upload):
        posts.add_attachment(
            actor=author,
            post=post,
            uploaded=png_upload,
            alt_text="Recruits at the range",
            shows_department_activity=True,
        )
        submitted(post, author)
        with pytest.raises(PolicyViolation) as refused:
            review.approve_post(actor=supervisor, post=post)
        assert refused.value.section == "385.5.2(b)"

    def test_approving_a_draft_is_a_wrong_state(self, post, supervisor):
        with pytest.raises(InvalidTransition):
            review.approve_post(actor=supervisor, post=post)


class TestRequestChangesAndReject:
    def test_request_changes_with_anchored_comment_then_resubmit(self, post, author, supervisor):
        submitted(post, author)
        review.request_changes(
            actor=supervisor, post=post, note="", comments=[{"quote": "Miles Avenue Park", "body": "Add the time."}]
        )
        post.refresh_from_db()
        assert post.status == S.CHANGES_REQUESTED
        comment = Review.objects.get(post=post).comments.get()
        assert comment.quote == "Miles Avenue Park" and comment.start is not None
        posts.update_post(
            actor=author,
            post=post,
            expected_version=post.version,
            title=post.title,
            body=post.body + " 5 to 8 pm.",
            category=post.category,
            channels=list(post.channels.all()),
        )
        post.refresh_from_db()
        assert post.status == S.CHANGES_REQUESTED
        submitted(post, author)
        assert post.status == S.IN_REVIEW
        assert Review.objects.filter(post=post).count() == 2

    def test_request_changes_needs_a_note_or_comment(self, post, author, supervisor):
        submitted(post, author)
        before = snapshot(post)
        with pytest.raises(InvalidInput) as refused:
            review.request_changes(actor=supervisor, post=post, note=" ")
        assert refused.value.field == "note"
        assert snapshot(post) == before

    def test_quoted_passage_must_be_in_the_text(self, post, author, supervisor):
        submitted(post, author)
        with pytest.raises(InvalidInput) as refused:
            review.request_changes(
                actor=supervisor, post=post, note="x", comments=[{"quote": "not in the post", "body": "?"}]
            )
        assert refused.value.field == "quote"

    def test_reject_requires_a_reason(self, post, author, supervisor):
        submitted(post, author)
        with pytest.raises(InvalidInput) as refused:
            review.reject_post(actor=supervisor, post=post, reason="")
        assert refused.value.field == "reason"
        review.reject_post(actor=supervisor, post=post, reason="Off mission (385.4)")
        post.refresh_from_db()
        assert post.status == S.REJECTED and post.closed_reason == "Off mission (385.4)"


class TestPublishAndAfter:
    def test_publish_approved_post(self, post, author, supervisor, django_capture_on_commit_callbacks):
        from posts.signals import post_published

        seen = []
        post_published.connect(lambda sender, post, **kw: seen.append(post.pk), weak=False, dispatch_uid="t")
        submitted(post, author)
        review.approve_post(actor=supervisor, post=post)
        with django_capture_on_commit_callbacks(execute=True):
            posts.publish_post(actor=author, post=post)
        post_published.disconnect(dispatch_uid="t")
        post.refresh_from_db()
        assert post.status == S.PUBLISHED and post.published_by == author
        assert seen == [post.pk]

    @pytest.mark.policy("385.3")
    def test_unauthorized_member_cannot_publish(self, post, author, supervisor, team):
        submitted(post, author)
        review.approve_post(actor=supervisor, post=post)
        with pytest.raises(PolicyViolation) as refused:
            posts.publish_post(actor=team, post=post)
        assert refused.value.section == "385.3"
        post.refresh_from_db()
        assert post.status == S.APPROVED

    @pytest.mark.policy("385.3", "385.5(g)")
    def test_publishing_a_draft_needing_review_is_refused(self, post, author):
        with pytest.raises(PolicyViolation) as refused:
            review.publish_conforming_post(actor=author, post=post)
        assert refused.value.section == "385.3"
        assert "needs supervisor approval" in refused.value.message
        post.refresh_from_db()
        assert post.status == S.DRAFT

    @pytest.mark.policy("385.5")
    def test_remove_from_public_view_keeps_the_post(self, post, author, supervisor, member):
        submitted(post, author)
        review.approve_post(actor=supervisor, post=post)
        posts.publish_post(actor=author, post=post)
        with pytest.raises(InvalidInput):
            posts.remove_from_public_view(actor=supervisor, post=post, reason="")
        with pytest.raises(PermissionRefused):
            posts.remove_from_public_view(actor=member, post=post, reason="x")
        posts.remove_from_public_view(actor=supervisor, post=post, reason="Reported: personal information")
        post.refresh_from_db()
        assert post.status == S.REMOVED and post.closed_by == supervisor and post.published_at

    @pytest.mark.parametrize("stage", ["draft", "in_review", "approved"])
    def test_withdraw_from_any_open_stage(self, post, author, supervisor, stage):
        if stage != "draft":
            submitted(post, author)
        if stage == "approved":
            review.approve_post(actor=supervisor, post=post)
        posts.withdraw_post(actor=author, post=post, reason="Event cancelled")
        post.refresh_from_db()
        assert post.status == S.WITHDRAWN
        assert not Review.objects.filter(post=post, status=Review.Status.PENDING).exists()

    @pytest.mark.policy("385.3")
    def test_editing_an_approved_post_sends_it_back_to_review(self, post, author, supervisor):
        submitted(post, author)
        review.approve_post(actor=supervisor, post=post)
        post.refresh_from_db()
        posts.update_post(
            actor=author,
            post=post,
            expected_version=post.version,
            title=post.title,
            body=post.body + " Bring a chair.",
            category=post.category,
            channels=list(post.channels.all()),
        )
        post.refresh_from_db()
        assert post.status == S.IN_REVIEW and post.approved_at is None
        statuses = list(Review.objects.filter(post=post).order_by("pk").values_list("status", flat=True))
        assert statuses == ["approved", "pending"]


@pytest.mark.policy("385.3")
class TestGuidelines:
    def _from_template(self, author, channel, template, **overrides):
        values = {"road": "Monroe St", "until": "6 pm", "detour": "Jackson St"}
        args = {
            "title": "Monroe closed",
            "category": template.category,
            "channels": [channel],
            "template": template,
            "template_values": values,
            "body": template.render(values),
        }
        args.update(overrides)
        return posts.create_post(actor=author, **args)

    def test_conforming_template_post_is_published_without_a_supervisor(self, author, channel, road_closure):
        post = self._from_template(author, channel, road_closure)
        path = review.approval_path(post)
        assert path.conforms and path.path == Post.ApprovalPath.GUIDELINE
        review.publish_conforming_post(actor=author, post=post)
        post.refresh_from_db()
        assert post.status == S.PUBLISHED and post.approval_path == Post.ApprovalPath.GUIDELINE
        assert post.approved_by is None

    @pytest.mark.policy("385.5(g)")
    def test_changed_wording_needs_a_supervisor(self, author, channel, road_closure):
        post = self._from_template(
            author, channel, road_closure, body="ROAD CLOSURE: Monroe St is closed until 6 pm. Avoid downtown entirely."
        )
        path = review.approval_path(post)
        assert not path.conforms and "differs from the fixed wording" in " ".join(path.reasons)
        with pytest.raises(PolicyViolation) as refused:
            review.publish_conforming_post(actor=author, post=post)
        assert refused.value.section == "385.3"
        post.refresh_from_db()
        assert post.status == S.DRAFT

    def test_department_setting_requires_approval_for_all(self, author, channel, road_closure, chief):
        posts.set_posting_settings(actor=chief, require_approval_for_all=True)
        post = self._from_template(author, channel, road_closure)
        assert not review.approval_path(post).conforms
        with pytest.raises(PolicyViolation):
            review.publish_conforming_post(actor=author, post=post)

    def test_only_chief_or_designee_keeps_guidelines(self, supervisor):
        with pytest.raises(PermissionRefused):
            posts.save_guideline_template(actor=supervisor, name="X", category="traffic", body="x", fields=[])
        with pytest.raises(PermissionRefused):
            posts.set_posting_settings(actor=supervisor, require_approval_for_all=False)
        assert PostingSettings.load().require_approval_for_all is False

    def test_template_field_over_its_limit_is_refused(self, author, channel, road_closure):
        with pytest.raises(InvalidInput) as refused:
            self._from_template(
                author, channel, road_closure, template_values={"road": "x" * 61, "until": "6 pm", "detour": "Jackson"}
            )
        assert refused.value.field == "tpl_road"


@pytest.mark.policy("385.4.1")
class TestIncidentUpdates:
    def test_updates_are_numbered_and_published_when_the_commander_approves(self, incident, author, channel, commander):
        first = draft(author, [channel], incident=incident, body="Evacuation warning east of Jackson St.")
        second = draft(author, [channel], incident=incident, body="Shelter open at Indio High School.")
        assert (first.update_number, second.update_number) == (1, 2)
        r = review.submit_for_review(actor=author, post=first)
        assert r.route == Review.Route.INCIDENT_COMMANDER
        assert Notification.objects.get(event="review.requested").recipient == commander
        review.approve_post(actor=commander, post=first)
        first.refresh_from_db()
        assert first.status == S.PUBLISHED
        assert first.approval_path == Post.ApprovalPath.INCIDENT_COMMANDER
        assert first.approved_by == commander and first.published_by == author

    def test_a_supervisor_does_not_approve_incident_updates(self, incident, author, channel, supervisor):
        post = draft(author, [channel], incident=incident)
        submitted(post, author)
        with pytest.raises(PolicyViolation) as refused:
            review.approve_post(actor=supervisor, post=post)
        assert refused.value.section == "385.4.1" and refused.value.code == "not_commander"

    def test_closed_incident_takes_no_updates(self, incident, author, channel, supervisor):
        posts.close_incident(actor=supervisor, incident=incident)
        with pytest.raises(InvalidInput) as refused:
            draft(author, [channel], incident=incident)
        assert refused.value.field == "incident"

    def test_commander_and_compiler_must_differ(self, supervisor, author):
        with pytest.raises(PolicyViolation) as refused:
            posts.open_incident(
                actor=supervisor, name="X", kind="other", location="", commander=author, social_media_officer=author
            )
        assert refused.value.section == "385.4.1"


@pytest.mark.policy("385.3")
def test_authorization_is_checked_again_at_publication(post, author, supervisor, chief):
    submitted(post, author)
    review.approve_post(actor=supervisor, post=post)
    revoke_authorization(actor=chief, authorization=author.authorizations.get(), reason="Suspended")
    with pytest.raises(PolicyViolation):
        posts.publish_post(actor=author, post=post)
    grant_authorization(actor=chief, member=author, all_channels=True)
    posts.publish_post(actor=author, post=post)
