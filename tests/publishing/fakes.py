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
import hashlib
import hmac
import json
import re
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

from .fake_base import CONTROL, MODES, ROOT, Answer, FakePlatform, Recorded, now_utc  # noqa: F401
from .fake_facebook import FacebookFake
from .fake_mastodon import MastodonFake
from .fake_x import XFake

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
