"""The Social Media Officer's X desk against the local X fake: images and video with alt text, replies taken in and
screened, hiding replies, renewing the two-hour access token, and reading the account's own posts with edits."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from moderation.models import ThreatAlert
from posts.models import Comment
from posts.publishing import intake
from posts.publishing.adapters import x as x_module
from posts.publishing.base import AdapterError, CommentRef, MediaItem, adapter_for

from .helpers import published_on, version

pytestmark = pytest.mark.django_db


def stored(name: str, data: bytes) -> str:
    return storages["default"].save(f"x-desk/{name}", ContentFile(data))


@pytest.fixture
def renewable(connect, x_fake):
    def make(**extra):
        return connect(
            "x",
            api_base_url=x_fake.url,
            external_account_id=x_fake.user_id,
            handle="@ExamplePD",
            access_token=x_fake.token,
            refresh_token=x_fake.first_refresh_token,
            client_id=x_fake.client_id,
            **extra,
        )

    return make


# Media ---------------------------------------------------------------------------------------------------------


def test_a_post_with_two_images_carries_both_with_their_alt_text(x, x_fake):
    photos = (
        MediaItem("crosswalk.png", "image/png", stored("crosswalk.png", b"\x89PNG-one"), "Officer at a crosswalk"),
        MediaItem("van.jpg", "image/jpeg", stored("van.jpg", b"\xff\xd8-two"), "The community outreach van"),
    )
    result = x.publish(version(media=photos))

    tweet = x_fake.tweets[result.external_id]
    assert len(tweet["media_ids"]) == 2
    media = [x_fake.media[m] for m in tweet["media_ids"]]
    assert [m["alt_text"] for m in media] == ["Officer at a crosswalk", "The community outreach van"]
    assert [m["data"] for m in media] == [b"\x89PNG-one", b"\xff\xd8-two"]
    assert [(m["media_type"], m["category"]) for m in media] == [
        ("image/png", "tweet_image"),
        ("image/jpeg", "tweet_image"),
    ]
    post_request = next(r for r in x_fake.requests if r.method == "POST" and r.path == "/2/tweets")
    assert post_request.json()["media"] == {"media_ids": tweet["media_ids"]}
    # Alt text is set before the post exists, so the post never appears without it.
    order = [r.path for r in x_fake.requests]
    assert order.index("/2/tweets") > max(i for i, p in enumerate(order) if p == "/2/media/metadata")


def test_a_video_goes_up_in_segments_and_is_posted_once_processed(x, x_fake, monkeypatch):
    monkeypatch.setattr(x_module, "CHUNK_BYTES", 10)
    x.media_poll_max_wait = 0.01
    x_fake.video_status_checks = 2
    clip = bytes(range(25))
    item = MediaItem("clip.mp4", "video/mp4", stored("clip.mp4", clip), "Cadets at the range")
    result = x.publish(version(media=(item,)))

    [media_id] = x_fake.tweets[result.external_id]["media_ids"]
    media = x_fake.media[media_id]
    assert media["data"] == clip and media["segments"] == [0, 1, 2] and media["state"] == "succeeded"
    assert media["category"] == "tweet_video" and media["alt_text"] == "Cadets at the range"
    assert sum(1 for r in x_fake.requests if r.path == "/2/media/upload" and r.method == "GET") == 2


def test_a_missing_attachment_is_a_clear_refusal(x, x_fake):
    with pytest.raises(AdapterError, match="missing from storage") as raised:
        x.publish(version(media=(MediaItem("gone.png", "image/png", "x-desk/gone.png", "alt"),)))
    assert raised.value.permanent and x_fake.tweets == {}


# Replies -------------------------------------------------------------------------------------------------------


def test_a_reply_on_x_is_taken_in_and_screened(x, x_fake, author, django_capture_on_commit_callbacks):
    post, publication = published_on(x, author, "Road closed on Main Street until 6 pm.")
    x_fake.add_reply(publication.external_id, "@ExamplePD I will shoot the officers at the station tonight")
    thanks = x_fake.add_reply(publication.external_id, "@ExamplePD thanks for the update", username="neighbor")
    x_fake.add_reply(thanks["id"], "@neighbor @ExamplePD agreed, thank you", username="another")

    with django_capture_on_commit_callbacks(execute=True):
        assert intake.fetch_platform_comments() == 3
    assert intake.fetch_platform_comments() == 0  # already taken in

    threat = Comment.objects.get(text__contains="shoot")
    assert threat.post == post and threat.author_handle == "@resident42"
    assert threat.url.startswith("https://x.com/resident42/status/")
    assert threat.screening.escalated and ThreatAlert.objects.filter(comment=threat).exists()
    # A reply to a reply still belongs to the department's post.
    assert Comment.objects.get(author_handle="@another").post == post
    assert not ThreatAlert.objects.exclude(comment=threat).exists()


def test_the_accounts_own_replies_are_not_comments(x, x_fake):
    tweet = x_fake.add_tweet("Thread start")
    reply = x_fake.add_reply(tweet["id"], "@ExamplePD where?")
    x_fake.add_reply(reply["id"], "@resident42 At the station, @ExamplePD", username="ExamplePD")
    assert [c.text for c in x.fetch_comments(None)] == ["@ExamplePD where?"]


def test_hide_and_remove_hide_the_reply_and_show_brings_it_back(x, x_fake):
    tweet = x_fake.add_tweet("Lost dog found on Elm Street.")
    reply = x_fake.add_reply(tweet["id"], "@ExamplePD you people are useless")
    ref = CommentRef(external_id=reply["id"], author_handle="@resident42", in_reply_to=tweet["id"])

    hidden = x.moderate_comment(ref, "hide", "insulting")
    assert hidden.done and hidden.todo == "" and x_fake.tweets[reply["id"]]["hidden"] is True
    assert x_fake.requests[-1].json() == {"hidden": True}

    shown = x.moderate_comment(ref, "show", "")
    assert shown.done and x_fake.tweets[reply["id"]]["hidden"] is False

    removed = x.moderate_comment(ref, "remove", "threat")
    assert removed.done and removed.todo == "" and x_fake.tweets[reply["id"]]["hidden"] is True
    assert "does not let an account delete" in removed.summary


def test_a_reply_outside_the_departments_conversations_becomes_a_to_do(x, x_fake):
    elsewhere = x_fake.add_reply(x_fake.add_tweet("x")["id"], "@ExamplePD hello", username="someone")
    stranger_post = x_fake.add_reply(elsewhere["id"], "unrelated")
    stranger_post.update(conversation_id=stranger_post["id"], author_id="999")  # a post in someone else's thread
    outcome = x.moderate_comment(CommentRef(external_id=stranger_post["id"]), "hide", "spam")
    assert not outcome.done and "by hand" in outcome.todo
    assert x_fake.tweets[stranger_post["id"]]["hidden"] is False


# Credentials ---------------------------------------------------------------------------------------------------


def test_an_expiring_token_is_renewed_and_the_old_refresh_token_stops_working(renewable, x_fake):
    adapter = renewable()
    assert adapter.renew_ahead == timedelta(minutes=30)
    x_fake.expire_access_token()
    with pytest.raises(AdapterError) as raised:
        adapter.publish(version())
    assert raised.value.code == "auth"

    before = datetime.now(UTC)
    renewal = adapter.renew_credentials()
    token_request = x_fake.requests[-1]
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert token_request.form() == {
        "grant_type": ["refresh_token"],
        "refresh_token": [x_fake.first_refresh_token],
        "client_id": [x_fake.client_id],
    }
    credentials = renewal.credentials
    assert credentials["access_token"] != x_fake.token
    assert credentials["refresh_token"] == x_fake.current_refresh_token() != x_fake.first_refresh_token
    assert credentials["client_id"] == x_fake.client_id
    assert (
        before + timedelta(hours=2) - timedelta(seconds=5)
        <= renewal.expires_at
        <= datetime.now(UTC) + timedelta(hours=2)
    )
    assert adapter.publish(version()).external_id  # the new token works

    # Rotation: the refresh token that was used is dead.
    stale = adapter_for(adapter.channel)  # still holding what is stored: the old pair
    with pytest.raises(AdapterError, match="Authorize socialgov's X app") as refused:
        stale.renew_credentials()
    assert refused.value.code == "auth" and refused.value.permanent
    assert x_fake.first_refresh_token not in refused.value.message


def test_a_confidential_client_signs_in_with_http_basic(renewable, x_fake):
    x_fake.client_secret = "x-client-secret-abcdef"
    adapter = renewable(client_secret="x-client-secret-abcdef")
    adapter.renew_credentials()
    request = x_fake.requests[-1]
    assert request.headers["authorization"].startswith("Basic ")
    assert "client_id" not in request.form()


def test_renewal_without_a_refresh_token_says_what_is_missing(x):
    with pytest.raises(AdapterError, match="without the refresh token and client ID") as raised:
        x.renew_credentials()
    assert raised.value.code == "auth" and "credentials page" in raised.value.message


def test_the_credentials_page_takes_the_token_alone_or_with_what_renewal_needs(signed_in, chief, x_fake):
    from posts.models import Channel
    from posts.publishing.credentials import channel_credentials

    channel = Channel.objects.create(name="X", slug="x-page", kind="x", external_account_id=x_fake.user_id)
    client = signed_in(chief)
    assert client.post("/channels/x-page/credentials/", {"access_token": "tok-only-0123"}).status_code == 302
    channel.refresh_from_db()
    assert channel_credentials(channel) == {"access_token": "tok-only-0123"}
    response = client.post(
        "/channels/x-page/credentials/",
        {"access_token": "tok-0123", "refresh_token": "ref-0123", "client_id": "cid-0123", "client_secret": ""},
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel_credentials(channel) == {
        "access_token": "tok-0123",
        "refresh_token": "ref-0123",
        "client_id": "cid-0123",
    }


# Own posts -----------------------------------------------------------------------------------------------------


def test_own_posts_carry_the_original_id_and_the_edit_history(x, x_fake):
    published = x.publish(version(body="Parade on Saturday at 10."))
    x_fake.edit_tweet(published.external_id, "Parade on Saturday at 11.")
    latest = x_fake.edit_tweet(
        x_fake.tweets[published.external_id]["edit_history_post_ids"][-1], "Parade on Sunday at 11."
    )
    outside = x_fake.add_tweet("Posted from the phone app.")
    x_fake.add_tweet("Too old to list.", created_at=datetime.now(UTC) - timedelta(days=40))

    posts = x.fetch_own_posts(since=datetime.now(UTC) - timedelta(days=30))

    assert [p.external_id for p in posts] == [outside["id"], published.external_id]
    parade = posts[1]
    assert parade.text == "Parade on Sunday at 11."
    assert [v.text for v in parade.history] == ["Parade on Saturday at 10.", "Parade on Saturday at 11."]
    assert parade.edited_at is not None and parade.edited_at >= parade.created_at
    assert parade.raw["id"] == latest["id"] and parade.url.endswith(latest["id"])
    assert posts[0].history == () and posts[0].edited_at is None


def test_own_posts_page_through_the_timeline_and_keep_alt_text(x, x_fake):
    for number in range(105):
        x_fake.add_tweet(f"Notice {number}")
    photo = MediaItem("p.png", "image/png", stored("p.png", b"png"), "A lost bicycle")
    x.publish(version(body="Is this your bicycle?", media=(photo,)))
    posts = x.fetch_own_posts(since=datetime.now(UTC) - timedelta(days=1))
    assert len(posts) == 106
    assert posts[0].media[0].description == "A lost bicycle" and posts[0].media[0].kind == "image"
    assert any("pagination_token" in r.query for r in x_fake.requests)


def test_the_api_version_comes_from_settings(x, x_fake, settings):
    settings.X_API_VERSION = "3"
    x_fake.version = "3"
    result = x.publish(version())
    assert x_fake.requests[-1].path == "/3/tweets" and result.external_id in x_fake.tweets
