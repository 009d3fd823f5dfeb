"""The Social Media Officer's Facebook desk against the Graph API fake: photos with alt text, a video, comment
moderation, token renewal and the Page's own posts."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import requests
from django.utils import timezone

from posts.models import Publication
from posts.publishing.base import AdapterError, CommentRef, MediaItem
from posts.publishing.limits import media_problems
from tests.posts.factories import draft

from .helpers import version

pytestmark = pytest.mark.django_db


def stored(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / "media" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path.name


@pytest.fixture
def renewable(connect, facebook_fake):
    """A Facebook channel holding what renewal needs besides the Page token."""
    return connect(
        "facebook",
        api_base_url=facebook_fake.graph_url,
        external_account_id=facebook_fake.page_id,
        access_token=facebook_fake.token,
        app_id=facebook_fake.app_id,
        app_secret=facebook_fake.app_secret,
        user_token=facebook_fake.user_token,
    )


# Photos and video -----------------------------------------------------------------------------------------------


def test_a_post_with_two_images_uploads_them_unpublished_with_alt_text_then_posts_once(
    facebook, facebook_fake, tmp_path
):
    media = (
        MediaItem("grill.png", "image/png", stored(tmp_path, "grill.png", b"\x89PNG one"), "Officers at a grill"),
        MediaItem("bikes.jpg", "image/jpeg", stored(tmp_path, "bikes.jpg", b"\xff\xd8 two"), "Two bike officers"),
    )

    result = facebook.publish(version(media=media))

    first, second = facebook_fake.photos.values()
    assert [(p["name"], p["alt_text_custom"], p["size"]) for p in (first, second)] == [
        ("grill.png", "Officers at a grill", len(b"\x89PNG one")),
        ("bikes.jpg", "Two bike officers", len(b"\xff\xd8 two")),
    ]
    [post] = facebook_fake.posts.values()
    assert post["message"] == "Join us for National Night Out on August 4 at Miles Avenue Park."
    assert post["_media"] == [("photo", first["id"]), ("photo", second["id"])]
    assert first["post_id"] == second["post_id"] == post["id"] == result.external_id
    assert result.url == post["permalink_url"]
    uploads = [r for r in facebook_fake.requests if r.path.endswith("/photos")]
    assert [r.multipart()["published"][2] for r in uploads] == [b"false", b"false"]
    feeds = [r for r in facebook_fake.requests if r.path.endswith("/feed")]
    assert len(feeds) == 1
    assert feeds[0].form()["attached_media[0]"] == [f'{{"media_fbid": "{first["id"]}"}}']


def test_a_photo_post_whose_answer_was_lost_is_found_by_its_text(author, channel, facebook, facebook_fake, tmp_path):
    post = draft(author, channels=[channel], body="Lost and found: a blue bicycle at the station.")
    mine = Publication.objects.create(
        post=post, channel=facebook.channel, post_version=post.version, idempotency_key=f"key-{post.pk}"
    )
    media = (MediaItem("bike.png", "image/png", stored(tmp_path, "bike.png", b"png"), "A blue bicycle"),)
    facebook_fake.fail_next("lose_answer", path="/feed")

    with pytest.raises(AdapterError):
        facebook.publish(version(body=post.body, media=media))

    [posted] = facebook_fake.posts.values()
    assert facebook.find(mine.idempotency_key).external_id == posted["id"]


def test_a_video_post_goes_to_the_videos_edge_and_is_known_by_its_page_post(facebook, facebook_fake, tmp_path):
    clip = MediaItem("safety.mp4", "video/mp4", stored(tmp_path, "safety.mp4", b"\x00\x00\x00\x18ftypmp42"))

    result = facebook.publish(version(body="Bike safety in 30 seconds.", media=(clip,)))

    [video] = facebook_fake.videos.values()
    assert (video["name"], video["content_type"], video["description"]) == (
        "safety.mp4",
        "video/mp4",
        "Bike safety in 30 seconds.",
    )
    assert result.external_id == video["post_id"]
    assert facebook_fake.posts[result.external_id]["message"] == "Bike safety in 30 seconds."
    assert result.url == facebook_fake.posts[result.external_id]["permalink_url"]
    assert not any(r.path.endswith("/feed") for r in facebook_fake.requests)


def test_a_video_with_images_is_refused_before_anything_is_uploaded(facebook, facebook_fake, tmp_path):
    media = (
        MediaItem("a.mp4", "video/mp4", stored(tmp_path, "a.mp4", b"mp4")),
        MediaItem("b.png", "image/png", stored(tmp_path, "b.png", b"png"), "alt"),
    )
    with pytest.raises(AdapterError) as raised:
        facebook.publish(version(media=media))
    assert raised.value.code == "invalid" and "one video" in raised.value.message
    assert facebook_fake.requests == []


def test_facebook_limits_follow_the_graph_documentation():
    from posts.publishing.adapters.facebook import FacebookAdapter

    def image(name, content_type, size):
        return SimpleNamespace(kind="image", content_type=content_type, size=size, original_name=name, alt_text="a")

    limits = FacebookAdapter.limits
    assert media_problems(limits, [image("ok.jpg", "image/jpeg", 9_000_000)]) == []
    [too_big] = media_problems(limits, [image("big.jpg", "image/jpeg", 10_500_000)])
    assert "big.jpg" in too_big and "10.0 MB" in too_big
    [webp] = media_problems(limits, [image("pic.webp", "image/webp", 1000)])
    assert "image/webp" in webp


# Comments ---------------------------------------------------------------------------------------------------


def test_comments_are_hidden_shown_and_deleted_on_the_page(facebook, facebook_fake):
    result = facebook.publish(version())
    comment = facebook_fake.add_comment(result.external_id, "Abusive words")
    ref = CommentRef(external_id=comment["id"], in_reply_to=result.external_id)

    hidden = facebook.moderate_comment(ref, "hide", "385.6(b) obscene")
    assert hidden.done and "Hidden" in hidden.summary and hidden.todo == ""
    assert facebook_fake.state()["comments"][comment["id"]] == {
        "post_id": result.external_id,
        "hidden": True,
        "deleted": False,
    }
    hide = [r for r in facebook_fake.requests if r.path.endswith(comment["id"])][-1]
    assert (hide.method, hide.form()["is_hidden"]) == ("POST", ["true"])

    assert facebook.moderate_comment(ref, "show", "restored on appeal").done
    assert facebook_fake.state()["comments"][comment["id"]]["hidden"] is False

    removed = facebook.moderate_comment(ref, "remove", "385.6(b) threat")
    assert removed.done and "Deleted" in removed.summary
    assert facebook_fake.state()["comments"][comment["id"]]["deleted"] is True
    assert facebook_fake.posts[result.external_id]["comments"] == []

    again = facebook.moderate_comment(ref, "remove", "385.6(b) threat")
    assert again.done and "already gone" in again.summary
    with pytest.raises(AdapterError) as raised:
        facebook.moderate_comment(ref, "show", "restored")
    assert raised.value.code == "invalid" and "no longer exists" in raised.value.message


def test_an_unknown_comment_action_is_refused(facebook, facebook_fake):
    result = facebook.publish(version())
    comment = facebook_fake.add_comment(result.external_id, "Hello")
    with pytest.raises(AdapterError) as raised:
        facebook.moderate_comment(CommentRef(external_id=comment["id"]), "ban", "")
    assert raised.value.code == "invalid"
    assert facebook_fake.state()["comments"][comment["id"]] == {
        "post_id": result.external_id,
        "hidden": False,
        "deleted": False,
    }


# Renewal ------------------------------------------------------------------------------------------------------


def test_renewal_exchanges_the_user_token_and_reads_a_fresh_page_token(renewable, facebook_fake):
    before = timezone.now()

    renewal = renewable.renew_credentials()

    new = renewal.credentials
    assert set(new) == {"access_token", "app_id", "app_secret", "user_token"}
    assert (new["app_id"], new["app_secret"]) == (facebook_fake.app_id, facebook_fake.app_secret)
    assert new["user_token"] != facebook_fake.user_token
    assert facebook_fake.tokens[new["user_token"]]["kind"] == "user"
    assert facebook_fake.tokens[new["access_token"]] == {"kind": "page", "expires_at": None}
    assert before + timedelta(days=59) < renewal.expires_at < timezone.now() + timedelta(days=61)
    exchange = next(r for r in facebook_fake.requests if r.path.endswith("/oauth/access_token"))
    assert exchange.query["grant_type"] == ["fb_exchange_token"]
    assert exchange.query["fb_exchange_token"] == [facebook_fake.user_token]
    assert "access_token" not in exchange.query
    assert renewable.renew_ahead == timedelta(days=10)


def test_renewal_without_app_or_user_token_says_what_to_enter(facebook, facebook_fake):
    with pytest.raises(AdapterError) as raised:
        facebook.renew_credentials()
    message = raised.value.message
    assert raised.value.permanent and raised.value.code == "auth"
    assert "App ID" in message and "App secret" in message and "user token" in message
    assert "credentials page" in message
    assert facebook_fake.requests == []


def test_an_expired_user_token_cannot_be_renewed_and_no_secret_is_shown(renewable, facebook_fake):
    facebook_fake.expire(facebook_fake.user_token)
    with pytest.raises(AdapterError) as raised:
        renewable.renew_credentials()
    error = raised.value
    assert error.code == "auth" and "code 190, subcode 463" in error.message
    for secret in (facebook_fake.user_token, facebook_fake.app_secret, facebook_fake.token):
        assert secret not in error.message


def test_a_wrong_app_secret_is_a_credentials_problem(connect, facebook_fake):
    adapter = connect(
        "facebook",
        api_base_url=facebook_fake.graph_url,
        external_account_id=facebook_fake.page_id,
        access_token=facebook_fake.token,
        app_id=facebook_fake.app_id,
        app_secret="not-the-app-secret-0000",
        user_token=facebook_fake.user_token,
    )
    with pytest.raises(AdapterError) as raised:
        adapter.renew_credentials()
    assert raised.value.code == "auth" and "Error validating client secret" in raised.value.message
    assert "not-the-app-secret-0000" not in raised.value.message


def test_an_expired_page_token_is_refused_with_code_190(facebook, facebook_fake):
    facebook_fake.expire(facebook_fake.token)
    with pytest.raises(AdapterError) as raised:
        facebook.publish(version())
    assert raised.value.code == "auth" and "Session has expired" in raised.value.message
    assert facebook_fake.posts == {}


# The Page's own posts -----------------------------------------------------------------------------------------


def test_own_posts_list_every_page_post_since_with_photos_newest_first(facebook, facebook_fake, tmp_path):
    now = datetime.now(UTC)
    facebook_fake.add_post("Too old", created_time=now - timedelta(days=40))
    by_hand = facebook_fake.add_post("Typed on Facebook", created_time=now - timedelta(days=2))
    gone = facebook_fake.add_post("Deleted later", created_time=now - timedelta(days=1))
    facebook_fake.delete_post(gone["id"])
    media = (
        MediaItem("a.png", "image/png", stored(tmp_path, "a.png", b"a"), "A"),
        MediaItem("b.png", "image/png", stored(tmp_path, "b.png", b"b"), "B"),
    )
    photos = facebook.publish(version(body="Two photos", media=media))

    posts = facebook.fetch_own_posts(now - timedelta(days=30))

    assert [p.external_id for p in posts] == [photos.external_id, by_hand["id"]]
    newest, older = posts
    assert (older.text, older.url, older.edited_at, older.media, older.history) == (
        "Typed on Facebook",
        by_hand["permalink_url"],
        None,
        (),
        (),
    )
    assert [m.kind for m in newest.media] == ["image", "image"]
    assert all(m.url.startswith("https://") for m in newest.media)
    listing = next(r for r in facebook_fake.requests if r.path.endswith("/posts"))
    assert "attachments{" in listing.query["fields"][0] and "updated_time" in listing.query["fields"][0]


def test_own_posts_are_read_through_every_page(facebook, facebook_fake):
    for n in range(130):
        facebook_fake.add_post(f"Notice {n}")
    posts = facebook.fetch_own_posts(datetime.now(UTC) - timedelta(days=1))
    assert len(posts) == 130 and len({p.external_id for p in posts}) == 130
    assert sum(r.path.endswith("/posts") for r in facebook_fake.requests) == 2


def test_an_edit_made_on_facebook_moves_updated_time_and_changes_the_text(facebook, facebook_fake):
    made = datetime.now(UTC) - timedelta(hours=3)
    post = facebook_fake.add_post("Road closed until 5 pm.", created_time=made)
    answer = requests.post(
        f"{facebook_fake.graph_url}/{post['id']}",
        data={"message": "Road closed until 7 pm.", "access_token": facebook_fake.token},
        timeout=5,
    )
    assert answer.json() == {"success": True}

    [seen] = facebook.fetch_own_posts(made - timedelta(minutes=1))

    assert seen.text == "Road closed until 7 pm."
    assert seen.edited_at is not None and seen.edited_at > made
    assert seen.history == ()


def test_a_comment_alone_also_moves_updated_time_but_not_the_text(facebook, facebook_fake):
    made = datetime.now(UTC) - timedelta(hours=3)
    post = facebook_fake.add_post("Road closed until 5 pm.", created_time=made)
    facebook_fake.add_comment(post["id"], "Thanks for the heads up")

    [seen] = facebook.fetch_own_posts(made - timedelta(minutes=1))

    # Graph gives no edit time of its own: edited_at says "changed or commented on since", the text tells.
    assert seen.edited_at is not None
    assert seen.text == "Road closed until 5 pm."


def test_the_credentials_page_takes_the_page_token_alone_or_with_what_renewal_needs(signed_in, chief):
    from posts.models import Channel
    from posts.publishing.credentials import channel_credentials

    channel = Channel.objects.create(name="Facebook", slug="fb-page", kind="facebook", external_account_id="1")
    client = signed_in(chief)
    page = client.get("/channels/fb-page/credentials/")
    assert page.status_code == 200 and b"App secret" in page.content
    assert client.post("/channels/fb-page/credentials/", {"access_token": "page-token-0123"}).status_code == 302
    channel.refresh_from_db()
    assert channel_credentials(channel) == {"access_token": "page-token-0123"}
    everything = {
        "access_token": "page-token-4567",
        "app_id": "438271650912345",
        "app_secret": "app-secret-0123",
        "user_token": "user-token-0123",
    }
    assert client.post("/channels/fb-page/credentials/", everything).status_code == 302
    channel.refresh_from_db()
    assert channel_credentials(channel) == everything
    assert client.post("/channels/fb-page/credentials/", {"app_id": "4382716"}).status_code == 200  # no Page token
    channel.refresh_from_db()
    assert channel_credentials(channel) == everything
