"""The Mastodon adapter and the Mastodon fake held to Mastodon's published API description.

tests/publishing/vendor/mastodon-openapi.json is the community description of the Mastodon API (abraham/mastodon-
openapi, generated from the official documentation; see vendor/mastodon-openapi.md for the commit), cut down to the
operations used here. A whole desk's worth of work runs against the fake (a post with two images and a short video,
comments fetched, metrics, a deletion, a report, a block, the account's own posts read back with an edit made
through the documented PUT) and every request the adapter (or the test, acting as a person in Mastodon) sent and
every answer the fake gave is checked against that description; the fake's /__fake__/ control endpoints aside.

Refusals are held to it as well: every failure the fake can be told to give, on the calls where the adapter meets it
(posting, media upload and processing, mentions, metrics, a report, a block, the account's own posts and their
history, a deletion), and the instance's own 404s and 401, each with what the adapter makes of it. Mastodon has no
duplicate answer (the Idempotency-Key brings back the first status instead), so its fake has no such mode. The
description gives each of these operations its refusals (401, 404, 410, 422, 429, 503; media upload 500 as well),
each a Mastodon Error entity, `{"error": "..."}`; a refusal with a status its operation does not list is drift.

Objects are read closed: a field the description does not name is drift, not an extension.

Where the community description is wrong or looser than Mastodon's documentation (docs.joinmastodon.org), the test
says so here instead of bending the fake or the adapter:

- POST /api/v1/statuses: the body is `oneOf` TextStatus, MediaStatus, PollStatus, each an `allOf` of BaseStatus
  and its own part. Read as published (objects open to other fields), a status with both text and media, the
  commonest post there is, matches TextStatus and MediaStatus both, so `oneOf` refuses it
  (`test_the_description_as_published_refuses_text_with_media` shows it). The documentation says media_ids make
  `status` optional, nothing more. Read closed, the branches exclude each other as intended; closing needs each
  `allOf` folded into one object first (closing its parts separately would refuse every status), which
  `as_read_here` does without changing what the branches accept.
- POST /api/v2/media: the file is `type: string, format: binary`, the OpenAPI 3.0 way, in a 3.1 document, where a
  string is text and the uploaded bytes are refused. `as_read_here` writes it the 3.1 way (`contentMediaType`), so a
  missing file is still refused and the other fields are still checked.
- Array query parameters are named without the `[]` Rails reads in a query string (`types`, where the documentation
  and Mastodon take `types[]`). openapi-core ignores parameters an operation does not declare, so this test checks
  the names itself, taking `name[]` as `name`.
- GET /api/v1/media/{id} answers 206 while the file is processing; the description gives 206 no body, while Mastodon
  sends the attachment (with a null url). The fake sends it as Mastodon does; that body goes unchecked.
- The rate-limit headers (X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset) are named on successful
  answers only, while Mastodon sends them on its 429 too (docs.joinmastodon.org/api/rate-limits), where they matter
  most; the test checks them there by hand.
- Security: openapi-core does not check OAuth 2.0 requirements; the fake checks the bearer token itself.
"""

import copy
import itertools
import json
import warnings
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
import requests

from posts.publishing.base import AdapterError, CommentRef, MediaItem

from .fake_base import Answer, Recorded
from .helpers import version
from .vendor_schema import VENDOR, SpecRequest, SpecResponse, VendorSpec

pytestmark = pytest.mark.django_db

DESCRIPTION = VENDOR / "mastodon-openapi.json"


def as_read_here(data: dict) -> dict:
    """The description with the two repairs the module docstring names: each `allOf` of plain objects folded into
    one object (properties and required lists joined), and binary multipart parts written the OpenAPI 3.1 way."""
    schemas = data["components"]["schemas"]

    def fold(node):
        if isinstance(node, dict):
            for value in node.values():
                fold(value)
            if "allOf" in node:
                parts = [schemas[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p for p in node.pop("allOf")]
                node["type"] = "object"
                node["properties"] = {k: v for part in parts for k, v in part.get("properties", {}).items()}
                node["required"] = sorted({name for part in parts for name in part.get("required", [])})
        elif isinstance(node, list):
            for value in node:
                fold(value)

    fold(data)
    for item in data["paths"].values():
        for operation in item.values():
            form = (operation.get("requestBody") or {}).get("content", {}).get("multipart/form-data")
            for name, field in (form or {}).get("schema", {}).get("properties", {}).items():
                if field.get("format") == "binary":
                    form["schema"]["properties"][name] = {
                        "contentMediaType": "application/octet-stream",
                        "description": field.get("description", ""),
                    }
    return data


def reasons(spec: VendorSpec, recorded: Recorded, answer: Answer | None = None) -> list[str]:
    """The innermost schema complaints about a request (or, given an answer, a response), as '<where>: <why>'
    (vendor_schema's messages name the outermost schema, which for a `oneOf` says only that none matched)."""
    found = []

    def walk(error):
        if getattr(error, "context", None):
            for inner in error.context:
                walk(inner)
        else:
            found.append(f"{'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message[:300]}")

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Unsupported scheme type")
        if answer is None:
            errors = spec.openapi.iter_request_errors(SpecRequest(recorded))
        else:
            errors = spec.openapi.iter_response_errors(SpecRequest(recorded), SpecResponse(answer))
        for error in errors:
            cause, inner = error.__cause__, []
            while cause is not None:
                inner += list(getattr(cause, "schema_errors", ()) or ())
                cause = cause.__cause__
            for schema_error in inner:
                walk(schema_error)
            if not inner:
                found.append(str(error)[:300])
    return found


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    folded = tmp_path_factory.mktemp("vendor") / "mastodon-openapi.json"
    folded.write_text(json.dumps(as_read_here(json.loads(DESCRIPTION.read_text()))))
    return VendorSpec(folded, closed_objects=True)


def undeclared_query_parameters(spec: VendorSpec, exchanges) -> list[str]:
    """Query parameters sent that the operation does not declare (`name[]` read as `name`)."""
    problems = []
    for recorded, _ in exchanges:
        if recorded.path.startswith("/__fake__/"):
            continue
        template = _template(spec, recorded.path)
        operation = spec.data["paths"][template][recorded.method.lower()]
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        for name in recorded.query:
            if name.removesuffix("[]") not in declared:
                problems.append(f"{recorded.method} {recorded.path}: query parameter {name!r} is not declared")
    return problems


def _template(spec: VendorSpec, path: str) -> str:
    parts = path.strip("/").split("/")
    for template in spec.data["paths"]:
        pieces = template.strip("/").split("/")
        if len(pieces) == len(parts) and all(
            p == q or (p.startswith("{") and p.endswith("}")) for p, q in zip(pieces, parts, strict=True)
        ):
            return template
    raise AssertionError(f"{path} is not in the description")


def stored(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / "media" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return name


def desk_day(mastodon, fake, tmp_path):
    """One day's Mastodon work, end to end against the fake."""
    media = (
        MediaItem("gate.png", "image/png", stored(tmp_path, "gate.png", b"\x89PNG gate"), "The park gate at dusk"),
        MediaItem("grill.jpg", "image/jpeg", stored(tmp_path, "grill.jpg", b"\xff\xd8 grill"), "Officers at a grill"),
    )
    published = mastodon.publish(version(media=media))
    clip = MediaItem("clip.mp4", "video/mp4", stored(tmp_path, "clip.mp4", b"\x00 ftypmp42"), "Officer waves")
    with_video = mastodon.publish(version(idempotency_key="key-0002", body="Watch the parade.", media=(clip,)))

    fake.add_mention("Will there be parking?", in_reply_to_id=published.external_id)
    rude = fake.add_mention("You are all idiots", acct="troll@other.example", in_reply_to_id=published.external_id)
    assert len(mastodon.fetch_comments(None)) == 2
    assert mastodon.fetch_metrics(published.external_id).replies == 0
    mastodon.remove(with_video.external_id)

    ref = CommentRef(external_id=rude["status"]["id"], author_handle="@troll@other.example")
    assert mastodon.moderate_comment(ref, "remove", "personal_attack").todo
    mastodon.block_account(ref)

    direct = fake.post_directly(
        "Road closed on Main St.", media=({"type": "image", "description": "Barriers across Main St."},)
    )
    headers = {"Authorization": f"Bearer {fake.token}"}
    edited = requests.put(
        f"{fake.url}/api/v1/statuses/{direct['id']}",
        headers=headers,
        json={"status": "Main St. is open again."},
        timeout=5,
    )
    assert edited.status_code == 200
    fake.boost(fake.add_mention("Thanks!")["status"])
    posts = mastodon.fetch_own_posts(datetime.now(UTC) - timedelta(days=1))
    assert [p.external_id for p in posts] == [direct["id"], published.external_id]
    assert [v.text for v in posts[0].history] == ["Road closed on Main St."]


def test_every_request_and_answer_of_a_desk_day_is_as_mastodon_describes(spec, mastodon, mastodon_fake, tmp_path):
    desk_day(mastodon, mastodon_fake, tmp_path)

    exchanges = list(mastodon_fake.exchanges)
    used = {(r.method, _template(spec, r.path)) for r, _ in exchanges}
    assert used == {
        ("POST", "/api/v2/media"),
        ("GET", "/api/v1/media/{id}"),
        ("POST", "/api/v1/statuses"),
        ("GET", "/api/v1/statuses/{id}"),
        ("PUT", "/api/v1/statuses/{id}"),
        ("DELETE", "/api/v1/statuses/{id}"),
        ("GET", "/api/v1/statuses/{id}/history"),
        ("GET", "/api/v1/notifications"),
        ("GET", "/api/v1/accounts/verify_credentials"),
        ("GET", "/api/v1/accounts/{id}/statuses"),
        ("POST", "/api/v1/accounts/{id}/block"),
        ("POST", "/api/v1/reports"),
    }
    assert spec.exchange_errors(exchanges) == []
    assert undeclared_query_parameters(spec, exchanges) == []


def test_a_blocked_comment_author_looked_up_by_address_is_as_described(spec, mastodon, mastodon_fake):
    mention = mastodon_fake.add_mention("Deleted it myself", acct="troll@other.example")
    del mastodon_fake.others[mention["status"]["id"]]
    mastodon.block_account(CommentRef(external_id=mention["status"]["id"], author_handle="@troll@other.example"))
    statuses = [a.status for _, a in mastodon_fake.exchanges]
    assert statuses == [404, 200, 200]  # the status is gone, the account is found, then blocked
    assert spec.exchange_errors(mastodon_fake.exchanges) == []
    assert undeclared_query_parameters(spec, mastodon_fake.exchanges) == []


# Negative controls: the check really catches drift ------------------------------------------------------------


def _first(fake, method, path_end):
    return next((r, a) for r, a in fake.exchanges if r.method == method and r.path.endswith(path_end))


def test_a_drifted_status_answer_is_caught(spec, mastodon, mastodon_fake):
    published = mastodon.publish(version())
    recorded, answer = _first(mastodon_fake, "POST", "/api/v1/statuses")
    assert spec.response_errors(recorded, answer) == []

    renamed = copy.deepcopy(answer.body)
    renamed["favorites_count"] = renamed.pop("favourites_count")  # the American spelling Mastodon does not use
    assert spec.response_errors(recorded, Answer(200, renamed))
    why = reasons(spec, recorded, Answer(200, renamed))
    assert "(body): 'favourites_count' is a required property" in why
    assert "(body): Additional properties are not allowed ('favorites_count' was unexpected)" in why

    account_id_as_number = copy.deepcopy(answer.body)
    account_id_as_number["account"]["id"] = int(account_id_as_number["account"]["id"])
    assert spec.response_errors(recorded, Answer(200, account_id_as_number))
    assert f"account/id: {account_id_as_number['account']['id']} is not of type 'string'" in reasons(
        spec, recorded, Answer(200, account_id_as_number)
    )
    assert published.external_id


def test_a_drifted_report_request_is_caught(spec, mastodon, mastodon_fake):
    mention = mastodon_fake.add_mention("Buy followers")
    mastodon.moderate_comment(CommentRef(external_id=mention["status"]["id"]), "remove", "spam")
    recorded, _ = _first(mastodon_fake, "POST", "/api/v1/reports")
    assert spec.request_errors(recorded) == []
    body = recorded.json()
    body["category"] = "abuse"  # not one of spam, legal, violation, other
    drifted = Recorded(recorded.method, recorded.path, recorded.query, recorded.headers, json.dumps(body).encode())
    assert spec.request_errors(drifted)
    assert any(r.startswith("category: 'abuse' is not one of") for r in reasons(spec, drifted))


def test_an_undeclared_query_parameter_is_caught(spec):
    recorded = Recorded("GET", "/api/v1/notifications", {"kinds[]": ["mention"]}, {}, b"")
    assert undeclared_query_parameters(spec, [(recorded, Answer(200, []))]) == [
        "GET /api/v1/notifications: query parameter 'kinds[]' is not declared"
    ]


def test_the_description_as_published_refuses_text_with_media(mastodon, mastodon_fake, tmp_path):
    """The community description's flaw the module docstring names; when a refreshed copy accepts such a post, drop
    the first repair of `as_read_here` and its paragraph in the docstring."""
    photo = MediaItem("gate.png", "image/png", stored(tmp_path, "gate.png", b"\x89PNG"), "The park gate")
    mastodon.publish(version(media=(photo,)))
    recorded, _ = _first(mastodon_fake, "POST", "/api/v1/statuses")
    as_published = VendorSpec(DESCRIPTION)
    assert any("is valid under each of" in e for e in as_published.request_errors(recorded))


# Refusals ----------------------------------------------------------------------------------------------------


def refused(call) -> AdapterError:
    with pytest.raises(AdapterError) as raised:
        call()
    return raised.value


def test_every_refusal_is_as_mastodon_describes_and_the_adapter_takes_it_as_meant(
    spec, mastodon, mastodon_fake, tmp_path
):
    fake = mastodon_fake
    photo = MediaItem("gate.png", "image/png", stored(tmp_path, "gate.png", b"\x89PNG gate"), "The park gate")
    clip = MediaItem("clip.mp4", "video/mp4", stored(tmp_path, "clip.mp4", b"\x00 ftypmp42"), "Officer waves")
    keys = (f"key-{n:04}" for n in itertools.count(100))
    since = datetime.now(UTC) - timedelta(hours=1)
    published = mastodon.publish(version())
    mention = fake.add_mention("Is the park open tonight?", in_reply_to_id=published.external_id)
    troll = fake.add_mention("You are all idiots", acct="troll@other.example", in_reply_to_id=published.external_id)
    edited = fake.post_directly("Road closed on Main St.")
    fake.edit_status(edited["id"], "Main St. is open again.")

    def post(*media, key=None):
        return partial(mastodon.publish, version(idempotency_key=key or next(keys), media=media))

    comments, own_posts = partial(mastodon.fetch_comments, since), partial(mastodon.fetch_own_posts, since)
    report = partial(mastodon.moderate_comment, CommentRef(troll["status"]["id"]), "remove", "personal_attack")
    block = partial(mastodon.block_account, CommentRef(troll["status"]["id"]))
    metrics = partial(mastodon.fetch_metrics, published.external_id)
    remove = partial(mastodon.remove, published.external_id)
    timeline = f"/api/v1/accounts/{fake.account['id']}/statuses"
    # The mode the fake answers with, on which call, and what the adapter makes of it: (code, permanent).
    refusals = [
        ("expired_token", "/api/v1/statuses", post(), ("auth", True)),
        ("rate_limited", "/api/v1/statuses", post(), ("rate_limited", False)),
        ("server_error", "/api/v1/statuses", post(), ("server", False)),
        ("invalid", "/api/v1/statuses", post(), ("invalid", True)),
        ("invalid", "/api/v2/media", post(photo), ("invalid", True)),
        ("rate_limited", "/api/v2/media", post(photo), ("rate_limited", False)),
        ("server_error", "/api/v1/media/", post(clip), ("server", False)),  # while the video is processed
        ("expired_token", "/api/v1/notifications", comments, ("auth", True)),
        ("rate_limited", "/api/v1/notifications", comments, ("rate_limited", False)),
        ("server_error", "/api/v1/notifications", comments, ("server", False)),
        ("server_error", "/api/v1/statuses/", metrics, ("server", False)),
        ("rate_limited", "/api/v1/reports", report, ("rate_limited", False)),
        ("invalid", "/api/v1/reports", report, ("invalid", True)),
        ("server_error", "/block", block, ("server", False)),
        ("expired_token", "/verify_credentials", own_posts, ("auth", True)),
        ("rate_limited", timeline, own_posts, ("rate_limited", False)),
        ("server_error", "/history", own_posts, ("server", False)),
        ("server_error", "/api/v1/statuses/", remove, ("server", False)),
        ("disconnect", "/api/v1/statuses", post(), ("network", False)),
        ("lose_answer", "/api/v1/statuses", post(key="key-lost"), ("network", False)),
    ]
    for mode, path, call, expected in refusals:
        fake.fail_next(mode, path=path)
        error = refused(call)
        assert (mode, path, error.code, error.permanent) == (mode, path, *expected)
        if error.code == "rate_limited":
            assert 20 <= error.retry_after <= 31  # X-RateLimit-Reset, not a guess
        assert fake.token not in error.message
    # The post whose answer was lost is not posted twice: the Idempotency-Key brings back the first status.
    assert post(key="key-lost")().external_id == fake.idempotency["key-lost"]
    assert fake.idempotent_repeats == {"key-lost": 1}
    fake.fail_next("slow", path="/api/v1/statuses", seconds=0.05)
    assert post()().external_id  # late, but within the adapter's timeout
    assert {mode for mode, *_ in refusals} | {"slow"} == fake.modes

    # The instance's own refusals, met without a failure being injected.
    assert mastodon.remove("109999999999999999") is None  # 404: already gone, which is what removal wants
    del fake.others[mention["status"]["id"]]  # its author deleted it
    gone = mastodon.moderate_comment(CommentRef(mention["status"]["id"]), "remove", "spam")
    assert gone.done and "no longer on" in gone.summary  # 404: nothing left to report
    fake.token = "mastodon-token-issued-since-0123"  # the channel's token was revoked on the instance
    assert refused(comments).code == "auth"  # 401

    exchanges = list(fake.exchanges)
    answers = [(r, a) for r, a in exchanges if a.status >= 400]
    assert {a.status for _, a in answers} == {401, 404, 422, 429, 503}
    assert all(set(a.body) == {"error"} and a.content_type.startswith("application/json") for _, a in answers)
    assert spec.exchange_errors(exchanges) == []
    assert undeclared_query_parameters(spec, exchanges) == []

    # The rate-limit headers, by hand (the description names them on successful answers only): how many requests
    # the period allows, how many are left, and when it starts again, an ISO 8601 time.
    for _, answer in answers:
        if answer.status == 429:
            assert int(answer.headers["X-RateLimit-Limit"]) > 0 and answer.headers["X-RateLimit-Remaining"] == "0"
            assert datetime.fromisoformat(answer.headers["X-RateLimit-Reset"].replace("Z", "+00:00")).tzinfo


def test_a_drifted_error_answer_is_caught(spec, mastodon, mastodon_fake):
    mastodon_fake.fail_next("invalid")
    refused(partial(mastodon.publish, version()))
    [(recorded, answer)] = mastodon_fake.exchanges
    assert spec.response_errors(recorded, answer) == []

    as_message = Answer(422, {"message": answer.body["error"]})  # not Mastodon's Error entity
    why = reasons(spec, recorded, as_message)
    assert "(body): 'error' is a required property" in why
    assert "(body): Additional properties are not allowed ('message' was unexpected)" in why

    refused_as_forbidden = Answer(403, answer.body)  # a status the description does not give this operation
    assert spec.response_errors(recorded, refused_as_forbidden) == ["Unknown response http status: 403"]
