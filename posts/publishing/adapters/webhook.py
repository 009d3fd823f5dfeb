"""The city's own systems: each published post is delivered as one signed JSON request.

Receivers implement this protocol.

Delivery
    POST <API base URL>
    Content-Type: application/json
    Idempotency-Key: <key>              one key per post version and channel; the same on every retry
    X-Socialgov-Timestamp: <unix seconds>
    X-Socialgov-Signature: sha256=<hex>  HMAC-SHA256, keyed with the channel's shared secret, of the bytes
                                         "<timestamp>.<raw request body>"

    {"post_id": 12, "version": 3, "title": "...", "body": "...",
     "translation": {"language": "es", "body": "..."} or null,
     "canonical_url": "https://.../news/12-.../",
     "media": [{"name": "photo.png", "content_type": "image/png", "size": 1234, "sha256": "<hex>",
                "alt_text": "..."}],
     "idempotency_key": "<key>", "published_at": "2026-01-31T17:04:05Z"}

    Media files are identified, not sent: the canonical page shows them.
    `published_at` is the time of this delivery attempt; a retry carries a later one.

Answers
    2xx with JSON {"id": "<your id for the item>", "url": "<where it is shown, or empty>"}.
    A request whose Idempotency-Key you have already answered successfully must get the original answer again
    (same id and url) and must not create a second item, whatever else differs: retries happen whenever an
    answer is lost. Keep keys for at least 7 days.
    401 or 403: signature or timestamp refused (socialgov stops and asks for the secret to be checked).
    429 with Retry-After (seconds): try later.
    409: an item for this post already exists in a way you cannot match to the key (reported as a duplicate).
    Any other 4xx with JSON {"error": "<message>"}: refused; the message is shown on the post.
    5xx, or no answer within 30 seconds: retried with backoff.

Verifying
    Recompute the HMAC over "<timestamp>.<raw body>" exactly as received (before parsing the JSON), compare in
    constant time, and refuse timestamps more than 300 seconds from your clock, which stops replays.

Removal
    DELETE <API base URL>/<id>, signed the same way over "<timestamp>." (the body is empty).
    Answer 2xx when removed; 404 or 410 when it is already gone (both count as removed).

This module also holds the HTTP plumbing the platform adapters share: a timeout on every call, transport failures
turned into transient errors, and the channel's secrets kept out of every message.
"""

import hashlib
import hmac
import html
import json
import time
import unicodedata
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import requests
from django.core.exceptions import ImproperlyConfigured

from ..base import AdapterError, Capability, Metrics, PostVersion, PublishResult, RemoteComment, register
from ..credentials import CredentialField, CredentialsUnreadable, channel_credentials, redact

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAX_RETRY_AFTER = 24 * 3600.0


def retry_after_seconds(headers, *, now: float | None = None) -> float | None:
    """How long a platform asked us to wait: Retry-After (seconds or an HTTP date), X's x-rate-limit-reset
    (unix seconds) or Mastodon's X-RateLimit-Reset (ISO 8601)."""
    now = time.time() if now is None else now
    candidates = [headers.get("Retry-After"), headers.get("x-rate-limit-reset"), headers.get("X-RateLimit-Reset")]
    for index, value in enumerate(candidates):
        if not value:
            continue
        value = value.strip()
        try:
            number = float(value)
        except ValueError:
            number = None
        try:
            if number is not None:
                wait = number if index == 0 else number - now
            elif index == 0:
                wait = parsedate_to_datetime(value).timestamp() - now
            else:
                wait = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() - now
        except (TypeError, ValueError, OverflowError):
            continue
        return min(max(wait, 1.0), MAX_RETRY_AFTER)
    return None


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(markup: str) -> str:
    """Text of a platform's HTML (Mastodon statuses): paragraphs and line breaks kept, tags dropped."""
    extractor = _TextExtractor()
    extractor.feed(markup or "")
    extractor.close()
    return "".join(extractor.parts).strip()


def comparable(text: str) -> str:
    """Text as platforms give it back: entities unescaped, NFC, line ends and surrounding spaces evened out."""
    text = unicodedata.normalize("NFC", html.unescape(text or "")).replace("\r\n", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def parse_time(value) -> datetime | None:
    if not value:
        return None
    try:
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value, UTC)
        # Facebook writes +0000, which fromisoformat reads in Python 3.11 too.
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


class HttpAdapter:
    """What every adapter that calls a platform over HTTP shares."""

    platform = "The platform"
    capabilities: frozenset[str] = frozenset()
    credential_fields: tuple[CredentialField, ...] = ()
    default_base_url = ""
    # (connect, read) seconds: no call waits longer than this for a platform.
    timeout: tuple[float, float] = (5.0, 30.0)
    upload_timeout: tuple[float, float] = (5.0, 120.0)

    def __init__(self, channel):
        self.channel = channel
        self.session = requests.Session()
        self._credentials = None

    def __repr__(self):
        return f"<{type(self).__name__} channel={self.channel.slug!r}>"

    # Credentials ---------------------------------------------------------------------------------------------

    @property
    def credentials(self) -> dict:
        if self._credentials is None:
            try:
                credentials = channel_credentials(self.channel)
            except (CredentialsUnreadable, ImproperlyConfigured) as exc:
                raise AdapterError(str(exc), permanent=True, code="auth") from None
            missing = [
                f.label for f in self.credential_fields if getattr(f, "required", True) and not credentials.get(f.key)
            ]
            if missing:
                raise AdapterError(
                    f"{self.platform}: no {', '.join(missing)} is set for the channel {self.channel.name}; "
                    "enter it on the channel's credentials page.",
                    permanent=True,
                    code="auth",
                )
            self._credentials = credentials
        return self._credentials

    def secret(self, key: str) -> str:
        return self.credentials[key]

    def _secrets(self) -> list[str]:
        return [v for v in (self._credentials or {}).values() if isinstance(v, str)]

    def error(self, message: str, **kwargs) -> AdapterError:
        return AdapterError(redact(message, self._secrets()), **kwargs)

    # Requests ------------------------------------------------------------------------------------------------

    def base_url(self) -> str:
        base = (self.channel.api_base_url or self.default_base_url).rstrip("/")
        if not base:
            raise self.error(f"{self.platform}: set the channel's API base URL.", permanent=True, code="invalid")
        parts = urlsplit(base)
        # Tokens travel in headers: never over plain HTTP, except to this machine (local receivers, tests).
        if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
            raise self.error(
                f"{self.platform}: the API base URL must start with https://.", permanent=True, code="invalid"
            )
        return base

    def send(self, method: str, url: str, *, timeout=None, **kwargs) -> requests.Response:
        host = urlsplit(url).hostname or "the platform"
        try:
            # Redirects are refused: they would turn a POST into a GET or carry the token to another host.
            return self.session.request(method, url, timeout=timeout or self.timeout, allow_redirects=False, **kwargs)
        except requests.Timeout:
            failure = (f"{self.platform} ({host}) did not answer in time.", False, "network")
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema):
            failure = (f"{self.platform}: the API base URL is not a valid URL.", True, "invalid")
        except requests.RequestException as exc:
            # The exception's own text can carry the full URL, query and all; name only its kind.
            failure = (f"Could not reach {self.platform} ({host}): {type(exc).__name__}.", False, "network")
        # Raised outside the handler so the requests exception is not kept as __context__ either.
        message, permanent, code = failure
        raise self.error(message, permanent=permanent, code=code)

    @staticmethod
    def succeeded(response: requests.Response) -> bool:
        return 200 <= response.status_code < 300  # not `response.ok`, which takes an unfollowed redirect as success

    @staticmethod
    def json_of(response: requests.Response):
        try:
            return response.json()
        except ValueError:
            return None

    def refusal(self, code: str, said: str, *, retry_after: float | None = None) -> AdapterError:
        """The AdapterError for one of the codes the publishing core knows, worded for the person who reads it."""
        platform, name = self.platform, self.channel.name
        permanent, message = {
            "auth": (
                True,
                f"{platform} refused the channel's credentials ({said}). Enter new credentials for "
                f"{name} on its credentials page.",
            ),
            "rate_limited": (False, f"{platform} is rate limiting the channel ({said})."),
            "duplicate": (True, f"{platform} refused the post as a duplicate ({said})."),
            "server": (False, f"{platform} failed ({said})."),
        }.get(code, (True, f"{platform} refused the request ({said})."))
        return self.error(
            message,
            permanent=permanent,
            code=code if code in {"auth", "rate_limited", "duplicate", "server"} else "invalid",
            retry_after=retry_after,
        )

    def error_for(self, response: requests.Response, detail: str = "", *, duplicate: bool = False) -> AdapterError:
        """The usual meaning of an HTTP answer; each platform passes its own message as `detail`."""
        status = response.status_code
        detail = " ".join(str(detail or response.reason or "").split())[:500]
        said = f"HTTP {status}: {detail}" if detail else f"HTTP {status}"
        if duplicate:
            return self.refusal("duplicate", said)
        if status in (401, 403):
            return self.refusal("auth", said)
        if status == 429:
            return self.refusal("rate_limited", said, retry_after=retry_after_seconds(response.headers))
        if status >= 500 or status == 408:
            return self.refusal("server", said, retry_after=retry_after_seconds(response.headers))
        if 300 <= status < 400:
            return self.refusal("invalid", f"{said}; a redirect: check the API base URL")
        return self.refusal("invalid", said)

    # Content -------------------------------------------------------------------------------------------------

    @staticmethod
    def text_of(version: PostVersion) -> str:
        """What a platform shows: the body, then its translation. The title is internal and never published."""
        text = version.body.strip()
        if version.translation_body.strip():
            text = f"{text}\n\n{version.translation_body.strip()}"
        return text

    def file_bytes(self, item) -> bytes:
        try:
            return item.read()
        except OSError:
            raise self.error(
                f"The attachment {item.name} is missing from storage.", permanent=True, code="invalid"
            ) from None

    # Defaults for what a platform cannot do; the publishing core asks `capabilities` before calling these.

    def find(self, idempotency_key: str) -> PublishResult | None:
        return None

    def fetch_comments(self, since) -> list[RemoteComment]:
        return []

    def fetch_metrics(self, external_id: str) -> Metrics:
        return Metrics()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


@register("webhook")
class WebhookAdapter(HttpAdapter):
    platform = "The webhook receiver"
    capabilities = frozenset({Capability.PUBLISH, Capability.IDEMPOTENT, Capability.REMOVE})
    credential_fields = (
        CredentialField(
            "secret",
            "Signing secret",
            "Shared with the receiving system, which checks the X-Socialgov-Signature of each request. "
            "At least 32 characters; make one with "
            'python -c "import secrets; print(secrets.token_hex(32))"',
            min_length=32,
        ),
    )

    def _signed_headers(self, body: bytes) -> dict:
        timestamp = str(int(time.time()))
        signature = sign(self.secret("secret"), timestamp, body)
        return {"X-Socialgov-Timestamp": timestamp, "X-Socialgov-Signature": signature}

    def payload(self, version: PostVersion) -> dict:
        media = []
        for item in version.media:
            data = self.file_bytes(item)
            media.append(
                {
                    "name": item.name,
                    "content_type": item.content_type,
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "alt_text": item.alt_text,
                }
            )
        translation = None
        if version.translation_body:
            translation = {"language": version.translation_language, "body": version.translation_body}
        return {
            "post_id": version.post_id,
            "version": version.version,
            "title": version.title,
            "body": version.body,
            "translation": translation,
            "canonical_url": version.canonical_url,
            "media": media,
            "idempotency_key": version.idempotency_key,
            "published_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    def publish(self, version: PostVersion) -> PublishResult:
        url = self.base_url()
        body = json.dumps(self.payload(version), ensure_ascii=False, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": version.idempotency_key,
            **self._signed_headers(body),
        }
        response = self.send("POST", url, data=body, headers=headers)
        answer = self.json_of(response)
        if not self.succeeded(response):
            message = answer.get("error", "") if isinstance(answer, dict) else ""
            raise self.error_for(response, str(message), duplicate=response.status_code == 409)
        if not isinstance(answer, dict) or not str(answer.get("id", "")).strip():
            raise self.error(
                f"{self.platform} accepted the post but answered without an id (HTTP {response.status_code}).",
                permanent=True,
                code="invalid",
            )
        return PublishResult(external_id=str(answer["id"]), url=str(answer.get("url") or ""))

    def remove(self, external_id: str) -> None:
        url = f"{self.base_url()}/{quote(external_id, safe='')}"
        response = self.send("DELETE", url, headers=self._signed_headers(b""))
        if self.succeeded(response) or response.status_code in (404, 410):
            return
        answer = self.json_of(response)
        raise self.error_for(response, str(answer.get("error", "")) if isinstance(answer, dict) else "")
