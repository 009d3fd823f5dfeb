"""What every local platform fake shares: the HTTP server, the request log, failure injection and the control
endpoints (see tests/publishing/fakes.py for how the fakes are used)."""

import email.parser
import email.policy
import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
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


JSON = "application/json; charset=utf-8"


@dataclass
class Answer:
    """What a fake answers: a body sent as JSON, under `Content-Type` from `headers` when it names one (X sends its
    problems as application/problem+json) and application/json otherwise."""

    status: int
    body: object = None
    headers: dict = field(default_factory=dict)

    def data(self) -> bytes:
        return b"" if self.body is None else json.dumps(self.body).encode()

    def sent_headers(self) -> dict:
        """The headers as the client receives them (Content-Length aside)."""
        headers = dict(self.headers)
        if self.body is not None and not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = JSON
        return headers

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.sent_headers().items() if k.lower() == "content-type"), "")


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
        data = answer.data()
        self.send_response(answer.status)
        for name, value in answer.sent_headers().items():
            self.send_header(name, value)
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
        # Every request with the answer it got (control endpoints and dropped connections aside), so tests can
        # check both against the platform's published API description.
        self.exchanges: list[tuple[Recorded, Answer]] = []
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
            self.exchanges.clear()
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
                answer = self.error_answer(mode, request)
                self.exchanges.append((request, answer))
                return answer
        with self.lock:
            answer = self.check_auth(request) or self.route(request)
            if answer is not DROP:
                self.exchanges.append((request, answer))
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
