"""The X fake and the X adapter held to X's own OpenAPI description (tests/publishing/vendor/x-openapi.json, trimmed
from xdevplatform/xdk specs/openapi.json; see vendor/SOURCE.md).

Every request the adapter sends and every answer the fake gives in a working day's calls (a post with images and a
video, the lookup before a re-post, replies fetched, one hidden, the token renewed, the account's posts read with an
edit history) is validated with openapi-core; objects take no field the description does not name.

The description has no OAuth 2.0 token endpoint (POST /2/oauth2/token appears only as the tokenUrl of its
OAuth2UserToken scheme), so that exchange is checked by hand against X's documentation of the refresh grant:
a form-encoded body with grant_type=refresh_token, refresh_token and, for a public client, client_id; an answer
with token_type "bearer", expires_in, access_token, scope and refresh_token.

Refusals are held to it as well: every failure the fake can be told to give, on the calls where the adapter meets it
(posting, media upload, mentions, the account's posts, hiding a reply, deletion, renewal), and the refusals X gives of
itself (a post it will not hide, a reply that is gone, a token whose two hours are over), each with what the adapter
makes of it. X sends a refusal as an RFC 7807 problem, application/problem+json, which the description lists under
each operation's `default` answer beside an application/json `Error` of `code` and `message` that the X API v2 does
not send for these. Where the description falls short of what X sends and documents (docs.x.com, "Response codes
and errors"), `as_read_here` adds to it instead of bending the fake:

- `about:blank`: X's problem for a refusal its HTTP status says all of (401, a duplicate post's 403, 429, 503), with
  type, title, status and detail. X's documentation lists the type; the description's `Problem` is a `oneOf` of X's
  own problem types told apart by `type`, and maps nothing to about:blank
  (`test_the_description_as_published_refuses_xs_about_blank_problems` shows it). It is read as one more branch,
  requiring what every problem in the description requires: type, title and detail.
- An invalid-request problem carries an `errors` list of the particular complaints (`message`, and `parameters`),
  which `InvalidRequestProblem` does not name.

The rate-limit headers (x-rate-limit-limit, x-rate-limit-remaining, x-rate-limit-reset in unix seconds) are not in
the description either; the test checks them on each 429 by hand. The token endpoint's refusals are checked by hand
as well: OAuth 2.0's `error` and `error_description` for a refresh token X will not take (RFC 6749 section 5.2),
problems for the rest.
"""

import copy
import itertools
import json
import re
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from posts.models import Publication
from posts.publishing.base import AdapterError, CommentRef, MediaItem
from tests.posts.factories import draft

from .fake_base import Answer
from .helpers import version
from .vendor_schema import VENDOR, VendorSpec

pytestmark = pytest.mark.django_db
DESCRIPTION = VENDOR / "x-openapi.json"
TOKEN_PATH = "/2/oauth2/token"
PROBLEM = "application/problem+json"
RATE_LIMIT_HEADERS = {"x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"}


def as_read_here(data: dict) -> dict:
    """The description with the two additions the module docstring names: X's `about:blank` problem among its
    problems, and the `errors` list of an invalid-request problem."""
    schemas = data["components"]["schemas"]
    schemas["AboutBlankProblem"] = {
        "type": "object",
        "required": ["type", "title", "detail"],
        "properties": {
            "type": {"type": "string", "enum": ["about:blank"]},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
        },
    }
    schemas["Problem"]["oneOf"].append({"$ref": "#/components/schemas/AboutBlankProblem"})
    schemas["Problem"]["discriminator"]["mapping"]["about:blank"] = "#/components/schemas/AboutBlankProblem"
    schemas["InvalidRequestProblem"]["properties"]["errors"] = {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["message"],
            "properties": {
                "message": {"type": "string"},
                "parameters": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    }
    return data


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    read_here = tmp_path_factory.mktemp("vendor") / "x-openapi.json"
    read_here.write_text(json.dumps(as_read_here(json.loads(DESCRIPTION.read_text()))))
    return VendorSpec(read_here, closed_objects=True)


def renewable_x(connect, x_fake):
    """The X adapter on the fake with a refresh token, polling media without waiting."""
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
    return adapter


@pytest.fixture
def day_on_x(connect, x_fake, author, channel):
    """A working day's calls on the X desk."""

    def run():
        adapter = renewable_x(connect, x_fake)
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


# Refusals ----------------------------------------------------------------------------------------------------


def refused(call) -> AdapterError:
    with pytest.raises(AdapterError) as raised:
        call()
    return raised.value


def test_every_refusal_is_as_xs_description_says_and_the_adapter_takes_it_as_meant(connect, x_fake, spec):
    adapter = renewable_x(connect, x_fake)
    photo = MediaItem("a.png", "image/png", storages["default"].save("v/a.png", ContentFile(b"png-a")), "A crosswalk")
    texts = (f"Miles Avenue is closed between 3rd and 5th, update {n}." for n in itertools.count(1))
    since = datetime.now(UTC) - timedelta(hours=1)
    published = adapter.publish(version())
    reply = x_fake.add_reply(published.external_id, "@ExamplePD when does it open again?")

    def post(*media):
        return partial(adapter.publish, version(body=next(texts), media=media))

    comments, own_posts = partial(adapter.fetch_comments, since), partial(adapter.fetch_own_posts, since)
    hide_reply = partial(adapter.moderate_comment, CommentRef(reply["id"]), "hide", "insult")
    remove = partial(adapter.remove, published.external_id)
    renew = adapter.renew_credentials
    # The mode the fake answers with, on which call, and what the adapter makes of it: (code, permanent).
    refusals = [
        ("expired_token", "/2/tweets", post(), ("auth", True)),
        ("rate_limited", "/2/tweets", post(), ("rate_limited", False)),
        ("duplicate", "/2/tweets", post(), ("duplicate", True)),
        ("server_error", "/2/tweets", post(), ("server", False)),
        ("invalid", "/2/tweets", post(), ("invalid", True)),
        ("rate_limited", "/2/media/upload/initialize", post(photo), ("rate_limited", False)),
        ("server_error", "/append", post(photo), ("server", False)),
        ("invalid", "/finalize", post(photo), ("invalid", True)),
        ("expired_token", "/2/media/metadata", post(photo), ("auth", True)),
        ("expired_token", "/mentions", comments, ("auth", True)),
        ("rate_limited", "/mentions", comments, ("rate_limited", False)),
        ("server_error", "/mentions", comments, ("server", False)),
        ("rate_limited", f"/users/{x_fake.user_id}/tweets", own_posts, ("rate_limited", False)),
        ("server_error", "/hidden", hide_reply, ("server", False)),
        ("expired_token", "/2/tweets/", remove, ("auth", True)),
        ("expired_token", TOKEN_PATH, renew, ("auth", True)),
        ("rate_limited", TOKEN_PATH, renew, ("rate_limited", False)),
        ("server_error", TOKEN_PATH, renew, ("server", False)),
        ("disconnect", "/2/tweets", post(), ("network", False)),
        ("lose_answer", "/2/tweets", post(), ("network", False)),
    ]
    for mode, path, call, expected in refusals:
        x_fake.fail_next(mode, path=path)
        error = refused(call)
        assert (mode, path, error.code, error.permanent) == (mode, path, *expected)
        if error.code == "rate_limited":
            assert 55 <= error.retry_after <= 61  # x-rate-limit-reset, not a guess
        assert x_fake.token not in error.message
    x_fake.fail_next("slow", path="/2/tweets", seconds=0.05)
    assert post()().external_id  # late, but within the adapter's timeout
    assert {mode for mode, *_ in refusals} | {"slow"} == x_fake.modes

    # X's own refusals, met without a failure being injected.
    own_post = CommentRef(published.external_id)
    assert adapter.moderate_comment(own_post, "hide", "x").todo  # 403: X hides only replies to the account's posts
    assert adapter.moderate_comment(CommentRef("1799999999999999999"), "hide", "x").todo  # 404: the reply is gone
    assert adapter.remove("1799999999999999999") is None  # 404: already gone, which is what removal wants
    x_fake.expire_access_token()
    assert refused(comments).code == "auth"  # 401: the token's two hours are over; the renewal service renews
    renew()
    assert [c.external_id for c in comments()] == [reply["id"]]

    exchanges = list(x_fake.exchanges)
    answers = [(r, a) for r, a in exchanges if a.status >= 400]
    assert {a.status for _, a in answers} == {400, 401, 403, 404, 429, 503}
    assert {a.content_type for r, a in answers if r.path != TOKEN_PATH} == {PROBLEM}
    for _, answer in answers:
        if answer.status == 429:
            assert RATE_LIMIT_HEADERS <= set(answer.headers) and answer.headers["x-rate-limit-reset"].isdigit()
    assert spec.exchange_errors(exchanges, skip=[TOKEN_PATH]) == []

    # The token endpoint, by hand: a refresh token X will not take is OAuth 2.0's invalid_request (RFC 6749
    # section 5.2); a busy or failing X answers with the problems it gives everywhere else.
    by_status = {a.status: a for r, a in answers if r.path == TOKEN_PATH}
    assert set(by_status) == {400, 429, 503}
    assert by_status[400].content_type.startswith("application/json")
    assert (
        set(by_status[400].body) == {"error", "error_description"} and by_status[400].body["error"] == "invalid_request"
    )
    assert {by_status[429].content_type, by_status[503].content_type} == {PROBLEM}


def test_validation_catches_a_refusal_that_drifts_from_the_description(x, x_fake, spec):
    x_fake.fail_next("expired_token")
    refused(lambda: x.fetch_comments(None))
    x_fake.fail_next("invalid")
    refused(lambda: x.publish(version()))
    assert x.moderate_comment(CommentRef("1799999999999999999"), "hide", "x").todo
    (unauthorized_request, unauthorized), (invalid_request, invalid), (gone_request, gone) = x_fake.exchanges
    assert spec.exchange_errors(x_fake.exchanges) == []

    def said(request, answer):
        return " ".join(spec.exchange_errors([(request, answer)]))

    untitled = Answer(401, {k: v for k, v in unauthorized.body.items() if k != "title"}, unauthorized.headers)
    assert "'title' is a required property" in said(unauthorized_request, untitled)

    as_plain_json = Answer(401, unauthorized.body)  # read as X's Error object, which it is not
    assert "'code' is a required property" in said(unauthorized_request, as_plain_json)

    errors_without_message = copy.deepcopy(invalid.body)
    errors_without_message["errors"] = [{"text": "Your Tweet text is too long."}]
    assert "'message' is a required property" in said(
        invalid_request, Answer(400, errors_without_message, invalid.headers)
    )

    no_resource_type = Answer(404, {k: v for k, v in gone.body.items() if k != "resource_type"}, gone.headers)
    assert "'resource_type' is a required property" in said(gone_request, no_resource_type)


def test_the_description_as_published_refuses_xs_about_blank_problems(x, x_fake):
    """The shortfall the module docstring names; when a refreshed copy accepts X's 401, drop `as_read_here`'s
    first addition and its paragraph in the docstring."""
    x_fake.fail_next("expired_token")
    refused(lambda: x.fetch_comments(None))
    as_published = VendorSpec(DESCRIPTION, closed_objects=True)
    # X's problems are told apart by their type, and the description maps no schema to about:blank.
    said = " ".join(as_published.exchange_errors(x_fake.exchanges))
    assert "'#/components/schemas/about:blank' could not be resolved" in said
