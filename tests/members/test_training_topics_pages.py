"""385.8 through the pages: training that leaves out one of the five topics is named, topic and section, wherever
it stops a member, and nothing is granted or submitted on it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import Authorization, TrainingRecord, TrainingTopic
from members.services import grant_authorization
from moderation.models import Review
from posts.models import Post
from tests.factories import trained

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.8")]
WITHOUT_PRIVACY = [t for t in TrainingTopic.values if t != TrainingTopic.PRIVACY]
NOT_COVERED = "Current training does not cover: privacy."


def _record_training_through_the_form(client, member, topics, *, completed_on, valid_days=365):
    response = client.post(
        f"/members/{member.username}/training/new/",
        {
            "course": "Refresher: public information",
            "topics": topics,
            "completed_on": completed_on.isoformat(),
            "expires_on": (completed_on + timedelta(days=valid_days)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()
    return TrainingRecord.objects.get(member=member, course="Refresher: public information")


def test_training_recorded_without_privacy_is_named_on_the_member_page_and_refuses_authorization(
    signed_in, chief, supervisor, member, channel
):
    record = _record_training_through_the_form(
        signed_in(supervisor), member, WITHOUT_PRIVACY, completed_on=timezone.localdate()
    )
    assert TrainingTopic.PRIVACY not in record.topics and record.is_current()

    own_page = signed_in(member).get(f"/members/{member.username}/").content.decode()
    assert f'{NOT_COVERED} <span class="section">385.8</span>' in own_page

    response = signed_in(chief).post(
        f"/members/{member.username}/authorize/",
        {"channels": [channel.pk], "valid_from": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{member.username} cannot be authorized: {NOT_COVERED}" in html and "(385.8)" in html
    assert not Authorization.objects.filter(member=member).exists()


@pytest.fixture
def days_later(monkeypatch):
    """Move the clock every service and page reads (timezone.now, and localdate through it) forward."""
    real_now = timezone.now

    def move(days: int):
        monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=days))

    return move


def test_an_authorized_member_whose_current_training_lacks_privacy_cannot_submit_from_the_new_post_form(
    signed_in, chief, supervisor, member, channel, days_later
):
    # Authorized while the full course was current; the refresher that follows it leaves out privacy.
    trained(member, by=chief, days_ago=300, valid_days=330)
    _record_training_through_the_form(signed_in(supervisor), member, WITHOUT_PRIVACY, completed_on=timezone.localdate())
    grant_authorization(actor=chief, member=member, channels=[channel])
    days_later(31)  # the full course has expired; only the refresher is current

    client = signed_in(member)
    assert client.get("/posts/new/").status_code == 200  # still authorized: the form opens
    response = client.post(
        "/posts/new/",
        {
            "title": "Road work",
            "body": "Main Street is closed between 1st and 3rd until Friday.",
            "category": "traffic",
            "channels": [channel.pk],
            "action": "submit",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{NOT_COVERED} (385.8)" in html
    assert not Post.objects.exclude(status=Post.Status.DRAFT).exists()
    assert not Review.objects.exists()


def test_every_reason_a_post_is_refused_carries_its_own_section(
    signed_in, chief, supervisor, member, channel, other_channel, days_later
):
    """Not authorized for one of its channels (385.3) and training without privacy (385.8): the page names both,
    each with its own section."""
    trained(member, by=chief, days_ago=300, valid_days=330)
    _record_training_through_the_form(signed_in(supervisor), member, WITHOUT_PRIVACY, completed_on=timezone.localdate())
    grant_authorization(actor=chief, member=member, channels=[channel])
    days_later(31)
    response = signed_in(member).post(
        "/posts/new/",
        {
            "title": "Road work",
            "body": "Main Street is closed between 1st and 3rd until Friday.",
            "category": "traffic",
            "channels": [channel.pk, other_channel.pk],
            "action": "submit",
        },
    )
    html = response.content.decode()
    assert f"to post to {other_channel.name}. (385.3)" in html and f"{NOT_COVERED} (385.8)" in html
    assert not Post.objects.exclude(status=Post.Status.DRAFT).exists()
