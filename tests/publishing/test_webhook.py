"""The webhook adapter against a receiver that implements the documented protocol."""

import hashlib
import hmac
import json

import pytest

from posts.publishing.adapters.webhook import sign
from posts.publishing.base import AdapterError, Capability, MediaItem

from .fakes import RemoteFake, fake_in_subprocess
from .helpers import version

pytestmark = pytest.mark.django_db


def test_capabilities(webhook):
    assert webhook.capabilities == {Capability.PUBLISH, Capability.IDEMPOTENT, Capability.REMOVE}


def test_publish_delivers_signed_json(webhook, webhook_fake, tmp_path):
    photo = tmp_path / "media" / "photo.png"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\x89PNG fake image bytes")
    result = webhook.publish(
        version(
            translation_language="es",
            translation_body="Acompáñenos el 4 de agosto.",
            media=(
                MediaItem(name="photo.png", content_type="image/png", file=photo.name, alt_text="Officers at a grill"),
            ),
        )
    )

    assert result.external_id == "item-1"
    assert result.url == "https://city.example.gov/alerts/item-1"
    [payload] = webhook_fake.deliveries
    assert payload["post_id"] == 7 and payload["version"] == 1
    assert payload["body"].startswith("Join us")
    assert payload["translation"] == {"language": "es", "body": "Acompáñenos el 4 de agosto."}
    assert payload["canonical_url"] == "https://police.example.gov/news/7-night-out/"
    assert payload["idempotency_key"] == "key-0001"
    assert payload["published_at"].endswith("Z")
    assert payload["media"] == [
        {
            "name": "photo.png",
            "content_type": "image/png",
            "size": photo.stat().st_size,
            "sha256": hashlib.sha256(photo.read_bytes()).hexdigest(),
            "alt_text": "Officers at a grill",
        }
    ]
    request = webhook_fake.requests[0]
    assert request.headers["content-type"] == "application/json"
    assert request.headers["idempotency-key"] == "key-0001"
    assert webhook_fake.refused_signatures == 0


def test_signature_is_hmac_sha256_of_timestamp_dot_body(webhook, webhook_fake):
    webhook.publish(version())
    request = webhook_fake.requests[0]
    timestamp = request.headers["x-socialgov-timestamp"]
    expected = hmac.new(webhook_fake.token.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256)
    assert request.headers["x-socialgov-signature"] == "sha256=" + expected.hexdigest()
    assert (
        sign("k", "1700000000", b'{"a":1}')
        == "sha256=" + hmac.new(b"k", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    )


def test_a_repeated_key_returns_the_original_result_and_publishes_once(webhook, webhook_fake):
    first = webhook.publish(version())
    again = webhook.publish(version())
    assert again == first
    assert webhook_fake.delivery_count() == 1
    assert webhook_fake.repeats == {"key-0001": 1}


def test_a_lost_answer_then_a_retry_is_still_one_delivery(webhook, webhook_fake):
    webhook_fake.fail_next("lose_answer")
    with pytest.raises(AdapterError) as lost:
        webhook.publish(version())
    assert (lost.value.code, lost.value.permanent) == ("network", False)
    result = webhook.publish(version())
    assert result.external_id == "item-1"
    assert webhook_fake.delivery_count("key-0001") == 1
    assert webhook_fake.repeats == {"key-0001": 1}


def test_a_wrong_secret_is_refused_as_auth_without_revealing_it(connect, webhook_fake):
    adapter = connect("webhook", api_base_url=webhook_fake.endpoint, secret="not-the-receivers-secret-0123456789abcdef")
    with pytest.raises(AdapterError) as refused:
        adapter.publish(version())
    error = refused.value
    assert (error.code, error.permanent) == ("auth", True)
    assert "signature does not match" in error.message
    assert "not-the-receivers-secret-0123456789abcdef" not in error.message + repr(error) + str(error.args)
    assert webhook_fake.refused_signatures == 1 and webhook_fake.deliveries == []


@pytest.mark.parametrize(
    ("mode", "code", "permanent", "retry_after", "said"),
    [
        ("expired_token", "auth", True, None, "signature does not match"),
        ("rate_limited", "rate_limited", False, 7.0, "slow down"),
        ("duplicate", "duplicate", True, None, "already exists"),
        ("server_error", "server", False, None, "receiver unavailable"),
        ("invalid", "invalid", True, None, "body is required"),
    ],
)
def test_receiver_answers_map_to_adapter_errors(webhook, webhook_fake, mode, code, permanent, retry_after, said):
    webhook_fake.fail_next(mode)
    with pytest.raises(AdapterError) as raised:
        webhook.publish(version())
    error = raised.value
    assert (error.code, error.permanent, error.retry_after) == (code, permanent, retry_after)
    assert said in error.message
    assert webhook_fake.token not in error.message


def test_a_dropped_connection_is_a_transient_network_error(webhook, webhook_fake):
    webhook_fake.fail_next("disconnect")
    with pytest.raises(AdapterError) as raised:
        webhook.publish(version())
    assert (raised.value.code, raised.value.permanent) == ("network", False)
    assert webhook_fake.deliveries == []


def test_a_slow_receiver_times_out_as_a_transient_network_error(webhook, webhook_fake):
    webhook.timeout = (1.0, 0.2)
    webhook_fake.fail_next("slow", seconds=1)
    with pytest.raises(AdapterError) as raised:
        webhook.publish(version())
    assert (raised.value.code, raised.value.permanent) == ("network", False)
    assert "did not answer in time" in raised.value.message


def test_nothing_listening_is_a_transient_network_error(connect):
    adapter = connect("webhook", api_base_url="http://127.0.0.1:9/hook", secret="s" * 40)
    with pytest.raises(AdapterError) as raised:
        adapter.publish(version())
    assert (raised.value.code, raised.value.permanent) == ("network", False)
    assert "s" * 40 not in raised.value.message
    # The transport exception, whose text carries the URL, is not chained: nothing logs it by accident.
    assert raised.value.__context__ is None and raised.value.__cause__ is None


def test_plain_http_to_another_host_is_refused_before_sending(connect):
    adapter = connect("webhook", api_base_url="http://city.example.gov/hook", secret="s" * 40)
    with pytest.raises(AdapterError) as raised:
        adapter.publish(version())
    assert (raised.value.code, raised.value.permanent) == ("invalid", True)
    assert "https://" in raised.value.message


def test_remove_is_signed_and_a_second_remove_is_fine(webhook, webhook_fake):
    result = webhook.publish(version())
    webhook.remove(result.external_id)
    webhook.remove(result.external_id)  # 404: already gone
    assert webhook_fake.removed == ["item-1"]
    delete = webhook_fake.requests[1]
    assert delete.method == "DELETE" and delete.path == "/hook/item-1"
    assert webhook_fake.refused_signatures == 0


def test_a_fake_in_another_process_is_controlled_by_url(connect):
    with fake_in_subprocess("webhook", secret="remote-secret-0123456789-abcdefghijklmnop") as remote:
        base = remote.url
        adapter = connect("webhook", api_base_url=f"{base}/hook", secret="remote-secret-0123456789-abcdefghijklmnop")
        remote.fail_next("lose_answer")
        with pytest.raises(AdapterError):
            adapter.publish(version())
        adapter.publish(version())
        state = RemoteFake(base).state()
    assert [d["idempotency_key"] for d in state["deliveries"]] == ["key-0001"]
    assert state["repeats"] == {"key-0001": 1}
    assert json.dumps(state)  # plain JSON, readable from anywhere
