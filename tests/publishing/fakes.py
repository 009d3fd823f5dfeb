"""Local stand-ins for the platforms, speaking their documented HTTP requests and answers.

Each fake is a real HTTP server on 127.0.0.1 (a random free port) in a background thread, so any process can
reach it by URL: the test itself, a Celery worker subprocess, a browser.

    with WebhookFake(secret="s3cret") as hook:          # or fake = WebhookFake(...).start(); ...; fake.stop()
        channel.api_base_url = hook.endpoint
        ...
        assert hook.delivery_count() == 1                # distinct Idempotency-Keys delivered
        assert hook.repeats == {key: 1}                  # repeated keys, answered with the original result
        assert hook.send_count() == 2                    # every delivery request received, repeats included
        hook.fail_next("server_error", times=2)          # the next two requests get the platform's 5xx answer

Failure modes every fake knows (`fail_next(mode, times=1, path=None)`, `path` a substring the request path must
contain): "expired_token", "rate_limited", "duplicate", "server_error", "invalid" (each in the platform's own
shape), "slow" (answer only after `seconds`, default 2, so a client with a shorter timeout gives up while the
request is still carried out), "disconnect" (close the connection without an answer, nothing done) and
"lose_answer" (carry the request out, then close the connection: the client cannot know it succeeded).

From another process, or for a fake started with `python -m tests.publishing.fakes KIND --token T` (prints
`URL <base url>` on its first line), the same controls are HTTP endpoints that need no credentials:
    GET  <url>/__fake__/state    the fake's state as JSON (see each fake's `state()`)
    POST <url>/__fake__/fail     {"mode": "...", "times": 1, "path": null, "seconds": 2}
    POST <url>/__fake__/reset    forget everything
`RemoteFake(url)` wraps them, and `fake_in_subprocess(kind, **options)` starts one in its own process.
"""

import argparse
import email.parser
import email.policy
import hashlib
import hmac
import html
import itertools
import json
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[2]
CONTROL = "/__fake__/"
MODES = {"expired_token", "rate_limited", "duplicate", "server_error", "invalid", "slow", "disconnect", "lose_answer"}


@dataclass
class Recorded:
    """One request as the fake received it."""

    method: str
    path: str
    query: dict
    headers: dict  # lower-case names
    body: bytes

    def form(self) -> dict:
        return parse_qs(self.body.decode(), keep_blank_values=True)

    def json(self):
        return json.loads(self.body or b"null")

    def param(self, name: str, default: str = "") -> str:
        """A parameter from the query, a form body or a JSON body, whichever carries it."""
        if name in self.query:
            return self.query[name][0]
        content_type = self.headers.get("content-type", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            values = self.form().get(name)
            return values[0] if values else default
        if content_type.startswith("application/json"):
            body = self.json()
            if isinstance(body, dict) and name in body:
                return str(body[name])
        return default

    def multipart(self) -> dict:
        """Fields of a multipart/form-data body: name -> (filename, content type, bytes)."""
        head = f"Content-Type: {self.headers.get('content-type', '')}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + self.body)
        parts = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            parts[name] = (part.get_filename(), part.get_content_type(), part.get_payload(decode=True) or b"")
        return parts


@dataclass
class Answer:
    status: int
    body: object = None
    headers: dict = field(default_factory=dict)


DROP = Answer(0)  # close the connection without answering


def now_utc() -> datetime:
    return datetime.now(UTC)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        return

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        request = Recorded(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        answer = self.server.fake.dispatch(request)
        if answer is DROP:
            self.close_connection = True
            return
        data = b"" if answer.body is None else json.dumps(answer.body).encode()
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if data:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = do_PUT = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


class FakePlatform:
    """What every fake shares: the server, the request log, failure injection and the control endpoints."""

    kind = ""
    modes = MODES

    def __init__(self, *, token: str = "fake-token-0123456789", port: int = 0):
        self.token = token
        self.port = port
        self.lock = threading.RLock()
        self.requests: list[Recorded] = []
        self._failures: deque = deque()
        self._server = None
        self._thread = None
        self._ids = itertools.count(1)

    # Life ----------------------------------------------------------------------------------------------------

    def start(self):
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"fake-{self.kind}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # Control -------------------------------------------------------------------------------------------------

    def fail_next(self, mode: str, *, times: int = 1, path: str | None = None, **options):
        if mode not in self.modes:
            raise ValueError(f"{self.kind} has no failure mode {mode!r}; one of {sorted(self.modes)}")
        with self.lock:
            for _ in range(times):
                self._failures.append((mode, path, options))
        return self

    def reset(self):
        with self.lock:
            self.requests.clear()
            self._failures.clear()
            self.clear()

    def clear(self):
        """Forget the platform's own data (each fake overrides)."""

    def state(self) -> dict:
        return {"requests": len(self.requests)}

    def _take_failure(self, request: Recorded):
        for index, (mode, path, options) in enumerate(self._failures):
            if path is None or path in request.path:
                del self._failures[index]
                return mode, options
        return None

    def _control(self, request: Recorded) -> Answer:
        action = request.path[len(CONTROL) :].strip("/")
        with self.lock:
            if action == "state" and request.method == "GET":
                return Answer(200, self.state())
            if action == "fail" and request.method == "POST":
                body = request.json() or {}
                options = {k: v for k, v in body.items() if k not in {"mode", "times", "path"}}
                try:
                    self.fail_next(
                        body.get("mode", ""), times=int(body.get("times", 1)), path=body.get("path"), **options
                    )
                except ValueError as exc:
                    return Answer(400, {"error": str(exc)})
                return Answer(204)
            if action == "reset" and request.method == "POST":
                self.reset()
                return Answer(204)
        return Answer(404, {"error": "unknown control"})

    def dispatch(self, request: Recorded) -> Answer:
        if request.path.startswith(CONTROL):
            return self._control(request)
        with self.lock:
            self.requests.append(request)
            failure = self._take_failure(request)
        mode, options = failure or (None, {})
        if mode == "disconnect":
            return DROP
        if mode == "slow":
            time.sleep(float(options.get("seconds", 2)))
        elif mode is not None and mode != "lose_answer":
            with self.lock:
                return self.error_answer(mode, request)
        with self.lock:
            answer = self.check_auth(request) or self.route(request)
        return DROP if mode == "lose_answer" else answer

    # Per platform --------------------------------------------------------------------------------------------

    def check_auth(self, request: Recorded) -> Answer | None:
        return None

    def route(self, request: Recorded) -> Answer:
        return Answer(404)

    def error_answer(self, mode: str, request: Recorded) -> Answer:
        raise NotImplementedError

    def bearer(self, request: Recorded) -> str:
        value = request.headers.get("authorization", "")
        return value[7:] if value.lower().startswith("bearer ") else ""

    def next_id(self) -> str:
        return str(next(self._ids))


# The city's webhook receiver -----------------------------------------------------------------------------------


class WebhookFake(FakePlatform):
    """A receiver implementing the protocol in posts/publishing/adapters/webhook.py at `<url>/hook`."""

    kind = "webhook"
    tolerance = 300

    def __init__(self, *, secret: str = "webhook-secret-0123456789-abcdefghijklmnop", port: int = 0):
        super().__init__(token=secret, port=port)
        self.clear()

    @property
    def endpoint(self) -> str:
        return f"{self.url}/hook"

    def clear(self):
        self._deliveries: dict[str, dict] = {}
        self.removed: list[str] = []
        self.refused_signatures = 0

    @property
    def deliveries(self) -> list[dict]:
        """The payload of each distinct Idempotency-Key, in order of first arrival."""
        with self.lock:
            return [d["payload"] for d in self._deliveries.values()]

    @property
    def repeats(self) -> dict[str, int]:
        """Idempotency-Key -> how many times it came again after the first (only keys that did)."""
        with self.lock:
            return {key: d["repeats"] for key, d in self._deliveries.items() if d["repeats"]}

    def delivery_count(self, key: str | None = None) -> int:
        with self.lock:
            if key is None:
                return len(self._deliveries)
            return 1 if key in self._deliveries else 0

    def send_count(self) -> int:
        """Every delivery request (POST /hook) that reached the receiver, whatever it was answered: a repeated
        Idempotency-Key counts each time it came, so a sender that sends twice cannot hide behind the key."""
        with self.lock:
            return sum(1 for r in self.requests if r.method == "POST" and r.path == "/hook")

    def state(self) -> dict:
        with self.lock:
            return {
                "requests": len(self.requests),
                "sends": self.send_count(),
                "deliveries": [
                    {"idempotency_key": k, "payload": d["payload"], "answer": d["answer"], "repeats": d["repeats"]}
                    for k, d in self._deliveries.items()
                ],
                "repeats": self.repeats,
                "removed": list(self.removed),
                "refused_signatures": self.refused_signatures,
            }

    def signature_ok(self, request: Recorded) -> bool:
        timestamp = request.headers.get("x-socialgov-timestamp", "")
        given = request.headers.get("x-socialgov-signature", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > self.tolerance:
            return False
        expected = hmac.new(self.token.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256)
        return hmac.compare_digest(given, f"sha256={expected.hexdigest()}")

    def check_auth(self, request):
        if not self.signature_ok(request):
            self.refused_signatures += 1
            return Answer(401, {"error": "signature does not match"})
        return None

    def route(self, request):
        if request.method == "POST" and request.path == "/hook":
            return self._deliver(request)
        match = re.fullmatch(r"/hook/([^/]+)", request.path)
        if request.method == "DELETE" and match:
            item_id = match.group(1)
            known = any(d["answer"]["id"] == item_id for d in self._deliveries.values())
            if not known or item_id in self.removed:
                return Answer(404, {"error": "no such item"})
            self.removed.append(item_id)
            return Answer(204)
        return Answer(404, {"error": "not found"})

    def _deliver(self, request):
        if not request.headers.get("content-type", "").startswith("application/json"):
            return Answer(415, {"error": "send application/json"})
        key = request.headers.get("idempotency-key", "")
        if not key:
            return Answer(400, {"error": "Idempotency-Key is required"})
        if key in self._deliveries:
            delivery = self._deliveries[key]
            delivery["repeats"] += 1
            return Answer(200, delivery["answer"])
        try:
            payload = request.json()
        except ValueError:
            return Answer(400, {"error": "body is not JSON"})
        if not isinstance(payload, dict) or not payload.get("body"):
            return Answer(422, {"error": "body is required"})
        item_id = f"item-{self.next_id()}"
        answer = {"id": item_id, "url": f"https://city.example.gov/alerts/{item_id}"}
        self._deliveries[key] = {"payload": payload, "answer": answer, "repeats": 0, "headers": request.headers}
        return Answer(201, answer)

    def error_answer(self, mode, request):
        return {
            "expired_token": Answer(401, {"error": "signature does not match"}),
            "rate_limited": Answer(429, {"error": "slow down"}, {"Retry-After": "7"}),
            "duplicate": Answer(409, {"error": "an item for this post already exists"}),
            "server_error": Answer(503, {"error": "receiver unavailable"}),
            "invalid": Answer(422, {"error": "body is required"}),
        }[mode]


# Mastodon ------------------------------------------------------------------------------------------------------


def _mastodon_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class MastodonFake(FakePlatform):
    """A Mastodon instance with one account (`@police`), at `url` (the channel's API base URL)."""

    kind = "mastodon"
    modes = MODES - {"duplicate"}  # Mastodon has no duplicate answer: the Idempotency-Key prevents duplicates

    def __init__(self, *, token: str = "mastodon-token-0123456789", port: int = 0, media_processing_polls: int = 0):
        super().__init__(token=token, port=port)
        self.media_processing_polls = media_processing_polls  # GETs answered 206 before an upload is ready
        self.clear()

    def clear(self):
        self.statuses: dict[str, dict] = {}
        self.media: dict[str, dict] = {}
        self.notifications: list[dict] = []
        self.idempotency: dict[str, str] = {}
        self.idempotent_repeats: dict[str, int] = {}
        self.deleted: list[str] = []

    def state(self):
        with self.lock:
            return {
                "requests": len(self.requests),
                "statuses": list(self.statuses.values()),
                "media": list(self.media.values()),
                "repeats": dict(self.idempotent_repeats),
                "deleted": list(self.deleted),
            }

    def add_mention(
        self,
        text: str,
        *,
        acct: str = "resident@example.social",
        display_name: str = "A Resident",
        in_reply_to_id: str | None = None,
        created_at: datetime | None = None,
    ) -> dict:
        with self.lock:
            created = _mastodon_time(created_at or now_utc())
            account = {
                "id": self.next_id(),
                "username": acct.split("@")[0],
                "acct": acct,
                "display_name": display_name,
                "url": f"https://example.social/@{acct.split('@')[0]}",
            }
            status_id = self.next_id()
            status = {
                "id": status_id,
                "created_at": created,
                "in_reply_to_id": in_reply_to_id,
                "content": f'<p><span class="h-card"><a href="{self.url}/@police">@<span>police</span></a>'
                f"</span> {html.escape(text)}</p>",
                "url": f"https://example.social/@{account['username']}/{status_id}",
                "account": account,
            }
            notification = {
                "id": self.next_id(),
                "type": "mention",
                "created_at": created,
                "account": account,
                "status": status,
            }
            self.notifications.append(notification)
            return notification

    def check_auth(self, request):
        if self.bearer(request) != self.token:
            return Answer(401, {"error": "The access token is invalid"})
        return None

    def route(self, request):
        path, method = request.path, request.method
        if method == "POST" and path == "/api/v2/media":
            return self._upload(request)
        if match := re.fullmatch(r"/api/v1/media/(\w+)", path):
            media = self.media.get(match.group(1))
            if media is None:
                return Answer(404, {"error": "Record not found"})
            if media["_polls_left"] > 0:
                media["_polls_left"] -= 1
                return Answer(206, self._public(media))
            media["url"] = f"{self.url}/media/{media['id']}.png"
            return Answer(200, self._public(media))
        if method == "POST" and path == "/api/v1/statuses":
            return self._post_status(request)
        if match := re.fullmatch(r"/api/v1/statuses/(\w+)", path):
            status = self.statuses.get(match.group(1))
            if status is None:
                return Answer(404, {"error": "Record not found"})
            if method == "DELETE":
                del self.statuses[status["id"]]
                self.deleted.append(status["id"])
            return Answer(200, self._public(status))
        if method == "GET" and path == "/api/v1/notifications":
            return self._notifications(request)
        return Answer(404, {"error": "Not found"})

    @staticmethod
    def _public(item: dict) -> dict:
        return {k: v for k, v in item.items() if not k.startswith("_")}

    def _upload(self, request):
        parts = request.multipart()
        if "file" not in parts:
            return Answer(422, {"error": "Validation failed: File can't be blank"})
        filename, content_type, data = parts["file"]
        description = parts.get("description", (None, None, b""))[2].decode()
        media = {
            "id": self.next_id(),
            "type": "image",
            "url": None,
            "description": description or None,
            "_filename": filename,
            "_content_type": content_type,
            "_size": len(data),
            "_polls_left": self.media_processing_polls,
        }
        self.media[media["id"]] = media
        if self.media_processing_polls:
            return Answer(202, self._public(media))
        media["url"] = f"{self.url}/media/{media['id']}.png"
        return Answer(200, self._public(media))

    def _post_status(self, request):
        key = request.headers.get("idempotency-key", "")
        if key and key in self.idempotency and self.idempotency[key] in self.statuses:
            self.idempotent_repeats[key] = self.idempotent_repeats.get(key, 0) + 1
            return Answer(200, self._public(self.statuses[self.idempotency[key]]))
        if request.headers.get("content-type", "").startswith("application/json"):
            body = request.json() or {}
            text, media_ids, visibility = body.get("status", ""), body.get("media_ids", []), body.get("visibility")
        else:
            form = request.form()
            text = form.get("status", [""])[0]
            media_ids, visibility = form.get("media_ids[]", []), form.get("visibility", ["public"])[0]
        if not text.strip() and not media_ids:
            return Answer(422, {"error": "Validation failed: Text can't be blank"})
        if len(text) > 500:
            return Answer(422, {"error": "Validation failed: Text character limit of 500 exceeded"})
        for media_id in media_ids:
            media = self.media.get(media_id)
            if media is None:
                return Answer(422, {"error": "Validation failed: Media is invalid"})
            if media["url"] is None:
                return Answer(
                    422, {"error": "Cannot attach files that have not finished processing. Try again in a moment!"}
                )
        status_id = self.next_id()
        status = {
            "id": status_id,
            "created_at": _mastodon_time(now_utc()),
            "visibility": visibility or "public",
            "content": "".join(f"<p>{html.escape(p).replace(chr(10), '<br />')}</p>" for p in text.split("\n\n")),
            "url": f"{self.url}/@police/{status_id}",
            "uri": f"{self.url}/users/police/statuses/{status_id}",
            "media_attachments": [self._public(self.media[m]) for m in media_ids],
            "in_reply_to_id": None,
            "favourites_count": 0,
            "reblogs_count": 0,
            "replies_count": 0,
            "_text": text,
            "_idempotency_key": key,
        }
        self.statuses[status_id] = status
        if key:
            self.idempotency[key] = status_id
        return Answer(200, self._public(status))

    def _notifications(self, request):
        types = request.query.get("types[]", [])
        limit = min(int(request.query.get("limit", ["40"])[0]), 80)
        max_id = request.query.get("max_id", [None])[0]
        items = sorted(self.notifications, key=lambda n: int(n["id"]), reverse=True)
        if types:
            items = [n for n in items if n["type"] in types]
        if max_id:
            items = [n for n in items if int(n["id"]) < int(max_id)]
        return Answer(200, items[:limit])

    def error_answer(self, mode, request):
        reset = _mastodon_time(now_utc() + timedelta(seconds=30))
        return {
            "expired_token": Answer(401, {"error": "The access token is invalid"}),
            "rate_limited": Answer(
                429,
                {"error": "Too many requests"},
                {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
            ),
            "server_error": Answer(503, {"error": "Service Unavailable"}),
            "invalid": Answer(422, {"error": "Validation failed: Text character limit of 500 exceeded"}),
        }[mode]


# Facebook ------------------------------------------------------------------------------------------------------


def _graph_error(message, code, *, subcode=None, kind="OAuthException", transient=False, status=400) -> Answer:
    error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf123"}
    if subcode is not None:
        error["error_subcode"] = subcode
    if transient:
        error["is_transient"] = True
    return Answer(status, {"error": error})


def _facebook_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


class FacebookFake(FakePlatform):
    """The Graph API for one Page. Point the channel's API base URL at `graph_url` (it carries a version)."""

    kind = "facebook"

    def __init__(self, *, token: str = "facebook-page-token-0123456789", page_id: str = "1000000001", port: int = 0):
        super().__init__(token=token, port=port)
        self.page_id = page_id
        self.clear()

    @property
    def graph_url(self) -> str:
        return f"{self.url}/v19.0"

    def clear(self):
        self.posts: dict[str, dict] = {}
        self.deleted: list[str] = []

    def state(self):
        with self.lock:
            return {"requests": len(self.requests), "posts": list(self.posts.values()), "deleted": list(self.deleted)}

    def add_post(self, message: str, *, created_time: datetime | None = None) -> dict:
        """A post that is on the Page without this product's knowing (made by hand, or by a lost attempt)."""
        with self.lock:
            return self._create(message, created_time or now_utc())

    def add_comment(
        self, post_id: str, message: str, *, name: str = "A Resident", created_time: datetime | None = None
    ) -> dict:
        with self.lock:
            comment_id = f"{post_id.split('_')[-1]}_{self.next_id()}"
            comment = {
                "id": comment_id,
                "message": message,
                "created_time": _facebook_time(created_time or now_utc()),
                "from": {"id": f"9{self.next_id()}", "name": name},
                "permalink_url": f"https://www.facebook.com/{post_id}?comment_id={comment_id}",
            }
            self.posts[post_id]["comments"].append(comment)
            return comment

    def _create(self, message: str, created: datetime) -> dict:
        post_id = f"{self.page_id}_{self.next_id()}"
        post = {
            "id": post_id,
            "message": message,
            "created_time": _facebook_time(created),
            "permalink_url": f"https://www.facebook.com/{self.page_id}/posts/{post_id.split('_')[1]}",
            "comments": [],
            "shares": 0,
            "reactions": 0,
        }
        self.posts[post_id] = post
        return post

    def check_auth(self, request):
        token = request.param("access_token") or self.bearer(request)
        if not token:
            return _graph_error(
                "An active access token must be used to query information about the current user.", 2500
            )
        if token != self.token:
            return _graph_error("Invalid OAuth access token - Cannot parse access token", 190)
        return None

    def route(self, request):
        path = re.sub(r"^/v\d+\.\d+", "", request.path).strip("/")
        method = request.method
        if path == f"{self.page_id}/feed" and method == "POST":
            message = request.param("message")
            if not message:
                return _graph_error("(#100) The parameter message is required", 100)
            return Answer(200, {"id": self._create(message, now_utc())["id"]})
        if path == f"{self.page_id}/posts" and method == "GET":
            return self._list_posts(request)
        if match := re.fullmatch(r"(\d+_\d+)/comments", path):
            post = self.posts.get(match.group(1))
            if post is None:
                return self._missing(match.group(1))
            comments = sorted(
                post["comments"],
                key=lambda c: c["created_time"],
                reverse=request.param("order") == "reverse_chronological",
            )
            return Answer(200, {"data": comments, "paging": {}})
        if match := re.fullmatch(r"\d+_\d+", path):
            post = self.posts.get(path)
            if post is None:
                return self._missing(path)
            if method == "DELETE":
                del self.posts[path]
                self.deleted.append(path)
                return Answer(200, {"success": True})
            return Answer(200, self._fields(post, request.param("fields")))
        return _graph_error(f"Unknown path components: /{path}", 2500)

    @staticmethod
    def _missing(object_id: str) -> Answer:
        return _graph_error(
            f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be loaded "
            "due to missing permissions, or does not support this operation.",
            100,
            subcode=33,
            kind="GraphMethodException",
        )

    @staticmethod
    def _fields(post: dict, fields: str) -> dict:
        answer = {"id": post["id"]}
        for name in (f.split(".")[0].split("{")[0] for f in fields.split(",") if f):
            if name == "shares" and post["shares"]:
                answer["shares"] = {"count": post["shares"]}  # absent when nobody shared, as on Facebook
            elif name == "reactions":
                answer["reactions"] = {
                    "data": [],
                    "summary": {"total_count": post["reactions"], "viewer_reaction": "NONE"},
                }
            elif name == "comments":
                answer["comments"] = {
                    "data": [],
                    "summary": {"order": "ranked", "total_count": len(post["comments"]), "can_comment": True},
                }
            elif name in post and name not in {"shares"}:
                answer[name] = post[name]
        return answer

    def _list_posts(self, request):
        since = request.param("since")
        limit = int(request.param("limit") or 25)
        start = int(request.param("after") or 0)
        fields = request.param("fields") or "id,message,created_time"
        items = sorted(self.posts.values(), key=lambda p: (p["created_time"], p["id"]), reverse=True)
        if since:
            floor = _facebook_time(datetime.fromtimestamp(int(since), UTC))
            items = [p for p in items if p["created_time"] >= floor]
        page = items[start : start + limit]
        body = {
            "data": [{k: v for k, v in self._fields(p, fields).items()} for p in page],
            "paging": {"cursors": {"before": str(start), "after": str(start + len(page))}},
        }
        if start + limit < len(items):
            body["paging"]["next"] = f"{self.graph_url}/{self.page_id}/posts?after={start + limit}"
        return Answer(200, body)

    def error_answer(self, mode, request):
        usage = json.dumps(
            {
                self.page_id: [
                    {
                        "type": "pages",
                        "call_count": 100,
                        "total_cputime": 10,
                        "total_time": 10,
                        "estimated_time_to_regain_access": 2,
                    }
                ]
            }
        )
        return {
            "expired_token": _graph_error(
                "Error validating access token: Session has expired on Tuesday, 04-Mar-25 10:00:00 PST.",
                190,
                subcode=463,
            ),
            "rate_limited": Answer(
                400, _graph_error("(#32) Page request limit reached", 32).body, {"X-Business-Use-Case-Usage": usage}
            ),
            "duplicate": _graph_error("Duplicate status message", 506),
            "server_error": _graph_error(
                "An unexpected error has occurred. Please retry your request later.", 2, transient=True, status=500
            ),
            "invalid": _graph_error("(#100) Invalid parameter", 100),
        }[mode]


# X -------------------------------------------------------------------------------------------------------------


def _problem(status: int, title: str, detail: str, kind: str = "about:blank", **extra) -> dict:
    return {"title": title, "detail": detail, "type": kind, "status": status, **extra}


class XFake(FakePlatform):
    """The X API v2 for one account. Like X, it refuses a post whose text equals one it already has."""

    kind = "x"

    def __init__(
        self,
        *,
        token: str = "x-user-token-0123456789",
        user_id: str = "2244994945",
        username: str = "ExamplePD",
        port: int = 0,
    ):
        super().__init__(token=token, port=port)
        self.user_id, self.username = user_id, username
        self.clear()

    def clear(self):
        self.tweets: dict[str, dict] = {}
        self.deleted: list[str] = []

    def state(self):
        with self.lock:
            return {"requests": len(self.requests), "tweets": list(self.tweets.values()), "deleted": list(self.deleted)}

    def add_tweet(self, text: str, *, created_at: datetime | None = None) -> dict:
        with self.lock:
            return self._create(text, created_at or now_utc())

    def _create(self, text: str, created: datetime) -> dict:
        tweet_id = str(1_800_000_000_000_000_000 + int(self.next_id()))
        tweet = {
            "id": tweet_id,
            "text": text,
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "edit_history_tweet_ids": [tweet_id],
        }
        self.tweets[tweet_id] = tweet
        return tweet

    @staticmethod
    def _as_returned(text: str) -> str:
        # X answers with links rewritten to t.co and &, <, > escaped.
        text = re.sub(
            r"https?://\S+", lambda m: "https://t.co/" + hashlib.sha1(m.group().encode()).hexdigest()[:10], text
        )
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def check_auth(self, request):
        if self.bearer(request) != self.token:
            return Answer(401, _problem(401, "Unauthorized", "Unauthorized"))
        return None

    def route(self, request):
        if request.method == "POST" and request.path == "/2/tweets":
            body = request.json() if request.body else {}
            text = (body or {}).get("text", "")
            if not text:
                return Answer(
                    400,
                    {
                        "errors": [{"message": "$.text: is missing but it is required"}],
                        "title": "Invalid Request",
                        "detail": "One or more parameters to your request was invalid.",
                        "type": "https://api.twitter.com/2/problems/invalid-request",
                    },
                )
            if any(t["text"] == text for t in self.tweets.values()):
                return Answer(
                    403, _problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
                )
            tweet = self._create(text, now_utc())
            return Answer(
                201,
                {
                    "data": {
                        "id": tweet["id"],
                        "text": self._as_returned(text),
                        "edit_history_tweet_ids": tweet["edit_history_tweet_ids"],
                    }
                },
            )
        if match := re.fullmatch(r"/2/tweets/(\d+)", request.path):
            tweet_id = match.group(1)
            if request.method == "DELETE":
                if tweet_id not in self.tweets:
                    return Answer(
                        404,
                        _problem(
                            404,
                            "Not Found Error",
                            f"Could not find tweet with id: [{tweet_id}].",
                            "https://api.twitter.com/2/problems/resource-not-found",
                        ),
                    )
                del self.tweets[tweet_id]
                self.deleted.append(tweet_id)
                return Answer(200, {"data": {"deleted": True}})
        if match := re.fullmatch(r"/2/users/(\d+)/tweets", request.path):
            if match.group(1) != self.user_id:
                return Answer(
                    200,
                    {
                        "errors": [
                            {
                                "detail": f"Could not find user with id: [{match.group(1)}].",
                                "title": "Not Found Error",
                                "resource_type": "user",
                            }
                        ]
                    },
                )
            return self._timeline(request)
        return Answer(404, _problem(404, "Not Found", "Not Found"))

    def _timeline(self, request):
        start_time = request.param("start_time")
        limit = int(request.param("max_results") or 10)
        offset = int(request.param("pagination_token") or 0)
        items = sorted(self.tweets.values(), key=lambda t: int(t["id"]), reverse=True)
        if start_time:
            items = [t for t in items if t["created_at"] >= start_time.replace("Z", ".000Z")]
        page = items[offset : offset + limit]
        meta = {"result_count": len(page)}
        if page:
            meta.update(newest_id=page[0]["id"], oldest_id=page[-1]["id"])
        if offset + limit < len(items):
            meta["next_token"] = str(offset + limit)
        body = {"meta": meta}
        if page:
            body["data"] = [{**t, "text": self._as_returned(t["text"])} for t in page]
        return Answer(200, body)

    def error_answer(self, mode, request):
        reset = str(int(time.time()) + 60)
        return {
            "expired_token": Answer(401, _problem(401, "Unauthorized", "Unauthorized")),
            "rate_limited": Answer(
                429,
                _problem(429, "Too Many Requests", "Too Many Requests"),
                {"x-rate-limit-limit": "200", "x-rate-limit-remaining": "0", "x-rate-limit-reset": reset},
            ),
            "duplicate": Answer(
                403, _problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
            ),
            "server_error": Answer(503, _problem(503, "Service Unavailable", "Service Unavailable")),
            "invalid": Answer(
                400,
                {
                    "errors": [{"message": "Your Tweet text is too long."}],
                    "title": "Invalid Request",
                    "detail": "One or more parameters to your request was invalid.",
                    "type": "https://api.twitter.com/2/problems/invalid-request",
                },
            ),
        }[mode]


FAKES = {cls.kind: cls for cls in (WebhookFake, MastodonFake, FacebookFake, XFake)}


# Another process ---------------------------------------------------------------------------------------------


class RemoteFake:
    """The controls of a fake running anywhere, by URL."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")

    def _call(self, method: str, action: str, body: dict | None = None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}{CONTROL}{action}", data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def state(self) -> dict:
        return self._call("GET", "state")

    def fail_next(self, mode: str, *, times: int = 1, path: str | None = None, **options):
        self._call("POST", "fail", {"mode": mode, "times": times, "path": path, **options})
        return self

    def reset(self):
        self._call("POST", "reset", {})


@contextmanager
def fake_in_subprocess(kind: str, **options):
    """Run a fake in its own process (options as the constructor takes them); yields a RemoteFake."""
    args = [sys.executable, "-m", "tests.publishing.fakes", kind]
    for name, value in options.items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline().strip()
        if not line.startswith("URL "):
            raise RuntimeError(f"the {kind} fake did not start: {line!r}")
        yield RemoteFake(line[4:])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run a fake platform until interrupted.")
    parser.add_argument("kind", choices=sorted(FAKES))
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", help="access token it accepts (webhook: the signing secret)")
    parser.add_argument("--secret", help="webhook signing secret")
    parser.add_argument("--page-id")
    parser.add_argument("--user-id")
    parser.add_argument("--media-processing-polls", type=int)
    args = parser.parse_args(argv)
    options = {"port": args.port}
    secret = args.secret or args.token
    if args.kind == "webhook" and secret:
        options["secret"] = secret
    elif args.token:
        options["token"] = args.token
    if args.page_id and args.kind == "facebook":
        options["page_id"] = args.page_id
    if args.user_id and args.kind == "x":
        options["user_id"] = args.user_id
    if args.media_processing_polls is not None and args.kind == "mastodon":
        options["media_processing_polls"] = args.media_processing_polls
    fake = FAKES[args.kind](**options).start()
    base = fake.endpoint if args.kind == "webhook" else fake.url
    print(f"URL {fake.url}", flush=True)
    print(f"ENDPOINT {base}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
