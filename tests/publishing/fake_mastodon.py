"""The local Mastodon fake (see tests/publishing/fakes.py).

Its answers carry every field the Mastodon entities (Status, Account, MediaAttachment, Notification, StatusEdit,
Report, Relationship) require, so tests/publishing/test_vendor_mastodon.py can check them against the published API
description. Status ids are made the way Mastodon makes them (milliseconds since 1970 shifted left 16 bits, plus a
sequence), so a status created with an earlier time sorts, and pages, as older.
"""

import copy
import html
import itertools
import re
from datetime import UTC, datetime, timedelta

from .fake_base import MODES, Answer, FakePlatform, now_utc

# Mastodon ------------------------------------------------------------------------------------------------------

NOT_FOUND = Answer(404, {"error": "Record not found"})


def _mastodon_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _html(text: str) -> str:
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br />')}</p>" for p in text.split("\n\n"))


def _media_type(content_type: str) -> str:
    if content_type == "image/gif":
        return "gifv"  # Mastodon turns GIFs into silent looping video
    return {"image": "image", "video": "video", "audio": "audio"}.get(content_type.split("/")[0], "unknown")


class MastodonFake(FakePlatform):
    """A Mastodon instance with the department's account (`@police`, `self.account`), at `url` (the channel's API
    base URL). Other accounts appear through `add_mention`; statuses a person makes in Mastodon itself (not through
    socialgov) through `post_directly`, `edit_status` and `boost`."""

    kind = "mastodon"
    modes = MODES - {"duplicate"}  # Mastodon has no duplicate answer: the Idempotency-Key prevents duplicates

    def __init__(
        self,
        *,
        token: str = "mastodon-token-0123456789",
        port: int = 0,
        media_processing_polls: int = 0,
        video_processing_polls: int = 1,
    ):
        super().__init__(token=token, port=port)
        self.media_processing_polls = media_processing_polls  # GETs answered 206 before an upload is ready
        self.video_processing_polls = video_processing_polls  # the same for video, which is never ready at once
        self._sequence = itertools.count(1)
        self.clear()

    def clear(self):
        self.accounts: dict[str, dict] = {}
        self.statuses: dict[str, dict] = {}  # the department's account's own statuses
        self.others: dict[str, dict] = {}  # other accounts' statuses (mentions of the account)
        self.media: dict[str, dict] = {}
        self.notifications: list[dict] = []
        self.idempotency: dict[str, str] = {}
        self.idempotent_repeats: dict[str, int] = {}
        self.deleted: list[str] = []
        self.reports: list[dict] = []
        self.blocks: list[str] = []  # account ids the department's account blocks
        self.account = self._make_account("police", "police", "Example Police Department", local=True)

    def start(self):
        super().start()
        with self.lock:  # the department's account lives on this instance, whose address is known only now
            for key in ("url", "uri", "avatar", "avatar_static", "header", "header_static"):
                self.account[key] = self.account[key].replace("https://example.social", self.url)
        return self

    def state(self):
        with self.lock:
            return {
                "requests": len(self.requests),
                "statuses": [{k: v for k, v in s.items() if k != "_revisions"} for s in self.statuses.values()],
                "media": list(self.media.values()),
                "repeats": dict(self.idempotent_repeats),
                "deleted": list(self.deleted),
                "reports": copy.deepcopy(self.reports),
                "blocks": list(self.blocks),
            }

    # Entities --------------------------------------------------------------------------------------------------

    def _status_id(self, created: datetime) -> str:
        return str((int(created.timestamp() * 1000) << 16) | (next(self._sequence) & 0xFFFF))

    def _make_account(self, username: str, acct: str, display_name: str, *, local: bool = False) -> dict:
        home = self.url if local and self._server else f"https://{acct.split('@')[1]}" if "@" in acct else ""
        home = home or "https://example.social"
        account = {
            "id": self.next_id(),
            "username": username,
            "acct": acct,
            "display_name": display_name,
            "locked": False,
            "bot": False,
            "group": False,
            "indexable": True,
            "discoverable": True,
            "created_at": "2023-01-10T00:00:00.000Z",
            "note": "",
            "url": f"{home}/@{username}",
            "uri": f"{home}/users/{username}",
            "avatar": f"{home}/avatars/original/missing.png",
            "avatar_static": f"{home}/avatars/original/missing.png",
            "header": f"{home}/headers/original/missing.png",
            "header_static": f"{home}/headers/original/missing.png",
            "followers_count": 0,
            "following_count": 0,
            "statuses_count": 0,
            "last_status_at": None,
            "emojis": [],
            "fields": [],
        }
        self.accounts[account["id"]] = account
        return account

    def _status(
        self,
        account: dict,
        text: str,
        *,
        created: datetime,
        media_ids=(),
        visibility: str = "public",
        in_reply_to_id: str | None = None,
        application: str | None = None,
        spoiler_text: str = "",
        content: str | None = None,
        url_base: str | None = None,
    ) -> dict:
        status_id = self._status_id(created)
        base = url_base or account["url"]
        status = {
            "id": status_id,
            "created_at": _mastodon_time(created),
            "edited_at": None,
            "in_reply_to_id": in_reply_to_id,
            "in_reply_to_account_id": None,
            "sensitive": False,
            "spoiler_text": spoiler_text,
            "visibility": visibility,
            "language": "en",
            "uri": f"{account['uri']}/statuses/{status_id}",
            "url": f"{base}/{status_id}",
            "replies_count": 0,
            "reblogs_count": 0,
            "favourites_count": 0,
            "content": _html(text) if content is None else content,
            "reblog": None,
            "application": {"name": application, "website": None} if application else None,
            "account": account,
            "media_attachments": [self._public(self.media[m]) for m in media_ids],
            "mentions": [],
            "tags": [],
            "emojis": [],
            "card": None,
            "poll": None,
            "_text": text,
            "_idempotency_key": "",
        }
        status["_revisions"] = [self._revision(status, created)]
        account["statuses_count"] += 1
        account["last_status_at"] = created.date().isoformat()
        return status

    def _revision(self, status: dict, at: datetime) -> dict:
        return {
            "content": status["content"],
            "spoiler_text": status["spoiler_text"],
            "sensitive": status["sensitive"],
            "created_at": _mastodon_time(at),
            "poll": None,
            "account": status["account"],
            "media_attachments": copy.deepcopy(status["media_attachments"]),
            "emojis": [],
        }

    def _new_media(self, kind: str, description: str, *, filename="", content_type="", size=0, polls=0) -> dict:
        media = {
            "id": self.next_id(),
            "type": kind,
            "url": None,
            "preview_url": None,
            "remote_url": None,
            "meta": None,
            "description": description or None,
            "blurhash": None,
            "_filename": filename,
            "_content_type": content_type,
            "_size": size,
            "_polls_left": polls,
        }
        self.media[media["id"]] = media
        if not polls:
            self._processed(media)
        return media

    def _processed(self, media: dict):
        extension = {"image": "png", "gifv": "mp4", "video": "mp4", "audio": "mp3"}.get(media["type"], "bin")
        media["url"] = f"{self.url}/system/media_attachments/{media['id']}/original.{extension}"
        media["preview_url"] = f"{self.url}/system/media_attachments/{media['id']}/small.png"

    @classmethod
    def _public(cls, item):
        """An entity as the API shows it: a copy without the fake's own `_` fields, at any depth."""
        if isinstance(item, dict):
            return {k: cls._public(v) for k, v in item.items() if not k.startswith("_")}
        if isinstance(item, list):
            return [cls._public(v) for v in item]
        return copy.deepcopy(item)

    # What happens on the instance without socialgov -------------------------------------------------------------

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
            moment = created_at or now_utc()
            username = acct.split("@")[0]
            account = next((a for a in self.accounts.values() if a["acct"] == acct), None)
            if account is None:
                account = self._make_account(username, acct, display_name)
            content = (
                f'<p><span class="h-card"><a href="{self.url}/@police">@<span>police</span></a>'
                f"</span> {html.escape(text)}</p>"
            )
            status = self._status(
                account,
                f"@police {text}",
                created=moment,
                in_reply_to_id=in_reply_to_id,
                content=content,
                url_base=f"https://example.social/@{username}",
            )
            status["mentions"] = [
                {
                    "id": self.account["id"],
                    "username": "police",
                    "acct": "police",
                    "url": self.account["url"],
                }
            ]
            if in_reply_to_id:
                status["in_reply_to_account_id"] = self.account["id"]
            self.others[status["id"]] = status
            notification_id = self.next_id()
            notification = {
                "id": notification_id,
                "type": "mention",
                "group_key": f"ungrouped-{notification_id}",
                "created_at": _mastodon_time(moment),
                "account": account,
                "status": status,
            }
            self.notifications.append(notification)
            return notification

    def post_directly(
        self,
        text: str,
        *,
        media: tuple[dict, ...] = (),
        created_at: datetime | None = None,
        application: str = "Mastodon for iOS",
        spoiler_text: str = "",
        visibility: str = "public",
        in_reply_to_id: str | None = None,
    ) -> dict:
        """A status someone wrote on the department's account in Mastodon itself. `media`: dicts with `type`
        and `description`."""
        with self.lock:
            ids = [self._new_media(m.get("type", "image"), m.get("description", ""))["id"] for m in media]
            status = self._status(
                self.account,
                text,
                created=created_at or now_utc(),
                media_ids=ids,
                visibility=visibility,
                in_reply_to_id=in_reply_to_id,
                application=application,
                spoiler_text=spoiler_text,
            )
            self.statuses[status["id"]] = status
            return status

    def boost(self, status: dict, *, created_at: datetime | None = None) -> dict:
        """The department's account boosts another account's status."""
        with self.lock:
            boosted = self._status(self.account, "", created=created_at or now_utc(), content="")
            boosted["reblog"] = self._public(status)
            status["reblogs_count"] += 1
            self.statuses[boosted["id"]] = boosted
            return boosted

    def edit_status(
        self,
        status_id: str,
        text: str,
        *,
        spoiler_text: str | None = None,
        media_ids: list[str] | None = None,
        at: datetime | None = None,
    ) -> dict:
        """Edit a status as Mastodon does: the new wording becomes the status, the history keeps every wording."""
        with self.lock:
            status = self.statuses[status_id]
            moment = at or now_utc()
            status["_text"] = text
            status["content"] = _html(text)
            if spoiler_text is not None:
                status["spoiler_text"] = spoiler_text
            if media_ids is not None:
                status["media_attachments"] = [self._public(self.media[m]) for m in media_ids]
            status["edited_at"] = _mastodon_time(moment)
            status["_revisions"].append(self._revision(status, moment))
            return status

    # HTTP ------------------------------------------------------------------------------------------------------

    def check_auth(self, request):
        if self.bearer(request) != self.token:
            return Answer(401, {"error": "The access token is invalid"})
        return None

    def route(self, request):
        path, method = request.path, request.method
        if method == "POST" and path == "/api/v2/media":
            return self._upload(request)
        if method == "GET" and (match := re.fullmatch(r"/api/v1/media/(\w+)", path)):
            return self._media_state(match.group(1))
        if method == "POST" and path == "/api/v1/statuses":
            return self._post_status(request)
        if match := re.fullmatch(r"/api/v1/statuses/(\w+)", path):
            return self._one_status(request, match.group(1))
        if method == "GET" and (match := re.fullmatch(r"/api/v1/statuses/(\w+)/history", path)):
            status = self.statuses.get(match.group(1)) or self.others.get(match.group(1))
            if status is None:
                return NOT_FOUND
            return Answer(200, copy.deepcopy(status["_revisions"]))
        if method == "GET" and path == "/api/v1/notifications":
            return self._notifications(request)
        if method == "GET" and path == "/api/v1/accounts/verify_credentials":
            return Answer(200, self._credential_account())
        if method == "GET" and path == "/api/v1/accounts/lookup":
            acct = request.param("acct").lstrip("@")
            found = next((a for a in self.accounts.values() if acct in (a["acct"], f"{a['acct']}@{self._host}")), None)
            return Answer(200, copy.deepcopy(found)) if found else NOT_FOUND
        if method == "GET" and (match := re.fullmatch(r"/api/v1/accounts/(\w+)/statuses", path)):
            return self._account_statuses(request, match.group(1))
        if method == "POST" and (match := re.fullmatch(r"/api/v1/accounts/(\w+)/block", path)):
            return self._block(match.group(1))
        if method == "POST" and path == "/api/v1/reports":
            return self._report(request)
        return Answer(404, {"error": "Not found"})

    @property
    def _host(self) -> str:
        return self.url.split("://", 1)[1]

    @staticmethod
    def _fields(request) -> dict:
        """The body as Mastodon reads it: JSON, or a form whose `name[]` fields are lists."""
        if request.headers.get("content-type", "").startswith("application/json"):
            body = request.json()
            return body if isinstance(body, dict) else {}
        fields = {}
        for name, values in request.form().items():
            if name.endswith("[]"):
                fields[name[:-2]] = values
            else:
                fields[name] = values[0]
        return fields

    def _media_state(self, media_id: str):
        media = self.media.get(media_id)
        if media is None:
            return NOT_FOUND
        if media["_polls_left"] > 0:
            media["_polls_left"] -= 1
            if media["_polls_left"] == 0:
                self._processed(media)
            return Answer(206, self._public({**media, "url": None}))
        return Answer(200, self._public(media))

    def _upload(self, request):
        parts = request.multipart()
        if "file" not in parts:
            return Answer(422, {"error": "Validation failed: File can't be blank"})
        filename, content_type, data = parts["file"]
        description = parts.get("description", (None, None, b""))[2].decode()
        kind = _media_type(content_type or "")
        polls = self.video_processing_polls if kind in ("video", "gifv", "audio") else 0
        polls = max(polls, self.media_processing_polls)
        media = self._new_media(
            kind, description, filename=filename, content_type=content_type, size=len(data), polls=polls
        )
        return Answer(202 if polls else 200, self._public(media))

    def _checked_media(self, media_ids):
        for media_id in media_ids:
            media = self.media.get(str(media_id))
            if media is None:
                return Answer(422, {"error": "Validation failed: Media is invalid"})
            if media["url"] is None:
                return Answer(
                    422, {"error": "Cannot attach files that have not finished processing. Try again in a moment!"}
                )
        return None

    def _post_status(self, request):
        key = request.headers.get("idempotency-key", "")
        if key and key in self.idempotency and self.idempotency[key] in self.statuses:
            self.idempotent_repeats[key] = self.idempotent_repeats.get(key, 0) + 1
            return Answer(200, self._public(self.statuses[self.idempotency[key]]))
        fields = self._fields(request)
        text, media_ids = str(fields.get("status", "")), [str(m) for m in fields.get("media_ids") or []]
        visibility = fields.get("visibility") or "public"
        if not text.strip() and not media_ids:
            return Answer(422, {"error": "Validation failed: Text can't be blank"})
        if len(text) > 500:
            return Answer(422, {"error": "Validation failed: Text character limit of 500 exceeded"})
        if refused := self._checked_media(media_ids):
            return refused
        status = self._status(
            self.account,
            text,
            created=now_utc(),
            media_ids=media_ids,
            visibility=visibility,
            application="socialgov",
            url_base=f"{self.url}/@police",
        )
        status["uri"] = f"{self.url}/users/police/statuses/{status['id']}"
        status["_idempotency_key"] = key
        self.statuses[status["id"]] = status
        if key:
            self.idempotency[key] = status["id"]
        return Answer(200, self._public(status))

    def _one_status(self, request, status_id: str):
        own = self.statuses.get(status_id)
        status = own or self.others.get(status_id)
        if status is None:
            return NOT_FOUND
        if request.method == "GET":
            return Answer(200, self._public(status))
        if own is None:
            # Mastodon looks the status up among the account's own (Status.where(account: current_account)), so
            # another account's status is not found rather than forbidden.
            return NOT_FOUND
        if request.method == "DELETE":
            del self.statuses[status_id]
            self.deleted.append(status_id)
            self.account["statuses_count"] -= 1
            # Mastodon answers with the deleted status and its source text, for redrafting.
            return Answer(200, {**self._public(status), "text": status["_text"]})
        if request.method == "PUT":
            fields = self._fields(request)
            text = str(fields.get("status", status["_text"]))
            if len(text) > 500:
                return Answer(422, {"error": "Validation failed: Text character limit of 500 exceeded"})
            media_ids = fields.get("media_ids")
            if media_ids is not None:
                media_ids = [str(m) for m in media_ids]
                if refused := self._checked_media(media_ids):
                    return refused
            spoiler = fields.get("spoiler_text")
            self.edit_status(
                status_id, text, spoiler_text=None if spoiler is None else str(spoiler), media_ids=media_ids
            )
            return Answer(200, self._public(status))
        return Answer(404, {"error": "Not found"})

    def _credential_account(self) -> dict:
        return {
            **copy.deepcopy(self.account),
            "source": {
                "privacy": "public",
                "sensitive": False,
                "language": "en",
                "note": "",
                "fields": [],
                "follow_requests_count": 0,
                "indexable": True,
            },
            "role": {"id": "-99", "name": "", "color": "", "permissions": "0", "highlighted": False},
        }

    def _page(self, request, items: list[dict], *, default: int, most: int) -> list[dict]:
        limit = min(int(request.query.get("limit", [str(default)])[0]), most)
        max_id = request.query.get("max_id", [None])[0]
        items = sorted(items, key=lambda item: int(item["id"]), reverse=True)
        if max_id:
            items = [item for item in items if int(item["id"]) < int(max_id)]
        return items[:limit]

    def _account_statuses(self, request, account_id: str):
        if account_id not in self.accounts:
            return NOT_FOUND
        mine = account_id == self.account["id"]
        items = (
            list(self.statuses.values())
            if mine
            else [s for s in self.others.values() if s["account"]["id"] == account_id]
        )
        if request.query.get("exclude_reblogs", ["false"])[0] == "true":
            items = [s for s in items if s["reblog"] is None]
        if not mine:
            items = [s for s in items if s["visibility"] in ("public", "unlisted")]
        return Answer(200, [self._public(s) for s in self._page(request, items, default=20, most=40)])

    def _notifications(self, request):
        types = request.query.get("types[]", [])
        items = [n for n in self.notifications if not types or n["type"] in types]
        return Answer(200, [self._public(n) for n in self._page(request, items, default=40, most=80)])

    def _block(self, account_id: str):
        if account_id not in self.accounts:
            return NOT_FOUND
        if account_id == self.account["id"]:
            return Answer(422, {"error": "Validation failed: You cannot block yourself"})
        if account_id not in self.blocks:
            self.blocks.append(account_id)
        return Answer(
            200,
            {
                "id": account_id,
                "following": False,
                "showing_reblogs": False,
                "notifying": False,
                "followed_by": False,
                "blocking": True,
                "blocked_by": False,
                "muting": False,
                "muting_notifications": False,
                "requested": False,
                "requested_by": False,
                "domain_blocking": False,
                "endorsed": False,
                "note": "",
                "languages": None,
            },
        )

    def _report(self, request):
        fields = self._fields(request)
        account = self.accounts.get(str(fields.get("account_id", "")))
        if account is None:
            return NOT_FOUND
        category = fields.get("category") or "other"
        if category not in ("spam", "legal", "violation", "other"):
            return Answer(422, {"error": f"Validation failed: Category '{category}' is not a valid category"})
        comment = str(fields.get("comment") or "")
        if len(comment) > 1000:
            return Answer(422, {"error": "Validation failed: Comment is too long (maximum is 1000 characters)"})
        status_ids = [str(s) for s in fields.get("status_ids") or []]
        for status_id in status_ids:
            status = self.others.get(status_id) or self.statuses.get(status_id)
            if status is None or status["account"]["id"] != account["id"]:
                return NOT_FOUND
        forward = fields.get("forward") in (True, "true", "1")
        report = {
            "id": self.next_id(),
            "action_taken": False,
            "action_taken_at": None,
            "category": category,
            "comment": comment,
            "forwarded": bool(forward and "@" in account["acct"]),
            "created_at": _mastodon_time(now_utc()),
            "status_ids": status_ids or None,
            "rule_ids": None,
            "target_account": copy.deepcopy(account),
        }
        self.reports.append(report)
        return Answer(200, copy.deepcopy(report))

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
