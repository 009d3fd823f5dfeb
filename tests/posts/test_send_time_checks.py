"""Checked again at the moment of sending (385.3, 385.8): screening with today's registry and rules, the author's
and the approver's standing. A post that no longer passes does not go out; it returns to review with the reasons,
its people are told, and the dashboards list it at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEvent, Notification
from members.models import Authorization
from members.services import revoke_authorization
from moderation import services as review
from moderation.models import Review
from moderation.screening import services as screening
from moderation.screening.rules import registry as registry_rule
from posts import services as posts
from posts.models import Post, Publication
from posts.publishing import services as publishing
from posts.publishing.base import AdapterError
from tests.posts.factories import draft
from tests.website.test_publishing import FlakyAdapter, flaky  # noqa: F401 - the fixture is used below

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.3", "385.8", "385.5(c)", "385.5(g)")]
S = Post.Status
BODY = "Thank you to Harriet Moss for organising the Miles Avenue Park cleanup this Saturday."


@pytest.fixture(autouse=True)
def _fresh_registry_cache():
    registry_rule._cache.update(key=None, terms=())
    yield
    registry_rule._cache.update(key=None, terms=())


def approved_post(author, channel, supervisor, **overrides):
    post = draft(author, [channel], **{"body": BODY, **overrides})
    submitted = review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post, acknowledge=[f.pk for f in submitted.findings.all()])
    post.refresh_from_db()
    return post


def register(supervisor, term="Harriet Moss"):
    return screening.add_confidential_term(
        actor=supervisor,
        term=term,
        kind="witness",
        case_number="26-1182",
        expires_on=timezone.localdate() + timedelta(days=30),
    )


def test_a_term_registered_after_approval_stops_publish_now_and_returns_it_to_review(author, channel, supervisor, smo):
    post = approved_post(author, channel, supervisor)
    assert post.status == S.APPROVED
    register(supervisor)

    held = posts.publish_post(actor=author, post=post)

    assert held.status == S.IN_REVIEW and held.published_at is None and held.approved_by is None
    assert not Publication.objects.filter(post=post).exists()
    [reason] = held.held_reasons
    assert reason["section"] == "385.5(c)" and reason["code"] == "screening_blocks"
    assert "confidential-terms registry" in reason["message"] and "Harriet" not in reason["message"]
    # A new review opens with today's findings, so the supervisor sees what stopped it.
    pending = Review.objects.get(post=post, status=Review.Status.PENDING)
    assert pending.findings.filter(rule_id="investigation.registry").exists()
    event = AuditEvent.objects.filter(verb="post.returned_to_review", object_id=str(post.pk)).get()
    assert event.details["held_at_send"] == [{"section": "385.5(c)", "code": "screening_blocks"}]
    told = Notification.objects.filter(event="post.held_at_send")
    assert set(told.values_list("recipient__username", flat=True)) == {smo.username, supervisor.username}
    assert "385.5(c)" in told.first().body


def test_publish_now_on_the_page_says_why_it_was_not_sent(author, channel, supervisor, signed_in):
    post = approved_post(author, channel, supervisor)
    register(supervisor)
    client = signed_in(author)
    page = client.post(f"/posts/{post.pk}/publish/", follow=True).content.decode()
    assert "Not sent: it no longer passes the checks made at the moment of sending" in page
    assert "Not sent: stopped at the moment of sending" in page and "385.5(c)" in page
    assert Post.objects.get(pk=post.pk).status == S.IN_REVIEW


def test_a_scheduled_post_stopped_by_the_registry_is_on_the_dashboards_and_goes_out_after_a_new_approval(
    author, channel, supervisor, supervisor2, signed_in
):
    post = approved_post(author, channel, supervisor, scheduled_for=timezone.now() + timedelta(hours=1))
    assert post.status == S.SCHEDULED
    register(supervisor)
    Post.objects.filter(pk=post.pk).update(scheduled_for=timezone.now() - timedelta(seconds=1))

    assert publishing.publish_due_scheduled() == 0
    post.refresh_from_db()
    assert post.status == S.IN_REVIEW and post.is_held
    assert AuditEvent.objects.filter(verb="post.returned_to_review", actor_repr="system").exists()
    for who in (author, supervisor):
        dashboard = signed_in(who).get("/").content.decode()
        assert "Stopped at the moment of sending" in dashboard and post.title in dashboard and "385.5(c)" in dashboard

    edited = posts.update_post(
        actor=author,
        post=post,
        expected_version=post.version,
        title=post.title,
        body="Thank you to the volunteers who organised the Miles Avenue Park cleanup this Saturday.",
        category=post.category,
        channels=[channel],
    )
    review.approve_post(actor=supervisor2, post=edited)
    sent = posts.publish_post(actor=author, post=edited)
    assert sent.status == S.PUBLISHED and not sent.is_held and sent.held_reasons == []
    assert "Nothing was stopped." in signed_in(author).get("/").content.decode()


def test_a_scheduled_post_whose_author_lost_authorization_is_held_not_left_scheduled(
    author, channel, supervisor, chief, signed_in
):
    post = approved_post(author, channel, supervisor, scheduled_for=timezone.now() + timedelta(hours=1))
    revoke_authorization(actor=chief, authorization=Authorization.objects.get(member=author), reason="Reassigned")
    Post.objects.filter(pk=post.pk).update(scheduled_for=timezone.now() - timedelta(seconds=1))

    assert publishing.publish_due_scheduled() == 0
    post.refresh_from_db()
    assert post.status == S.IN_REVIEW
    [reason] = post.held_reasons
    assert reason["section"] == "385.3" and reason["message"].startswith(author.get_full_name() or author.username)
    assert "its author" in reason["message"]
    dashboard = signed_in(supervisor).get("/").content.decode()
    assert "Stopped at the moment of sending" in dashboard and "its author" in dashboard
    # The sweeper does not try it again every minute: it is in review now, waiting for a person.
    assert publishing.publish_due_scheduled() == 0
    assert Post.objects.get(pk=post.pk).status == S.IN_REVIEW


def test_publish_now_by_an_unauthorized_member_is_refused_and_changes_nothing(
    author, channel, supervisor, chief, supervisor2
):
    post = approved_post(author, channel, supervisor)
    from core.errors import PolicyViolation

    with pytest.raises(PolicyViolation) as refused:
        posts.publish_post(actor=supervisor2, post=post)
    assert refused.value.section in {"385.3", "385.8"}
    post.refresh_from_db()
    assert post.status == S.APPROVED and not post.is_held


def test_an_approver_who_is_no_longer_a_supervisor_holds_the_post(author, channel, supervisor):
    post = approved_post(author, channel, supervisor)
    supervisor.groups.clear()
    held = posts.publish_post(actor=author, post=post)
    assert held.status == S.IN_REVIEW
    assert [r["code"] for r in held.held_reasons] == ["approver_not_supervisor"]


def test_a_finding_new_since_approval_holds_it_and_one_the_approver_acknowledged_does_not(author, channel, supervisor):
    emoji = "🚓🚓🚓 🎉🎉"
    seen = approved_post(author, channel, supervisor, title="Holiday parade", body=emoji)
    assert Review.objects.get(post=seen, status=Review.Status.APPROVED).findings.filter(rule_id="a11y.emoji_only")
    assert posts.publish_post(actor=author, post=seen).status == S.PUBLISHED

    screening.set_rule_setting(actor=supervisor, rule_id="a11y.emoji_only", enabled=False)
    unseen = approved_post(author, channel, supervisor, title="Holiday parade route", body=emoji)
    screening.set_rule_setting(actor=supervisor, rule_id="a11y.emoji_only", enabled=True)
    held = posts.publish_post(actor=author, post=unseen)
    assert held.status == S.IN_REVIEW
    assert [r["code"] for r in held.held_reasons] == ["screening_new"]


def test_a_retry_is_checked_again_before_it_reaches_the_platform(
    author,
    channel,
    other_channel,
    supervisor,
    smo,
    flaky,  # noqa: F811
):
    post = approved_post(author, channel, supervisor)
    post.channels.set([other_channel])
    flaky.answers = [AdapterError("Service unavailable", permanent=False, retry_after=1)]
    posts.publish_post(actor=author, post=post)
    publication = Publication.objects.get(post=post)
    publishing.publish_publication(publication.pk)
    publication.refresh_from_db()
    assert publication.status == Publication.Status.PENDING and flaky.published == []

    register(supervisor)
    Publication.objects.filter(pk=publication.pk).update(next_attempt_at=None)
    publishing.publish_publication(publication.pk)
    publication.refresh_from_db()
    assert publication.status == Publication.Status.FAILED and publication.last_error_code == "held_at_send"
    assert "385.5(c)" in publication.last_error and flaky.published == []
    assert AuditEvent.objects.filter(verb="publication.held_at_send", object_id=str(post.pk)).exists()
    assert Notification.objects.filter(event="publication.needs_attention", recipient=smo).exists()

    # Retried by hand it is checked again; still stopped, it still does not reach the platform.
    publishing.retry_publication(actor=smo, publication=publication)
    publishing.publish_publication(publication.pk)
    assert Publication.objects.get(pk=publication.pk).status == Publication.Status.FAILED and flaky.published == []


def test_an_incident_update_stopped_as_its_commander_approves_is_back_in_review_on_the_page(
    incident, commander, author, channel, supervisor, signed_in
):
    post = draft(author, [channel], incident=incident, body="Evacuation centre open at the Harriet Moss school.")
    review.submit_for_review(actor=author, post=post)
    register(supervisor)  # registered while the update waited for its commander

    page = signed_in(commander).post(f"/review/{post.pk}/", {"action": "approve"}, follow=True).content.decode()
    assert "Approved, but not sent" in page and "385.5(c)" in page
    post.refresh_from_db()
    assert post.status == S.IN_REVIEW and post.is_held and not Publication.objects.filter(post=post).exists()
