"""Checks what a platform fake was sent and what it answered against the platform's own OpenAPI description.

The fakes speak the platforms' documented protocols; this holds them (and the adapters) to it. A trimmed copy of
the vendor's description lives in tests/publishing/vendor/ with a note saying where it came from. Usage:

    spec = VendorSpec(VENDOR / "x-openapi.json", closed_objects=True)
    assert spec.exchange_errors(fake.exchanges) == []

The fake's own address is not the platform's: the description's servers are replaced by one placeholder host
that keeps the servers' base path, so a recorded path such as /2/tweets matches the description's /2/tweets.
Validation is openapi-core's (request: path, query, headers, security, body; response: status, headers, body). An
answer's body is read under the content type it was sent with, and a `+json` type such as X's
application/problem+json is read as JSON.
"""

import json
import warnings
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

from .fake_base import CONTROL, Answer, Recorded

VENDOR = Path(__file__).resolve().parent / "vendor"
HOST = "http://platform.invalid"


class SpecRequest:
    """A recorded request in the shape openapi-core reads (openapi_core.protocols.Request)."""

    def __init__(self, recorded: Recorded):
        self.host_url = HOST
        self.path = recorded.path
        self.method = recorded.method.lower()
        self.body = recorded.body or None
        self.content_type = (recorded.headers.get("content-type") or "").lower()
        self.parameters = RequestParameters(
            query=ImmutableMultiDict([(name, value) for name, values in recorded.query.items() for value in values]),
            header=Headers(recorded.headers),
            cookie=ImmutableMultiDict(),
            path={},
        )


class SpecResponse:
    """A fake's answer as the client received it: the body as JSON, under the content type the answer names
    (application/json unless it says otherwise, as X's problems do)."""

    def __init__(self, answer: Answer):
        self.status_code = answer.status
        self.data = answer.data()
        self.headers = Headers(answer.sent_headers())
        self.content_type = (self.headers.get("Content-Type") or "").lower()


def _close_objects(node):
    """Objects that name their properties and say nothing of others take no others (a field the description
    does not have is drift, not an extension)."""
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node and node.get("type", "object") == "object":
            node["additionalProperties"] = False
        for value in node.values():
            _close_objects(value)
    elif isinstance(node, list):
        for value in node:
            _close_objects(value)
    return node


def _with_placeholder_server(spec: dict) -> dict:
    servers = spec.get("servers") or [{"url": "/"}]
    base = urlsplit(servers[0]["url"]).path.rstrip("/")
    spec["servers"] = [{"url": HOST + base}]
    for item in (spec.get("paths") or {}).values():
        item.pop("servers", None)
        for operation in item.values():
            if isinstance(operation, dict):
                operation.pop("servers", None)
    return spec


def _resolve(spec: dict, node: dict) -> dict:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _with_multipart_casting(spec: dict) -> dict:
    """A multipart part is text: OpenAPI reads an integer, number or boolean property from it, but openapi-core
    0.23 compares the text itself with the schema unless the part has an encoding style. Give those parts the
    form style, which casts them; nothing else changes."""
    for item in (spec.get("paths") or {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            body = _resolve(spec, operation.get("requestBody") or {})
            for media_type, content in (body.get("content") or {}).items():
                if not media_type.startswith("multipart/"):
                    continue
                schema = _resolve(spec, content.get("schema") or {})
                for name, prop in (schema.get("properties") or {}).items():
                    if _resolve(spec, prop).get("type") in ("integer", "number", "boolean"):
                        content.setdefault("encoding", {}).setdefault(name, {"style": "form"})
    return spec


def _media_types(node, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "content" and isinstance(value, dict):
                found.update(value)
            _media_types(value, found)
    elif isinstance(node, list):
        for value in node:
            _media_types(value, found)
    return found


def _json_suffixed(spec: dict) -> dict:
    """A reader for each `+json` media type the description uses (RFC 6839: the body is JSON), such as X's
    application/problem+json; openapi-core 0.23 reads only a few JSON types as JSON and checks the others' bytes."""
    types = {t for t in _media_types(spec, set()) if t.endswith("+json")}
    return {media_type: _json_loads for media_type in sorted(types)}


def _json_loads(value: bytes, **parameters: str):
    return json.loads(value)


class VendorSpec:
    """A platform's OpenAPI description, ready to judge recorded exchanges."""

    def __init__(self, path: Path, *, closed_objects: bool = False):
        self.path = Path(path)
        data = json.loads(self.path.read_text())
        if closed_objects:
            _close_objects(data.get("components") or {})
            _close_objects(data.get("paths") or {})
        self.data = _with_multipart_casting(_with_placeholder_server(data))
        self.openapi = OpenAPI.from_dict(self.data, config=Config(extra_media_type_deserializers=_json_suffixed(data)))

    def request_errors(self, recorded: Recorded) -> list[str]:
        with warnings.catch_warnings():
            # openapi-core does not check OAuth 2.0 schemes (it warns and accepts): the bearer header is
            # checked by the fake itself.
            warnings.filterwarnings("ignore", "Unsupported scheme type")
            return [_describe(error) for error in self.openapi.iter_request_errors(SpecRequest(recorded))]

    def response_errors(self, recorded: Recorded, answer: Answer) -> list[str]:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Unsupported scheme type")
            return [
                _describe(error)
                for error in self.openapi.iter_response_errors(SpecRequest(recorded), SpecResponse(answer))
            ]

    def exchange_errors(self, exchanges: Iterable[tuple[Recorded, Answer]], *, skip: Iterable[str] = ()) -> list[str]:
        """Every problem with every exchange, as '<METHOD> <path> request|response: <error>'.

        `skip` names path prefixes the description does not cover (say so where the test is); the fakes'
        control endpoints are always skipped."""
        skipped = (CONTROL, *skip)
        problems = []
        for recorded, answer in exchanges:
            if recorded.path.startswith(skipped):
                continue
            where = f"{recorded.method} {recorded.path}"
            problems += [f"{where} request: {error}" for error in self.request_errors(recorded)]
            problems += [
                f"{where} response {answer.status}: {error}" for error in self.response_errors(recorded, answer)
            ]
        return problems


def _describe(error: Exception) -> str:
    """An openapi-core error with the schema errors under it (the top message alone rarely says which field)."""
    parts = [str(error)]
    cause = error.__cause__
    while cause is not None:
        parts.append(str(cause))
        for inner in getattr(cause, "schema_errors", ()) or ():
            path = "/".join(str(p) for p in getattr(inner, "absolute_path", ()) or ())
            parts.append(f"{path or '(body)'}: {getattr(inner, 'message', inner)}")
        cause = cause.__cause__
    return " | ".join(dict.fromkeys(p for p in parts if p))
