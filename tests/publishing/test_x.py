"""The X adapter against a fake X API v2."""

from datetime import UTC, datetime, timedelta

import pytest

from posts.models import Publication
from posts.publishing.adapters.x import x_length
from posts.publishing.base import AdapterError, Capability, MediaItem
from tests.posts.factories import draft

from .helpers import version

pytestmark = pytest.mark.django_db


def test_capabilities(x):
    assert x.capabilities == {
        Capability.PUBLISH,
        Capability.REMOVE,
        Capability.LOOKUP,
        Capability.FETCH_COMMENTS,
        Capability.MODERATE_COMMENTS,
        Capability.RENEW_CREDENTIALS,
        Capability.FETCH_OWN_POSTS,
    }


def test_publish_creates_a_post_with_the_user_token(x, x_fake):
    result = x.publish(version())
    [tweet] = x_fake.tweets.values()
    assert result.external_id == tweet["id"]
    assert result.url == f"https://x.com/ExamplePD/status/{tweet['id']}"
    assert tweet["text"] == "Join us for National Night Out on August 4 at Miles Avenue Park."
    request = x_fake.requests[0]
    assert request.headers["authorization"] == f"Bearer {x_fake.token}"
    assert request.json() == {"text": tweet["text"]}


def test_without_a_handle_the_url_uses_the_id_only(connect, x_fake):
    adapter = connect("x", api_base_url=x_fake.url, external_account_id=x_fake.user_id, access_token=x_fake.token)
    result = adapter.publish(version())
    assert result.url == f"https://x.com/i/web/status/{result.external_id}"


def test_the_default_api_is_https(connect):
    assert connect("x", access_token="t" * 20).base_url() == "https://api.x.com"


def test_length_counts_like_x():
    assert x_length("a" * 280) == 280
    assert x_length("日本") == 4
    assert x_length("See https://police.example.gov/news/a-very-long-address-indeed/") == 4 + 23
    assert x_length("café") == x_length("cafe\u0301") == 4  # counted after NFC normalization


def test_a_post_over_280_characters_is_refused_not_cut(x, x_fake):
    with pytest.raises(AdapterError) as raised:
        x.publish(version(body="a" * 281))
    error = raised.value
    assert (error.code, error.permanent) == ("invalid", True)
    assert "280" in error.message and "281" in error.message
    assert x_fake.requests == []


def test_a_translation_counts_toward_the_limit(x):
    with pytest.raises(AdapterError, match="280"):
        x.publish(version(body="a" * 200, translation_language="es", translation_body="b" * 100))


def test_alt_text_over_xs_limit_is_refused_not_cut(x, x_fake, tmp_path):
    photo = tmp_path / "media" / "p.png"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"png")
    with pytest.raises(AdapterError, match="1000 characters of alt text"):
        x.publish(version(media=(MediaItem("p.png", "image/png", photo.name, "a" * 1001),)))
    assert x_fake.tweets == {} and x_fake.requests == []


@pytest.mark.parametrize(
    ("mode", "code", "permanent", "said"),
    [
        ("expired_token", "auth", True, "Unauthorized"),
        ("duplicate", "duplicate", True, "duplicate content"),
        ("server_error", "server", False, "Service Unavailable"),
        ("invalid", "invalid", True, "One or more parameters to your request was invalid."),
    ],
)
def test_x_answers_map_to_adapter_errors(x, x_fake, mode, code, permanent, said):
    x_fake.fail_next(mode)
    with pytest.raises(AdapterError) as raised:
        x.publish(version())
    error = raised.value
    assert (error.code, error.permanent) == (code, permanent)
    assert said in error.message
    assert x_fake.token not in error.message + repr(error)


def test_rate_limit_waits_until_x_rate_limit_reset(x, x_fake):
    x_fake.fail_next("rate_limited")
    with pytest.raises(AdapterError) as raised:
        x.publish(version())
    error = raised.value
    assert (error.code, error.permanent) == ("rate_limited", False)
    assert 55 <= error.retry_after <= 61


def test_the_real_duplicate_answer_for_identical_text(x):
    x.publish(version())
    with pytest.raises(AdapterError) as raised:
        x.publish(version(idempotency_key="key-0002"))
    assert raised.value.code == "duplicate"


def test_an_invalid_token_is_refused_without_echoing_it(connect, x_fake):
    adapter = connect("x", api_base_url=x_fake.url, access_token="wrong-x-token-123456")
    with pytest.raises(AdapterError) as raised:
        adapter.publish(version())
    assert raised.value.code == "auth"
    assert "wrong-x-token-123456" not in raised.value.message


@pytest.fixture
def publication(author, channel):
    def make(adapter, text):
        post = draft(author, channels=[channel], body=text)
        return Publication.objects.create(
            post=post, channel=adapter.channel, post_version=post.version, idempotency_key=f"key-{post.pk}"
        )

    return make


def test_find_matches_the_text_even_with_links_rewritten_and_escaped(x, x_fake, publication):
    text = "Road closed on Miles Ave & Hwy 111. Detours: https://police.example.gov/news/12-road/"
    mine = publication(x, text)
    x_fake.add_tweet(text, created_at=datetime.now(UTC) - timedelta(days=2))  # before the publication existed
    posted = x_fake.add_tweet(text)
    x_fake.add_tweet("Something else")

    found = x.find(mine.idempotency_key)

    assert found.external_id == posted["id"]
    assert found.url == f"https://x.com/ExamplePD/status/{posted['id']}"
    lookup = x_fake.requests[-1]
    assert lookup.path == f"/2/users/{x_fake.user_id}/tweets"
    assert lookup.query["start_time"][0].endswith("Z")


def test_find_returns_none_when_nothing_matches(x, x_fake, publication):
    mine = publication(x, "Road closed until 5 pm.")
    x_fake.add_tweet("Road closed until 6 pm.")
    assert x.find(mine.idempotency_key) is None


def test_find_needs_the_user_id(connect, x_fake, publication):
    adapter = connect("x", api_base_url=x_fake.url, access_token=x_fake.token)
    mine = publication(adapter, "Road closed.")
    with pytest.raises(AdapterError, match="user ID"):
        adapter.find(mine.idempotency_key)


def test_remove_deletes_and_tolerates_already_deleted(x, x_fake):
    result = x.publish(version())
    x.remove(result.external_id)
    x.remove(result.external_id)
    assert x_fake.deleted == [result.external_id]
