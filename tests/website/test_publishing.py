"""Publishing core: one Publication per (post version, channel), claimed, delivered once, swept, reconciled."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import services as review
from posts import services as posts
from posts.models import Post, Publication
from posts.publishing import services as publishing
from posts.publishing.base import AdapterError, Capability, PublishResult
from tests.posts.factories import draft

pytestmark = pytest.mark.django_db
P = Publication.Status


@pytest.fixture
def approved(author, channel, supervisor):
    post = draft(author, [channel])
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    post.refresh_from_db()
    return post


class FlakyAdapter:
    """Stands in for a platform to script its answers; real platforms are tested against their protocol."""

    capabilities = frozenset({Capability.PUBLISH})
    answers: list = []
    published: list = []
    found = None

    def __init__(self, channel):
        self.channel = channel

    def publish(self, version):
        answer = FlakyAdapter.answers.pop(0) if FlakyAdapter.answers else None
        if isinstance(answer, Exception):
            raise answer
        FlakyAdapter.published.append(version.idempotency_key)
        return PublishResult(external_id=f"ext-{len(FlakyAdapter.published)}", url="https://platform.example/p/1")

    def find(self, key):
        return FlakyAdapter.found


@pytest.fixture
def flaky(monkeypatch, other_channel):
    FlakyAdapter.answers, FlakyAdapter.published, FlakyAdapter.found = [], [], None
    FlakyAdapter.capabilities = frozenset({Capability.PUBLISH})
    monkeypatch.setattr(
        publishing, "adapter_for", lambda channel: FlakyAdapter(channel) if channel == other_channel else _real(channel)
    )
    return FlakyAdapter


def _real(channel):
    from posts.publishing.base import adapter_for

    return adapter_for(channel)


def test_publishing_releases_one_publication_per_channel_and_delivers_it(
    approved, author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=approved)
    publication = Publication.objects.get(post=approved)
    assert publication.status == P.PUBLISHED and publication.post_version == approved.version
    assert publication.url.endswith(f"/news/{approved.pk}-national-night-out/")
    assert publication.attempts == 1


def test_running_the_task_twice_publishes_once(
    approved, author, flaky, other_channel, django_capture_on_commit_callbacks
):
    approved.channels.add(other_channel)
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=approved)
    publication = Publication.objects.get(post=approved, channel=other_channel)
    assert publishing.publish_publication(publication.pk) == (publishing.Outcome.SKIPPED, None)
    assert len(flaky.published) == 1


def test_transient_error_retries_with_backoff_then_succeeds(approved, author, flaky, other_channel):
    approved.channels.set([other_channel])
    flaky.answers = [AdapterError("Service unavailable", permanent=False, code="server")]
    posts.publish_post(actor=author, post=approved)
    publication = Publication.objects.get(post=approved)
    outcome, wait = publishing.publish_publication(publication.pk)
    publication.refresh_from_db()
    assert outcome == publishing.Outcome.RETRY and wait >= 1
    assert publication.status == P.PENDING and publication.next_attempt_at > timezone.now()
    assert publication.last_error == "Service unavailable"
    Publication.objects.filter(pk=publication.pk).update(next_attempt_at=timezone.now())
    assert publishing.publish_publication(publication.pk)[0] == publishing.Outcome.PUBLISHED


def test_rate_limit_waits_as_long_as_the_platform_says(approved, author, flaky, other_channel):
    approved.channels.set([other_channel])
    flaky.answers = [AdapterError("Too many requests", permanent=False, code="rate_limited", retry_after=900)]
    posts.publish_post(actor=author, post=approved)
    assert publishing.publish_publication(Publication.objects.get(post=approved).pk) == (publishing.Outcome.RETRY, 900)


def test_permanent_error_stops_shows_the_message_and_can_be_retried(approved, author, flaky, other_channel):
    approved.channels.set([other_channel])
    flaky.answers = [AdapterError("Error validating access token: Session has expired", permanent=True, code="auth")]
    posts.publish_post(actor=author, post=approved)
    publication = Publication.objects.get(post=approved)
    assert publishing.publish_publication(publication.pk)[0] == publishing.Outcome.FAILED
    publication.refresh_from_db()
    assert publication.status == P.FAILED and "Session has expired" in publication.last_error
    publishing.retry_publication(actor=author, publication=publication)
    assert publishing.publish_publication(publication.pk)[0] == publishing.Outcome.PUBLISHED


def test_a_claim_left_by_a_dead_worker_is_reconciled_not_reposted(approved, author, flaky, other_channel, settings):
    approved.channels.set([other_channel])
    flaky.capabilities = frozenset({Capability.PUBLISH, Capability.LOOKUP})
    posts.publish_post(actor=author, post=approved)
    publication = Publication.objects.get(post=approved)
    # A worker claimed it, reached the platform, and died before recording the result.
    Publication.objects.filter(pk=publication.pk).update(
        status=P.PUBLISHING, attempts=1, started_at=timezone.now() - timedelta(hours=1)
    )
    flaky.found = PublishResult(external_id="already-there", url="https://platform.example/p/9")
    assert publishing.publish_publication(publication.pk)[0] == publishing.Outcome.PUBLISHED
    publication.refresh_from_db()
    assert publication.external_id == "already-there" and flaky.published == []


def test_a_live_claim_is_left_alone(approved, author, flaky, other_channel):
    approved.channels.set([other_channel])
    posts.publish_post(actor=author, post=approved)
    publication = Publication.objects.get(post=approved)
    Publication.objects.filter(pk=publication.pk).update(status=P.PUBLISHING, started_at=timezone.now())
    assert publishing.publish_publication(publication.pk)[0] == publishing.Outcome.SKIPPED


def test_platform_without_lookup_or_idempotency_stops_for_a_person(approved, author, flaky, other_channel):
    approved.channels.set([other_channel])
    posts.publish_post(actor=author, post=approved)
    publication = Publication.objects.get(post=approved)
    Publication.objects.filter(pk=publication.pk).update(
        status=P.PUBLISHING, started_at=timezone.now() - timedelta(hours=1)
    )
    assert publishing.publish_publication(publication.pk)[0] == publishing.Outcome.FAILED
    publication.refresh_from_db()
    assert publication.last_error_code == "unknown_outcome" and flaky.published == []


def test_sweeper_sends_what_a_lost_message_left(approved, author, settings, django_capture_on_commit_callbacks):
    settings.PUBLISH_SWEEP_AFTER_SECONDS = 0
    posts.publish_post(actor=author, post=approved)  # no on-commit callbacks run: the message is "lost"
    publication = Publication.objects.get(post=approved)
    assert publication.status == P.PENDING
    assert publishing.sweep()["publications"] == 1
    publication.refresh_from_db()
    assert publication.status == P.PUBLISHED
    assert publishing.sweep()["publications"] == 0


def test_due_scheduled_posts_are_published_by_the_sweeper(author, channel, supervisor):
    post = draft(author, [channel], scheduled_for=timezone.now() + timedelta(minutes=5))
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED
    assert publishing.publish_due_scheduled() == 0
    Post.objects.filter(pk=post.pk).update(scheduled_for=timezone.now() - timedelta(seconds=1))
    assert publishing.publish_due_scheduled() == 1
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and post.published_by == author


def test_removal_takes_it_down_everywhere_or_leaves_a_todo(
    approved, author, supervisor, flaky, other_channel, django_capture_on_commit_callbacks
):
    approved.channels.add(other_channel)
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=approved)
    with django_capture_on_commit_callbacks(execute=True):
        posts.remove_from_public_view(actor=supervisor, post=approved, reason="Reported: personal information")
    statuses = dict(Publication.objects.filter(post=approved).values_list("channel__slug", "status"))
    assert statuses == {"news": P.REMOVED, other_channel.slug: P.REMOVAL_PENDING}
    todo = Publication.objects.get(channel=other_channel).removal_todo
    assert todo.reason == "Reported: personal information"
    approved.refresh_from_db()
    assert approved.status == Post.Status.REMOVED and approved.body  # kept, not destroyed


def test_manual_removal_is_confirmed_by_a_supervisor(
    approved, author, supervisor, flaky, other_channel, signed_in, django_capture_on_commit_callbacks
):
    approved.channels.set([other_channel])
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=approved)
    with django_capture_on_commit_callbacks(execute=True):
        posts.remove_from_public_view(actor=supervisor, post=approved, reason="Wrong date")
    client = signed_in(supervisor)
    page = client.get("/removals/").content.decode()
    assert "https://platform.example/p/1" in page and "Wrong date" in page
    todo = Publication.objects.get(post=approved).removal_todo
    client.post("/removals/", {"todo": todo.pk})
    todo.refresh_from_db()
    assert todo.confirmed_by == supervisor
    assert Publication.objects.get(post=approved).status == P.REMOVED


def test_a_failure_for_good_reaches_the_smo_and_supervisors_once_and_their_dashboards(
    approved, author, flaky, other_channel, smo, supervisor, signed_in
):
    from core.models import Notification

    approved.channels.set([other_channel])
    flaky.answers = [AdapterError("Error validating access token: Session has expired", permanent=True, code="auth")]
    posts.publish_post(actor=author, post=approved)
    publication = Publication.objects.get(post=approved)
    publishing.publish_publication(publication.pk)
    told = Notification.objects.filter(event="publication.needs_attention")
    assert set(told.values_list("recipient__username", flat=True)) == {smo.username, supervisor.username}
    assert "Session has expired" in told.first().body

    smo_page = signed_in(smo).get("/").content.decode()
    assert "Publishing that needs attention" in smo_page and "Session has expired" in smo_page
    assert f"/posts/{approved.pk}/publications/{publication.pk}/retry/" in smo_page
    supervisor_page = signed_in(supervisor).get("/").content.decode()
    assert "Session has expired" in supervisor_page and "/retry/" not in supervisor_page  # the SMO retries

    # Retried by hand and failing again is news again; the same failure is not told twice.
    flaky.answers = [AdapterError("Session has expired", permanent=True, code="auth")]
    publishing.retry_publication(actor=smo, publication=publication)
    publishing.publish_publication(publication.pk)
    assert told.count() == 4


def test_a_publication_still_retrying_is_told_once_not_once_per_attempt(
    approved, author, flaky, other_channel, smo, settings
):
    from core.models import Notification

    settings.PUBLISH_ATTENTION_ATTEMPTS = 2
    approved.channels.set([other_channel])
    flaky.answers = [AdapterError("Service unavailable", permanent=False, code="server") for _ in range(4)]
    posts.publish_post(actor=author, post=approved)
    publication = Publication.objects.get(post=approved)
    for _ in range(4):
        Publication.objects.filter(pk=publication.pk).update(next_attempt_at=None)
        assert publishing.publish_publication(publication.pk)[0] == publishing.Outcome.RETRY
    told = Notification.objects.filter(event="publication.needs_attention", recipient=smo)
    assert told.count() == 1 and "still failing after 2 attempts" in told.get().subject
