"""The local Facebook Graph API fake (see tests/publishing/fakes.py)."""

import json
import re
from datetime import UTC, datetime

from .fake_base import Answer, FakePlatform, now_utc

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
