"""The X desk through the services that drive it: token renewal on schedule and a moderation decision carried to X."""

from datetime import timedelta

import pytest
from django.utils import timezone

from posts.models import Channel, Comment, PlatformCommentAction
from posts.publishing import comment_actions, intake, renewal
from posts.publishing.base import adapter_for
from posts.publishing.credentials import channel_credentials

from .helpers import published_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def x_renewable(connect, x_fake):
    return connect(
        "x",
        api_base_url=x_fake.url,
        external_account_id=x_fake.user_id,
        handle="@ExamplePD",
        access_token=x_fake.token,
        refresh_token=x_fake.first_refresh_token,
        client_id=x_fake.client_id,
    )


def test_an_expiring_x_token_is_renewed_and_stored(x_renewable, x_fake):
    channel = x_renewable.channel
    Channel.objects.filter(pk=channel.pk).update(credentials_expire_at=timezone.now() + timedelta(minutes=20))
    x_fake.expire_access_token()

    assert renewal.renew_due() == 1
    channel.refresh_from_db()
    stored = channel_credentials(channel)
    assert stored["refresh_token"] == x_fake.current_refresh_token() != x_fake.first_refresh_token
    assert channel.credentials_expire_at > timezone.now() + timedelta(minutes=110)
    assert adapter_for(channel).fetch_own_posts(since=timezone.now() - timedelta(days=1)) == []  # new token works
    assert renewal.renew_due() == 0  # not due again for another 90 minutes


def test_a_token_far_from_expiry_is_left_alone(x_renewable, x_fake):
    Channel.objects.filter(pk=x_renewable.channel.pk).update(credentials_expire_at=timezone.now() + timedelta(hours=2))
    assert renewal.renew_due() == 0 and x_fake.refreshes == []


def test_hiding_a_reply_in_socialgov_hides_it_on_x(x, x_fake, author):
    post, publication = published_on(x, author, "Road closed on Main Street until 6 pm.")
    reply = x_fake.add_reply(publication.external_id, "@ExamplePD you are all idiots")
    assert intake.fetch_platform_comments() == 1
    comment = Comment.objects.get(external_id=reply["id"])
    action = PlatformCommentAction.objects.create(comment=comment, action="hide", reason="insult", requested_by=author)

    assert comment_actions.carry_out(action.pk) == PlatformCommentAction.Status.DONE
    action.refresh_from_db()
    assert action.todo == "" and "hidden" in action.summary and action.done_at is not None
    assert x_fake.tweets[reply["id"]]["hidden"] is True
