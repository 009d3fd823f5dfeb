"""The local X API v2 fake (see tests/publishing/fakes.py).

It answers as X's OpenAPI description says (tests/publishing/vendor/x-openapi.json; tests/publishing/
test_vendor_x.py holds it to that): posts, the account's timeline and mentions, hiding replies, chunked media
upload with alt text, and the OAuth 2.0 token endpoint (not in the description; shaped as X documents it at
https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/user-access-token: form-encoded, HTTP Basic
for confidential clients, rotating refresh tokens, access tokens that expire after two hours).

Field names follow the description: `edit_history_post_ids`, `post.fields`, `referenced_posts`. Refusals are
RFC 7807 problems sent as application/problem+json, as X sends them; the token endpoint's are OAuth 2.0 errors.
Test controls: add_tweet (a post made on X directly), edit_tweet (X's edit: a new id in the same edit chain),
add_reply (someone answers a post), expire_access_token.
"""

import base64
import hashlib
import re
import secrets
import time
from datetime import datetime

from .fake_base import Answer, FakePlatform, now_utc

ACCESS_TOKEN_SECONDS = 7200
CHUNK_LIMIT = 5 * 1024 * 1024  # what one append may carry
PROBLEM = "application/problem+json"
PROBLEMS = "https://api.x.com/2/problems/"
DUPLICATE = "You are not allowed to create a Tweet with duplicate content."


def _problem(status: int, title: str, detail: str, kind: str = "about:blank", *, headers=None, **extra) -> Answer:
    """A refusal as X sends it: an RFC 7807 problem, application/problem+json. `about:blank` is X's problem for a
    refusal the HTTP status says all of (401, a duplicate's 403, 429, 5xx); X's own types carry more fields."""
    body = {"title": title, "detail": detail, "type": kind, "status": status, **extra}
    return Answer(status, body, {"Content-Type": PROBLEM, **(headers or {})})


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _list_param(request, name: str) -> list[str]:
    return [v for v in request.param(name).split(",") if v]


class XFake(FakePlatform):
    """The X API v2 for one account. Like X, it refuses a post whose text equals one it already has."""

    kind = "x"

    def __init__(
        self,
        *,
        token: str = "x-user-token-0123456789",
        user_id: str = "2244994945",
        username: str = "ExamplePD",
        client_id: str = "x-client-id-abcdef012345",
        client_secret: str = "",
        refresh_token: str = "x-refresh-token-0123456789",
        version: str = "2",
        port: int = 0,
    ):
        super().__init__(token=token, port=port)
        self.user_id, self.username = user_id, username
        self.client_id, self.client_secret = client_id, client_secret
        self.first_refresh_token = refresh_token
        self.version = version
        # A video is ready after this many status checks following its finalize.
        self.video_status_checks = 1
        self.clear()

    def clear(self):
        self.tweets: dict[str, dict] = {}  # every version of every post, by id
        self.deleted: list[str] = []
        self.media: dict[str, dict] = {}
        self.users: dict[str, dict] = {self.user_id: {"id": self.user_id, "username": self.username, "name": "PD"}}
        # access token -> unix time it stops working (None: never, for the token tests start with)
        self.access_tokens: dict[str, float | None] = {self.token: None}
        self.refresh_tokens: set[str] = {self.first_refresh_token}
        self.refreshes: list[dict] = []

    def state(self):
        with self.lock:
            return {
                "requests": len(self.requests),
                "tweets": list(self.tweets.values()),
                "deleted": list(self.deleted),
                "media": [{k: v for k, v in m.items() if k != "data"} for m in self.media.values()],
            }

    # Test controls -------------------------------------------------------------------------------------------

    def add_tweet(self, text: str, *, created_at: datetime | None = None, media_ids=()) -> dict:
        """A post made on X itself (not through socialgov)."""
        with self.lock:
            return self._create(text, created_at or now_utc(), media_ids=media_ids)

    def edit_tweet(self, tweet_id: str, text: str, *, edited_at: datetime | None = None) -> dict:
        """Edit the post as X does: the new wording gets a new id; every version lists the whole chain."""
        with self.lock:
            old = self.tweets[tweet_id]
            chain = old["edit_history_post_ids"]
            if chain[-1] != tweet_id:
                raise ValueError("only the latest version of a post can be edited")
            new = self._create(text, edited_at or now_utc(), media_ids=old["media_ids"], chain=chain)
            for version_id in new["edit_history_post_ids"]:
                self.tweets[version_id]["edit_history_post_ids"] = list(new["edit_history_post_ids"])
            return new

    def add_reply(self, to_id: str, text: str, *, username: str = "resident42", name: str = "A Resident") -> dict:
        """Someone else answers a post (the department's, or a reply under it)."""
        with self.lock:
            user = next((u for u in self.users.values() if u["username"] == username), None)
            if user is None:
                user = {"id": str(3_000_000 + len(self.users)), "username": username, "name": name}
                self.users[user["id"]] = user
            parent = self.tweets[to_id]
            reply = self._create(text, now_utc(), author_id=user["id"])
            reply.update(
                conversation_id=parent["conversation_id"],
                in_reply_to_user_id=parent["author_id"],
                referenced_posts=[{"type": "replied_to", "id": to_id}],
            )
            return reply

    def expire_access_token(self, token: str | None = None):
        with self.lock:
            self.access_tokens[token or self.token] = time.time() - 1

    def current_refresh_token(self) -> str:
        with self.lock:
            return sorted(self.refresh_tokens)[0]

    # Data ----------------------------------------------------------------------------------------------------

    def _create(self, text, created: datetime, *, media_ids=(), author_id=None, chain=()) -> dict:
        tweet_id = str(1_800_000_000_000_000_000 + int(self.next_id()))
        tweet = {
            "id": tweet_id,
            "text": text,
            "created_at": _stamp(created),
            "edit_history_post_ids": [*chain, tweet_id],
            "author_id": author_id or self.user_id,
            "conversation_id": chain[0] if chain else tweet_id,
            "media_ids": list(media_ids),
            "hidden": False,
        }
        self.tweets[tweet_id] = tweet
        return tweet

    def _latest(self, tweet: dict) -> bool:
        return tweet["edit_history_post_ids"][-1] == tweet["id"]

    @staticmethod
    def _as_returned(text: str) -> str:
        # X answers with links rewritten to t.co and &, <, > escaped.
        text = re.sub(
            r"https?://\S+", lambda m: "https://t.co/" + hashlib.sha1(m.group().encode()).hexdigest()[:10], text
        )
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def _view(self, tweet: dict, request) -> dict:
        """A post as X returns it: the default fields, and those the request asked for."""
        fields = set(_list_param(request, "post.fields"))
        expansions = set(_list_param(request, "expansions"))
        view = {
            "id": tweet["id"],
            "text": self._as_returned(tweet["text"]),
            "edit_history_post_ids": list(tweet["edit_history_post_ids"]),
        }
        for name in ("created_at", "conversation_id"):
            if name in fields:
                view[name] = tweet[name]
        if ("attachments" in fields or "attachments.media_keys" in expansions) and tweet["media_ids"]:
            view["attachments"] = {"media_keys": [self.media[m]["media_key"] for m in tweet["media_ids"]]}
        if "author_id" in expansions:
            view["author_id"] = tweet["author_id"]
        if "referenced_posts" in expansions and tweet.get("referenced_posts"):
            view["referenced_posts"] = tweet["referenced_posts"]
        if "in_reply_to_user_id" in expansions and tweet.get("in_reply_to_user_id"):
            view["in_reply_to_user_id"] = tweet["in_reply_to_user_id"]
        return view

    def _includes(self, tweets: list[dict], request) -> dict:
        expansions = set(_list_param(request, "expansions"))
        media_fields = set(_list_param(request, "media.fields"))
        includes = {}
        if "attachments.media_keys" in expansions:
            media = []
            for tweet in tweets:
                for media_id in tweet["media_ids"]:
                    item = self.media[media_id]
                    view = {"media_key": item["media_key"], "type": item["type"]}
                    if "alt_text" in media_fields and item["alt_text"]:
                        view["alt_text"] = item["alt_text"]
                    if "url" in media_fields and item["type"] == "photo":
                        view["url"] = f"https://pbs.twimg.com/media/{item['media_key']}.jpg"
                    if "preview_image_url" in media_fields and item["type"] != "photo":
                        view["preview_image_url"] = f"https://pbs.twimg.com/ext_tw_video_thumb/{media_id}/pu/img.jpg"
                    media.append(view)
            if media:
                includes["media"] = media
        if "author_id" in expansions:
            users = {t["author_id"]: self.users[t["author_id"]] for t in tweets}
            if users:
                includes["users"] = list(users.values())
        return includes

    # Protocol ------------------------------------------------------------------------------------------------

    def check_auth(self, request):
        if request.path == f"/{self.version}/oauth2/token":
            return None  # the client authenticates with its id (and secret), not a bearer token
        expires = self.access_tokens.get(self.bearer(request), 0)
        if expires == 0 or (expires is not None and expires < time.time()):
            return _problem(401, "Unauthorized", "Unauthorized")
        return None

    def route(self, request):
        prefix = f"/{self.version}/"
        if not request.path.startswith(prefix):
            return _problem(404, "Not Found", "Not Found")
        rest, method = request.path[len(prefix) :], request.method
        if rest == "oauth2/token" and method == "POST":
            return self._token(request)
        if rest == "tweets" and method == "POST":
            return self._post(request)
        if rest == "tweets" and method == "GET":
            return self._lookup(request)
        if match := re.fullmatch(r"tweets/(\d+)", rest):
            if method == "DELETE":
                return self._delete(match.group(1))
        if (match := re.fullmatch(r"tweets/(\d+)/hidden", rest)) and method == "PUT":
            return self._hide(match.group(1), request)
        if match := re.fullmatch(r"users/(\d+)/(tweets|mentions)", rest):
            if match.group(1) != self.user_id:
                return Answer(
                    200,
                    {
                        "errors": [
                            {
                                "detail": f"Could not find user with id: [{match.group(1)}].",
                                "title": "Not Found Error",
                                "resource_type": "user",
                                "type": "https://api.x.com/2/problems/resource-not-found",
                                "parameter": "id",
                                "value": match.group(1),
                            }
                        ]
                    },
                )
            return self._timeline(request, mentions=match.group(2) == "mentions")
        if rest == "media/upload/initialize" and method == "POST":
            return self._initialize(request)
        if (match := re.fullmatch(r"media/upload/(\d+)/(append|finalize)", rest)) and method == "POST":
            return (self._append if match.group(2) == "append" else self._finalize)(match.group(1), request)
        if rest == "media/upload" and method == "GET":
            return self._status(request)
        if rest == "media/metadata" and method == "POST":
            return self._metadata(request)
        return _problem(404, "Not Found", "Not Found")

    def _invalid(self, message: str) -> Answer:
        # As X sends it: the particular complaints in `errors`, and no `status`.
        body = {
            "errors": [{"message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": PROBLEMS + "invalid-request",
        }
        return Answer(400, body, {"Content-Type": PROBLEM})

    def _not_found(self, kind: str, value: str, parameter: str = "id") -> Answer:
        return _problem(
            404,
            "Not Found Error",
            f"Could not find {kind} with id: [{value}].",
            PROBLEMS + "resource-not-found",
            resource_type=kind,
            parameter=parameter,
            value=value,
            resource_id=value,
        )

    def _post(self, request):
        body = request.json() if request.body else {}
        text = (body or {}).get("text", "")
        media_ids = ((body or {}).get("media") or {}).get("media_ids") or []
        if not text and not media_ids:
            return self._invalid("$.text: is missing but it is required")
        for media_id in media_ids:
            item = self.media.get(media_id)
            if item is None or item["state"] != "succeeded":
                return self._invalid(f"Your media IDs are invalid: {media_id} is unknown or not ready.")
        if text and any(t["text"] == text for t in self.tweets.values()):
            return _problem(403, "Forbidden", DUPLICATE)
        tweet = self._create(text, now_utc(), media_ids=media_ids)
        return Answer(
            201,
            {
                "data": {
                    "id": tweet["id"],
                    "text": self._as_returned(text),
                    "edit_history_post_ids": tweet["edit_history_post_ids"],
                }
            },
        )

    def _delete(self, tweet_id: str):
        if tweet_id not in self.tweets:
            return self._not_found("tweet", tweet_id)
        for version_id in self.tweets[tweet_id]["edit_history_post_ids"]:
            self.tweets.pop(version_id, None)
        self.deleted.append(tweet_id)
        return Answer(200, {"data": {"deleted": True}})

    def _lookup(self, request):
        ids = _list_param(request, "ids")
        if not ids:
            return self._invalid("The `ids` query parameter can not be empty")
        found = [self.tweets[i] for i in ids if i in self.tweets]
        body: dict = {}
        if found:
            body["data"] = [self._view(t, request) for t in found]
            if includes := self._includes(found, request):
                body["includes"] = includes
        missing = [i for i in ids if i not in self.tweets]
        if missing:
            body["errors"] = [
                {
                    "value": i,
                    "detail": f"Could not find tweet with ids: [{i}].",
                    "title": "Not Found Error",
                    "resource_type": "tweet",
                    "parameter": "ids",
                    "resource_id": i,
                    "type": "https://api.x.com/2/problems/resource-not-found",
                }
                for i in missing
            ]
        return Answer(200, body)

    def _hide(self, tweet_id: str, request):
        tweet = self.tweets.get(tweet_id)
        if tweet is None:
            return self._not_found("tweet", tweet_id, "tweet_id")
        root = self.tweets.get(tweet["conversation_id"])
        if tweet["author_id"] == self.user_id or root is None or root["author_id"] != self.user_id:
            return _problem(
                403,
                "Forbidden",
                "You can only hide or unhide replies to conversations you authored.",
                PROBLEMS + "not-authorized-for-resource",
                resource_type="tweet",
                resource_id=tweet_id,
            )
        body = request.json() or {}
        if not isinstance(body.get("hidden"), bool):
            return self._invalid("$.hidden: is missing but it is required")
        tweet["hidden"] = body["hidden"]
        return Answer(200, {"data": {"hidden": tweet["hidden"]}})

    def _timeline(self, request, *, mentions: bool):
        start_time = request.param("start_time")
        limit = int(request.param("max_results") or 10)
        offset = int(request.param("pagination_token") or 0)
        if mentions:
            mention = f"@{self.username.lower()}"
            items = [
                t
                for t in self.tweets.values()
                if t["author_id"] != self.user_id
                and (t.get("in_reply_to_user_id") == self.user_id or mention in t["text"].lower())
            ]
        else:
            items = [t for t in self.tweets.values() if t["author_id"] == self.user_id and self._latest(t)]
        items.sort(key=lambda t: int(t["id"]), reverse=True)
        if start_time:
            start = datetime.fromisoformat(start_time.replace("Z", "+00:00"))
            items = [t for t in items if t["created_at"] >= _stamp(start)]
        page = items[offset : offset + limit]
        meta = {"result_count": len(page)}
        if page:
            meta.update(newest_id=page[0]["id"], oldest_id=page[-1]["id"])
        if offset + limit < len(items):
            meta["next_token"] = str(offset + limit)
        body = {"meta": meta}
        if page:
            body["data"] = [self._view(t, request) for t in page]
            if includes := self._includes(page, request):
                body["includes"] = includes
        return Answer(200, body)

    # Media ---------------------------------------------------------------------------------------------------

    def _initialize(self, request):
        body = request.json() or {}
        media_type, category = body.get("media_type", ""), body.get("media_category", "")
        if not media_type or not isinstance(body.get("total_bytes"), int):
            return self._invalid("media_type and total_bytes are required")
        media_id = str(1_900_000_000_000_000_000 + int(self.next_id()))
        kind = "video" if media_type.startswith("video/") else "animated_gif" if category == "tweet_gif" else "photo"
        self.media[media_id] = {
            "id": media_id,
            "media_key": f"{7 if kind == 'video' else 3}_{media_id}",
            "media_type": media_type,
            "category": category,
            "type": kind,
            "total_bytes": body["total_bytes"],
            "data": b"",
            "segments": [],
            "state": "uploading",
            "checks": 0,
            "alt_text": "",
        }
        return Answer(
            200, {"data": {"id": media_id, "media_key": self.media[media_id]["media_key"], "expires_after_secs": 86400}}
        )

    def _append(self, media_id: str, request):
        item = self.media.get(media_id)
        if item is None or item["state"] != "uploading":
            return self._not_found("media", media_id)
        parts = request.multipart()
        if "media" not in parts or "segment_index" not in parts:
            return self._invalid("media and segment_index are required")
        data = parts["media"][2]
        if len(data) > CHUNK_LIMIT:
            return self._invalid("A segment may carry at most 5 MB.")
        item["segments"].append(int(parts["segment_index"][2].decode()))
        item["data"] += data
        return Answer(200, {"data": {"expires_at": int(time.time()) + 86400}})

    def _finalize(self, media_id: str, request):
        item = self.media.get(media_id)
        if item is None or item["state"] != "uploading":
            return self._not_found("media", media_id)
        if len(item["data"]) != item["total_bytes"] or item["segments"] != sorted(item["segments"]):
            return self._invalid("File size does not match the total_bytes given at initialize.")
        data = {"id": media_id, "media_key": item["media_key"], "size": len(item["data"]), "expires_after_secs": 86400}
        if item["type"] == "video":
            item["state"] = "pending"
            data["processing_info"] = {"state": "pending", "check_after_secs": 1}
        else:
            item["state"] = "succeeded"
        return Answer(200, {"data": data})

    def _status(self, request):
        item = self.media.get(request.param("media_id"))
        if item is None:
            return self._not_found("media", request.param("media_id"))
        if item["state"] in ("pending", "in_progress"):
            item["checks"] += 1
            item["state"] = "succeeded" if item["checks"] >= self.video_status_checks else "in_progress"
        info = {"state": item["state"]}
        if item["state"] != "succeeded":
            info.update(check_after_secs=1, progress_percent=50)
        else:
            info["progress_percent"] = 100
        return Answer(200, {"data": {"id": item["id"], "media_key": item["media_key"], "processing_info": info}})

    def _metadata(self, request):
        body = request.json() or {}
        item = self.media.get(str(body.get("id", "")))
        if item is None:
            return self._not_found("media", str(body.get("id", "")))
        alt = ((body.get("metadata") or {}).get("alt_text") or {}).get("text")
        if not isinstance(alt, str) or len(alt) > 1000:
            return self._invalid("$.metadata.alt_text.text: at most 1000 characters")
        item["alt_text"] = alt
        return Answer(200, {"data": {"id": item["id"], "associated_metadata": {"alt_text": {"text": alt}}}})

    # OAuth 2.0 -----------------------------------------------------------------------------------------------

    def _token(self, request):
        form = {k: v[0] for k, v in request.form().items()}
        client_id = form.get("client_id", "")
        authorization = request.headers.get("authorization", "")
        if authorization.lower().startswith("basic "):
            try:
                client_id, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
            except ValueError:
                client_id, secret = "", ""
            if not self.client_secret or secret != self.client_secret:
                return Answer(401, {"error": "unauthorized_client", "error_description": "Unauthorized"})
        elif self.client_secret:
            return Answer(
                401, {"error": "unauthorized_client", "error_description": "Missing valid authorization header"}
            )
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return Answer(400, {"error": "invalid_request", "error_description": "Missing required parameter."})
        if client_id != self.client_id:
            return Answer(400, {"error": "invalid_request", "error_description": "Missing valid client_id."})
        if form.get("grant_type") != "refresh_token":
            return Answer(400, {"error": "unsupported_grant_type", "error_description": "Unsupported grant type."})
        refresh = form.get("refresh_token", "")
        if refresh not in self.refresh_tokens:
            return Answer(
                400, {"error": "invalid_request", "error_description": "Value passed for the token was invalid."}
            )
        self.refresh_tokens.discard(refresh)  # rotation: a refresh token works once
        access, new_refresh = f"x-access-{secrets.token_hex(12)}", f"x-refresh-{secrets.token_hex(12)}"
        self.access_tokens[access] = time.time() + ACCESS_TOKEN_SECONDS
        self.refresh_tokens.add(new_refresh)
        self.refreshes.append({"client_id": client_id, "refresh_token": refresh, "at": now_utc()})
        return Answer(
            200,
            {
                "token_type": "bearer",
                "expires_in": ACCESS_TOKEN_SECONDS,
                "access_token": access,
                "scope": "tweet.read tweet.write users.read tweet.moderate.write media.write offline.access",
                "refresh_token": new_refresh,
            },
        )

    def error_answer(self, mode, request):
        if request.path == f"/{self.version}/oauth2/token" and mode in ("expired_token", "invalid"):
            # The token endpoint answers as OAuth 2.0 does (RFC 6749 section 5.2), not with a problem: a refresh
            # token that was spent, revoked or has expired is an invalid request.
            said = (
                "Value passed for the token was invalid." if mode == "expired_token" else "Missing required parameter."
            )
            return Answer(400, {"error": "invalid_request", "error_description": said})
        if mode == "expired_token":
            return _problem(401, "Unauthorized", "Unauthorized")
        if mode == "rate_limited":
            # X's rate-limit headers: the window's size, what is left of it, and when it starts again (unix seconds).
            limits = {"x-rate-limit-limit": "200", "x-rate-limit-remaining": "0"}
            limits["x-rate-limit-reset"] = str(int(time.time()) + 60)
            return _problem(429, "Too Many Requests", "Too Many Requests", headers=limits)
        if mode == "duplicate":
            return _problem(403, "Forbidden", DUPLICATE)
        if mode == "server_error":
            return _problem(503, "Service Unavailable", "Service Unavailable")
        return self._invalid("Your Tweet text is too long.")
