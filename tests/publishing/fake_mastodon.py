"""The local Mastodon fake (see tests/publishing/fakes.py)."""

import html
import re
from datetime import UTC, datetime, timedelta

from .fake_base import MODES, Answer, FakePlatform, now_utc

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
