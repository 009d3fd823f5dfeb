"""The local X API v2 fake (see tests/publishing/fakes.py)."""

import hashlib
import re
import time
from datetime import datetime

from .fake_base import Answer, FakePlatform, now_utc

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
