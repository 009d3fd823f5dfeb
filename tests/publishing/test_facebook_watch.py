"""The Facebook Page through socialgov's own services: a comment removed or hidden in socialgov is removed or hidden on
the Page, the Page token is renewed before it lapses, and what happens on the Page outside socialgov (a post made
there, an approved post edited there) is captured and told."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Notification
from moderation.monitoring import moderate_comment
from posts.models import AccountPost, AccountPostVersion, Channel, Comment, Post, Publication
from posts.publishing import account_watch, comment_actions, intake, renewal
from posts.publishing.base import MediaItem, adapter_for
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


def test_a_video_post_kept_under_its_videos_id_is_known_as_socialgovs_own(
    facebook, facebook_fake, author, supervisor, tmp_path, settings
):
    """When the video's Page post id cannot be read at publishing, the publication keeps the video's own id; the
    Page feed names the video as the post's attachment target, so reading the Page back still finds the post
    socialgov made, neither as one made outside it nor as its own post deleted."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "safety.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    post = Post.objects.create(
        title="Bike safety",
        body="Bike safety in 30 seconds.",
        category="crime_prevention",
        author=author,
        status=Post.Status.PUBLISHED,
        approved_at=timezone.now(),
        published_at=timezone.now(),
    )
    facebook_fake.fail_next("server_error", path="/7", times=5)  # GET /{video-id}?fields=post_id
    result = facebook.publish(
        version(
            post_id=post.pk,
            body=post.body,
            idempotency_key="facebook-video",
            media=(MediaItem("safety.mp4", "video/mp4", "safety.mp4"),),
        )
    )
    [video] = facebook_fake.videos.values()
    assert result.external_id == video["id"] != video["post_id"]
    Publication.objects.create(
        post=post,
        channel=facebook.channel,
        post_version=post.version,
        idempotency_key="facebook-video",
        status=Publication.Status.PUBLISHED,
        external_id=result.external_id,
        url=result.url,
        published_at=timezone.now() - timedelta(hours=1),
    )

    counts = account_watch.read_account(facebook.channel)

    assert (counts["outside"], counts["deleted"]) == (0, 0)
    seen = AccountPost.objects.get(channel=facebook.channel, external_id=video["post_id"])
    assert not seen.outside and seen.publication.post == post
    assert [v.flagged for v in seen.versions.all()] == [False]
    assert not Notification.objects.filter(event="account_post.flagged").exists()
