"""Records tests share a series with its schedule (two years after publication, then destroy), and a way to
publish and capture a post through the real services."""

import pytest

from moderation import services as review
from posts import services as posts
from retention.models import ClassificationRule, RecordSeries, RetentionSchedule
from retention.services import capture_post
from tests.posts.factories import draft


@pytest.fixture
def schedule(custodian):
    series = RecordSeries.objects.create(code="CW-026", title="Social media content")
    schedule = RetentionSchedule.objects.create(
        series=series,
        version=1,
        period=2,
        unit="years",
        trigger="publication",
        action="destroy",
        citation="CW-026",
        approved_by=custodian,
    )
    ClassificationRule.objects.create(kind="post", series=series, created_by=custodian)
    return schedule


@pytest.fixture
def publish(author, channel, supervisor, schedule):
    def make(body="Road work on Monroe Street this week.", attach=None, **kw):
        post = draft(author, [channel], body=body, **kw)
        if attach is not None:
            attach.seek(0)
            posts.add_attachment(
                actor=author, post=post, uploaded=attach, alt_text="Road crew repaving Monroe Street near Avenue 44"
            )
            post.refresh_from_db()
        review.submit_for_review(actor=author, post=post)
        review.approve_post(actor=supervisor, post=post)
        posts.publish_post(actor=author, post=post)
        return capture_post(post.pk)[0]

    return make


@pytest.fixture
def series(custodian):
    """CW-026 filing posts, incident updates, comments and removed comments."""
    cw026 = RecordSeries.objects.create(code="CW-026", title="Social media content")
    RetentionSchedule.objects.create(
        series=cw026,
        version=1,
        period=2,
        unit="years",
        trigger="publication",
        action="destroy",
        citation="City records schedule CW-026",
        approved_by=custodian,
    )
    for kind in ("post", "incident_update", "comment", "removed_comment"):
        ClassificationRule.objects.create(kind=kind, series=cw026, created_by=custodian)
    return cw026
