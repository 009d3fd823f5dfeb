"""The receiver's own counts, which the exactly-once tests rely on: a send repeated under the same
Idempotency-Key is one delivery but two requests, and only the request count shows it."""

import pytest

from posts.publishing.base import AdapterError

from .helpers import version

pytestmark = pytest.mark.django_db


def test_every_delivery_request_is_counted_repeated_keys_included(webhook, webhook_fake):
    first = webhook.publish(version())
    again = webhook.publish(version())  # the same post version, so the same Idempotency-Key

    assert again == first  # answered with the first result, as the protocol says
    assert webhook_fake.delivery_count() == 1
    assert webhook_fake.repeats == {"key-0001": 1}
    assert webhook_fake.send_count() == 2
    assert webhook_fake.state()["sends"] == 2


def test_a_request_the_receiver_refused_is_still_a_request_it_received(webhook, webhook_fake):
    webhook_fake.fail_next("server_error")
    with pytest.raises(AdapterError):
        webhook.publish(version())
    webhook.publish(version())

    assert webhook_fake.delivery_count() == 1 and webhook_fake.repeats == {}
    assert webhook_fake.send_count() == 2
