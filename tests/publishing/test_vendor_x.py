"""The X fake and the X adapter held to X's own OpenAPI description (tests/publishing/vendor/x-openapi.json, trimmed
from xdevplatform/xdk specs/openapi.json; see vendor/SOURCE.md).

Every request the adapter sends and every answer the fake gives in a working day's calls (a post with images and a
video, the lookup before a re-post, replies fetched, one hidden, the token renewed, the account's posts read with an
edit history) is validated with openapi-core; objects take no field the description does not name.

The description has no OAuth 2.0 token endpoint (POST /2/oauth2/token appears only as the tokenUrl of its
OAuth2UserToken scheme), so that exchange is checked by hand against X's documentation of the refresh grant:
a form-encoded body with grant_type=refresh_token, refresh_token and, for a public client, client_id; an answer
with token_type "bearer", expires_in, access_token, scope and refresh_token.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from posts.models import Publication
from posts.publishing.base import CommentRef, MediaItem
from tests.posts.factories import draft

from .fake_base import Answer
from .helpers import version
from .vendor_schema import VENDOR, VendorSpec

pytestmark = pytest.mark.django_db
TOKEN_PATH = "/2/oauth2/token"


@pytest.fixture(scope="module")
def spec():
    return VendorSpec(VENDOR / "x-openapi.json", closed_objects=True)


@pytest.fixture
def day_on_x(connect, x_fake, author, channel):
    """A working day's calls on the X desk."""

    def run():
        adapter = connect(
            "x",
            api_base_url=x_fake.url,
            external_account_id=x_fake.user_id,
            handle="@ExamplePD",
            access_token=x_fake.token,
            refresh_token=x_fake.first_refresh_token,
            client_id=x_fake.client_id,
        )
        adapter.media_poll_max_wait = 0.01
        save = storages["default"].save
        media = (
            MediaItem("a.png", "image/png", save("v/a.png", ContentFile(b"png-a")), "A crosswalk"),
            MediaItem("b.jpg", "image/jpeg", save("v/b.jpg", ContentFile(b"jpg-b")), "The outreach van"),
        )
        published = adapter.publish(version(media=media))
        adapter.publish(
            version(
                body="Cadets at the range.",
                media=(MediaItem("c.mp4", "video/mp4", save("v/c.mp4", ContentFile(b"mp4" * 10)), "Cadets"),),
            )
        )
        post = draft(author, [channel], body="Join us for National Night Out on August 4 at Miles Avenue Park.")
        Publication.objects.create(post=post, channel=adapter.channel, post_version=1, idempotency_key="vendor-1")
        assert adapter.find("vendor-1").external_id == published.external_id

        reply = x_fake.add_reply(published.external_id, "@ExamplePD you are useless")
        [comment] = adapter.fetch_comments(datetime.now(UTC) - timedelta(hours=1))
        assert adapter.moderate_comment(CommentRef(external_id=comment.external_id), "hide", "insult").done
        assert x_fake.tweets[reply["id"]]["hidden"]

        adapter.renew_credentials()
        x_fake.edit_tweet(published.external_id, "Join us for National Night Out on August 5 at Miles Avenue Park.")
        posts = adapter.fetch_own_posts(since=datetime.now(UTC) - timedelta(days=1))
        [edited] = [p for p in posts if p.external_id == published.external_id]
        assert len(edited.history) == 1
        return x_fake.exchanges

    return run


def test_every_request_and_answer_is_as_xs_description_says(day_on_x, spec):
    exchanges = day_on_x()
    seen = {(r.method, re.sub(r"/\d{5,}", "/{id}", r.path)) for r, _ in exchanges}
    # The calls the description covers, and the token endpoint, each made at least once.
    assert seen == {
        ("POST", "/2/media/upload/initialize"),
        ("POST", "/2/media/upload/{id}/append"),
        ("POST", "/2/media/upload/{id}/finalize"),
        ("GET", "/2/media/upload"),
        ("POST", "/2/media/metadata"),
        ("POST", "/2/tweets"),
        ("GET", "/2/tweets"),
        ("GET", "/2/users/{id}/tweets"),
        ("GET", "/2/users/{id}/mentions"),
        ("PUT", "/2/tweets/{id}/hidden"),
        ("POST", TOKEN_PATH),
    }

    assert spec.exchange_errors(exchanges, skip=[TOKEN_PATH]) == []


def test_the_token_exchange_is_as_x_documents_it(day_on_x):
    [(request, answer)] = [(r, a) for r, a in day_on_x() if r.path == TOKEN_PATH]
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert set(request.form()) == {"grant_type", "refresh_token", "client_id"}
    assert request.form()["grant_type"] == ["refresh_token"]
    assert answer.status == 200
    assert set(answer.body) == {"token_type", "expires_in", "access_token", "scope", "refresh_token"}
    assert answer.body["token_type"] == "bearer" and isinstance(answer.body["expires_in"], int)


def test_validation_catches_a_fake_that_drifts_from_the_description(x, x_fake, spec):
    x_fake.add_tweet("Road closed.")
    x.fetch_own_posts(since=datetime.now(UTC) - timedelta(days=1))
    [(request, answer)] = x_fake.exchanges
    assert spec.exchange_errors([(request, answer)]) == []

    made_up = Answer(answer.status, {**answer.body, "data": [{**answer.body["data"][0], "views": 3}]})
    assert "'views' was unexpected" in " ".join(spec.exchange_errors([(request, made_up)]))

    wrong_type = Answer(answer.status, {**answer.body, "meta": {**answer.body["meta"], "result_count": "1"}})
    assert "result_count" in " ".join(spec.exchange_errors([(request, wrong_type)]))

    bad_request = type(request)(
        request.method, request.path, {**request.query, "max_results": ["1000"]}, request.headers, b""
    )
    assert "max_results" in " ".join(spec.request_errors(bad_request))
