"""What comes back from the platforms: comments pulled on a schedule and engagement figures, end to end
through the adapters and their local servers."""

import pytest
from django.test import Client

from posts.models import Comment, Post, Publication, PublicationMetric
from posts.publishing import intake
from posts.publishing.base import adapter_for

pytestmark = pytest.mark.django_db


def test_mentions_on_mastodon_arrive_screened_in_the_monitoring_queue(mastodon, mastodon_fake):
    mastodon_fake.add_mention("Thank you for the road closure update!", acct="neighbor@example.social")
    mastodon_fake.add_mention("I will shoot the officers at the station tonight", acct="angry@example.social")
    assert intake.fetch_platform_comments() == 2
    assert intake.fetch_platform_comments() == 0  # already taken in
    thanks = Comment.objects.get(author_handle__contains="neighbor")
    threat = Comment.objects.get(author_handle__contains="angry")
    assert "road closure update" in thanks.text and "<" not in thanks.text
    assert threat.screening.escalated and threat.screening.severity_rank == 3
    assert thanks.screening.severity_rank < threat.screening.severity_rank


def test_metrics_are_stored_per_publication_per_day(mastodon, mastodon_fake, author):
    channel = mastodon.channel
    from django.utils import timezone

    from posts.publishing.base import PostVersion

    post = Post.objects.create(
        title="Tips",
        body="Lock your car.",
        category="crime_prevention",
        author=author,
        status=Post.Status.PUBLISHED,
        approved_at=timezone.now(),
        published_at=timezone.now(),
    )

    result = adapter_for(channel).publish(
        PostVersion(post_id=post.pk, version=1, title="Tips", body="Lock your car.", idempotency_key="k-1")
    )
    Publication.objects.create(
        post=post,
        channel=channel,
        post_version=1,
        idempotency_key="k-1",
        status=Publication.Status.PUBLISHED,
        external_id=result.external_id,
        url=result.url,
        published_at=timezone.now(),
    )
    assert intake.collect_metrics() == 1
    assert intake.collect_metrics() == 1  # same day: updated, not duplicated
    metric = PublicationMetric.objects.get()
    assert metric.reactions is not None and metric.day == timezone.localdate()


def test_website_views_become_its_reach(author, channel, supervisor, chief, django_capture_on_commit_callbacks):
    from members.services import grant_authorization
    from moderation import services as review
    from posts import services as posts
    from tests.posts.factories import draft

    if not author.authorizations.exists():
        grant_authorization(actor=chief, member=author, all_channels=True)
    post = draft(author, [channel])
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=post)
    url = Publication.objects.get(post=post).url.split("8000")[-1]
    Client().get(url)
    Client().get(url)
    assert intake.collect_metrics() == 1
    assert PublicationMetric.objects.get().reach == 2
