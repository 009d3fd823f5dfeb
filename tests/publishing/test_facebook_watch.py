"""The Facebook Page through socialgov's own services: a comment removed or hidden in socialgov is removed or hidden on
the Page, the Page token is renewed before it lapses, and what happens on the Page outside socialgov (a post made
there, an approved post edited there) is captured and told."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Notification
from moderation.monitoring import moderate_comment
from posts.models import AccountPost, AccountPostVersion, Channel, Comment
from posts.publishing import account_watch, comment_actions, intake, renewal
from posts.publishing.base import adapter_for
from posts.publishing.credentials import channel_credentials
from retention.models import Record, RecordKind

from .helpers import published_on, version

pytestmark = pytest.mark.django_db


# Comments ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "hidden", "deleted"), [("remove", False, True), ("hide", True, False)])
def test_a_comment_moderated_in_socialgov_is_carried_to_the_page(
    facebook, facebook_fake, author, action, hidden, deleted
):
    _, publication = published_on(facebook, author, "Road closed on Miles Ave until 5 pm.")
    said = facebook_fake.add_comment(publication.external_id, "You are all idiots", name="Pat")
    assert intake.fetch_platform_comments() == 1
    comment = Comment.objects.get(external_id=said["id"])

    moderate_comment(actor=author, comment=comment, action=action, reason="personal_attack")
    entry = comment.platform_actions.get()
    assert facebook_fake.state()["comments"][said["id"]]["deleted"] is False  # not before the work is carried out

    assert comment_actions.carry_out(entry.pk) == "done"

    assert facebook_fake.state()["comments"][said["id"]] == {
        "post_id": publication.external_id,
        "hidden": hidden,
        "deleted": deleted,
    }
    entry.refresh_from_db()
    assert entry.done_at is not None and entry.todo == "" and entry.summary


# Renewal -------------------------------------------------------------------------------------------------------


@pytest.fixture
def renewable_channel(connect, facebook_fake) -> Channel:
    adapter = connect(
        "facebook",
        api_base_url=facebook_fake.graph_url,
        external_account_id=facebook_fake.page_id,
        access_token=facebook_fake.token,
        app_id=facebook_fake.app_id,
        app_secret=facebook_fake.app_secret,
        user_token=facebook_fake.user_token,
    )
    return adapter.channel


def test_a_token_expiring_within_ten_days_is_renewed_and_works(renewable_channel, facebook_fake):
    Channel.objects.filter(pk=renewable_channel.pk).update(credentials_expire_at=timezone.now() + timedelta(days=9))

    assert renewal.renew_due() == 1

    channel = Channel.objects.get(pk=renewable_channel.pk)
    fresh = channel_credentials(channel)
    assert fresh["access_token"] != facebook_fake.token and fresh["user_token"] != facebook_fake.user_token
    assert channel.credentials_expire_at > timezone.now() + timedelta(days=59)
    assert channel.credentials_renewal_error == ""
    # The old user token may lapse now: the channel publishes with what renewal stored.
    facebook_fake.expire(facebook_fake.user_token)
    facebook_fake.expire(facebook_fake.token)
    result = adapter_for(channel).publish(version())
    assert facebook_fake.posts[result.external_id]["message"].startswith("Join us")


def test_a_token_with_more_than_ten_days_left_is_left_alone(renewable_channel, facebook_fake):
    Channel.objects.filter(pk=renewable_channel.pk).update(credentials_expire_at=timezone.now() + timedelta(days=11))
    assert renewal.renew_due() == 0
    assert facebook_fake.requests == []


def test_a_failed_renewal_is_kept_on_the_channel_and_the_credentials_stay(renewable_channel, facebook_fake):
    Channel.objects.filter(pk=renewable_channel.pk).update(credentials_expire_at=timezone.now() + timedelta(days=3))
    before = channel_credentials(renewable_channel)
    facebook_fake.expire(facebook_fake.user_token)

    assert renewal.renew_due() == 0

    channel = Channel.objects.get(pk=renewable_channel.pk)
    assert "Session has expired" in channel.credentials_renewal_error
    assert facebook_fake.user_token not in channel.credentials_renewal_error
    assert channel_credentials(channel) == before


# The Page's own posts ------------------------------------------------------------------------------------------


def test_a_post_made_directly_on_the_page_is_captured_and_told(facebook, facebook_fake, author, supervisor):
    made = facebook_fake.add_post("Checkpoint on Route 9 tonight, typed straight into Facebook.")

    counts = account_watch.read_account(facebook.channel)

    assert counts["outside"] == 1
    seen = AccountPost.objects.get(channel=facebook.channel, external_id=made["id"])
    assert seen.outside and seen.publication is None
    [wording] = seen.versions.all()
    assert wording.flagged and wording.text == made["message"]
    record = Record.objects.get(kind=RecordKind.ACCOUNT_POST, source_id=seen.pk)
    assert record.content["posted_outside_socialgov"] is True
    told = Notification.objects.filter(event="account_post.flagged")
    assert {n.recipient for n in told} >= {author, supervisor}


def test_an_edit_made_on_the_page_to_a_published_post_is_a_new_flagged_version(
    facebook, facebook_fake, author, supervisor
):
    _, publication = published_on(facebook, author, "Road closed on Miles Ave until 5 pm.")
    account_watch.read_account(facebook.channel)
    seen = AccountPost.objects.get(external_id=publication.external_id)
    assert not seen.outside and [v.flagged for v in seen.versions.all()] == [False]

    facebook_fake.add_comment(publication.external_id, "Thanks!")  # moves updated_time, not the words
    account_watch.read_account(facebook.channel)
    assert seen.versions.count() == 1

    facebook_fake.edit_post(publication.external_id, "Road closed on Miles Ave until 9 pm.")
    counts = account_watch.read_account(facebook.channel)

    assert counts["edited"] == 1
    latest = seen.versions.order_by("-number").first()
    assert (latest.number, latest.change, latest.flagged) == (2, AccountPostVersion.Change.EDITED, True)
    assert latest.text == "Road closed on Miles Ave until 9 pm."
    record = Record.objects.get(kind=RecordKind.ACCOUNT_POST, source_id=seen.pk, source_version="v2")
    assert record.content["flagged"] is True
    assert Notification.objects.filter(event="account_post.flagged", recipient=supervisor).exists()
