"""The Mastodon adapter against a fake instance speaking the Mastodon REST API."""

from datetime import UTC, datetime, timedelta

import pytest

from posts.publishing.base import AdapterError, Capability, MediaItem, Metrics

from .helpers import version

pytestmark = pytest.mark.django_db


def test_capabilities(mastodon):
    assert mastodon.capabilities == {
        Capability.PUBLISH,
        Capability.IDEMPOTENT,
        Capability.REMOVE,
        Capability.FETCH_COMMENTS,
        Capability.FETCH_METRICS,
        Capability.MODERATE_COMMENTS,
        Capability.FETCH_OWN_POSTS,
    }


def test_publish_posts_a_public_status_with_the_idempotency_key(mastodon, mastodon_fake):
    result = mastodon.publish(version(translation_language="es", translation_body="Acompáñenos."))
    [status] = mastodon_fake.statuses.values()
    assert result.external_id == status["id"]
    assert result.url == f"{mastodon_fake.url}/@police/{status['id']}"
    assert status["_text"] == "Join us for National Night Out on August 4 at Miles Avenue Park.\n\nAcompáñenos."
    assert status["visibility"] == "public"
    request = mastodon_fake.requests[-1]
    assert request.headers["authorization"] == f"Bearer {mastodon_fake.token}"
    assert request.headers["idempotency-key"] == "key-0001"


def test_a_retried_publish_returns_the_same_status(mastodon, mastodon_fake):
    first = mastodon.publish(version())
    assert mastodon.publish(version()) == first
    assert len(mastodon_fake.statuses) == 1
    assert mastodon_fake.idempotent_repeats == {"key-0001": 1}


def test_images_are_uploaded_with_their_alt_text_then_attached(mastodon, mastodon_fake, tmp_path):
    photo = tmp_path / "media" / "photo.png"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\x89PNG fake")
    mastodon.publish(version(media=(MediaItem("photo.png", "image/png", photo.name, "A grill in the park"),)))
    [media] = mastodon_fake.media.values()
    assert media["description"] == "A grill in the park"
    assert (media["_filename"], media["_content_type"], media["_size"]) == (
        "photo.png",
        "image/png",
        photo.stat().st_size,
    )
    [status] = mastodon_fake.statuses.values()
    assert [m["id"] for m in status["media_attachments"]] == [media["id"]]


def test_images_still_processing_are_waited_for(connect, tmp_path):
    from .fakes import MastodonFake

    photo = tmp_path / "media" / "photo.png"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\x89PNG fake")
    with MastodonFake(media_processing_polls=2) as fake:
        adapter = connect("mastodon", api_base_url=fake.url, access_token=fake.token)
        adapter.media_poll_interval = 0.01
        adapter.publish(version(media=(MediaItem("photo.png", "image/png", photo.name, "alt"),)))
        assert [r.path for r in fake.requests].count(f"/api/v1/media/{next(iter(fake.media))}") == 3
        assert len(fake.statuses) == 1


def test_an_expired_token_is_a_permanent_auth_error_without_the_token(mastodon, mastodon_fake):
    mastodon_fake.fail_next("expired_token")
    with pytest.raises(AdapterError) as raised:
        mastodon.publish(version())
    error = raised.value
    assert (error.code, error.permanent) == ("auth", True)
    assert "The access token is invalid" in error.message
    assert mastodon_fake.token not in error.message + repr(error)


def test_a_wrong_token_is_refused(connect, mastodon_fake):
    adapter = connect("mastodon", api_base_url=mastodon_fake.url, access_token="wrong-token-abcdef")
    with pytest.raises(AdapterError) as raised:
        adapter.publish(version())
    assert raised.value.code == "auth"
    assert "wrong-token-abcdef" not in raised.value.message
    assert mastodon_fake.statuses == {}


def test_rate_limit_waits_until_the_reset_header(mastodon, mastodon_fake):
    mastodon_fake.fail_next("rate_limited")
    with pytest.raises(AdapterError) as raised:
        mastodon.publish(version())
    error = raised.value
    assert (error.code, error.permanent) == ("rate_limited", False)
    assert 20 <= error.retry_after <= 31


@pytest.mark.parametrize(
    ("mode", "code", "permanent", "said"),
    [
        ("server_error", "server", False, "Service Unavailable"),
        ("invalid", "invalid", True, "Text character limit of 500 exceeded"),
    ],
)
def test_other_answers(mastodon, mastodon_fake, mode, code, permanent, said):
    mastodon_fake.fail_next(mode)
    with pytest.raises(AdapterError) as raised:
        mastodon.publish(version())
    assert (raised.value.code, raised.value.permanent) == (code, permanent)
    assert said in raised.value.message


def test_the_instance_own_validation_message_is_shown(mastodon):
    with pytest.raises(AdapterError) as raised:
        mastodon.publish(version(body="x" * 501))
    assert raised.value.code == "invalid"
    assert "Validation failed: Text character limit of 500 exceeded" in raised.value.message


def test_remove_deletes_and_tolerates_already_deleted(mastodon, mastodon_fake):
    result = mastodon.publish(version())
    mastodon.remove(result.external_id)
    mastodon.remove(result.external_id)
    assert mastodon_fake.deleted == [result.external_id]


def test_fetch_comments_maps_mentions_since_a_time(mastodon, mastodon_fake):
    published = mastodon.publish(version())
    old = datetime.now(UTC) - timedelta(hours=2)
    mastodon_fake.add_mention("old news", created_at=old)
    mastodon_fake.add_mention(
        "Will there be parking? <b>bold</b> & more",
        acct="pat@example.social",
        display_name="Pat",
        in_reply_to_id=published.external_id,
    )

    comments = mastodon.fetch_comments(datetime.now(UTC) - timedelta(hours=1))

    [comment] = comments
    assert comment.text == "@police Will there be parking? <b>bold</b> & more"
    assert (comment.author_name, comment.author_handle) == ("Pat", "@pat@example.social")
    assert comment.in_reply_to == published.external_id
    assert comment.url.startswith("https://example.social/@pat/")
    assert comment.created_at.tzinfo is not None
    assert len(mastodon.fetch_comments(None)) == 2


def test_fetch_comments_reads_further_pages(mastodon, mastodon_fake):
    for n in range(45):
        mastodon_fake.add_mention(f"comment {n}")
    assert len(mastodon.fetch_comments(None)) == 45
    assert [r.query.get("max_id") for r in mastodon_fake.requests if r.path == "/api/v1/notifications"][1]


def test_fetch_metrics(mastodon, mastodon_fake):
    result = mastodon.publish(version())
    mastodon_fake.statuses[result.external_id].update(favourites_count=4, reblogs_count=2, replies_count=1)
    assert mastodon.fetch_metrics(result.external_id) == Metrics(
        reactions=4, shares=2, replies=1, raw={"favourites_count": 4, "reblogs_count": 2, "replies_count": 1}
    )
