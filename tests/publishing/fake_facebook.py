"""The local Facebook Graph API fake (see tests/publishing/fakes.py).

Meta publishes no machine-readable description of the Graph API (no OpenAPI or similar document), so this fake
cannot be checked against one as the X fake is (tests/publishing/vendor_schema.py). It keeps to the requests and
answers the Graph API reference and guides on developers.facebook.com document:
- Page feed and posts: POST /{page-id}/feed (`message`, `attached_media[n]={"media_fbid": ...}`), GET
  /{page-id}/posts (`fields` with field expansion, `since`, `limit`, cursor paging), GET /{post-id}, POST
  /{post-id} (`message`: the Page edits its post), DELETE /{post-id} -> {"success": true};
- photos: POST /{page-id}/photos (multipart `source`, `published`, `alt_text_custom`) -> {"id"} (plus "post_id"
  when published at once); videos: POST /{page-id}/videos (multipart `source`, `description`) -> {"id"}, GET
  /{video-id}?fields=post_id;
- comments: GET /{post-id}/comments, POST /{comment-id} `is_hidden`, DELETE /{comment-id} -> {"success": true};
- tokens: GET /oauth/access_token?grant_type=fb_exchange_token -> {"access_token", "token_type", "expires_in"},
  GET /{page-id}?fields=access_token with a user token; an expired token gets the OAuthException code 190,
  subcode 463 answer, an unknown one code 190;
- errors in Graph's {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}} shape, a missing object
  as code 100, subcode 33.
"""

import json
import re
from datetime import UTC, datetime, timedelta

from .fake_base import Answer, FakePlatform, now_utc

LONG_LIVED = timedelta(days=60)


def _graph_error(message, code, *, subcode=None, kind="OAuthException", transient=False, status=400) -> Answer:
    error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf123"}
    if subcode is not None:
        error["error_subcode"] = subcode
    if transient:
        error["is_transient"] = True
    return Answer(status, {"error": error})


def _facebook_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _top_fields(fields: str) -> list[str]:
    """Top-level names of a `fields` list with field expansion: "a,b{c,d},e.summary(true)" -> [a, b, e]."""
    names, depth, current = [], 0, ""
    for char in fields or "":
        if char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
        if char == "," and depth == 0:
            names.append(current)
            current = ""
        else:
            current += char
    names.append(current)
    return [re.split(r"[.{(]", name.strip())[0] for name in names if name.strip()]


class FacebookFake(FakePlatform):
    """The Graph API for one Page. Point the channel's API base URL at `graph_url` (it carries a version).

    `token` is a Page token that does not expire; `user_token` a long-lived token of a Page admin, renewable with
    `app_id` and `app_secret`. `expire(token)` makes any token expired; `state()["comments"]` shows each comment's
    hidden and deleted state."""

    kind = "facebook"

    def __init__(
        self,
        *,
        token: str = "facebook-page-token-0123456789",
        page_id: str = "1000000001",
        port: int = 0,
        app_id: str = "438271650912345",
        app_secret: str = "facebook-app-secret-abcdef012345",
        user_token: str = "facebook-user-token-0123456789",
    ):
        super().__init__(token=token, port=port)
        self.page_id = page_id
        self.app_id, self.app_secret, self.user_token = app_id, app_secret, user_token
        # token -> {"kind": "page" | "user", "expires_at": datetime | None}
        self.tokens: dict[str, dict] = {
            token: {"kind": "page", "expires_at": None},
            user_token: {"kind": "user", "expires_at": now_utc() + LONG_LIVED},
        }
        self.clear()

    @property
    def graph_url(self) -> str:
        return f"{self.url}/v19.0"

    def clear(self):
        self.posts: dict[str, dict] = {}
        self.deleted: list[str] = []
        self.photos: dict[str, dict] = {}
        self.videos: dict[str, dict] = {}
        self.comments: dict[str, dict] = {}  # comment id -> {"post_id", "hidden", "deleted"}

    def state(self):
        with self.lock:
            return {
                "requests": len(self.requests),
                "posts": [self._public(p) for p in self.posts.values()],
                "deleted": list(self.deleted),
                "photos": [{k: v for k, v in p.items() if k != "bytes"} for p in self.photos.values()],
                "videos": [{k: v for k, v in video.items() if k != "bytes"} for video in self.videos.values()],
                "comments": {cid: dict(c) for cid, c in self.comments.items()},
            }

    @staticmethod
    def _public(post: dict) -> dict:
        return {k: v for k, v in post.items() if not k.startswith("_")}

    # Test controls -------------------------------------------------------------------------------------------

    def add_post(self, message: str, *, created_time: datetime | None = None) -> dict:
        """A post that is on the Page without this product's knowing (made by hand, or by a lost attempt)."""
        with self.lock:
            return self._create(message, created_time or now_utc())

    def edit_post(self, post_id: str, message: str, *, at: datetime | None = None) -> dict:
        """The Page's post edited on Facebook itself (as POST /{post-id} message=... does)."""
        with self.lock:
            post = self.posts[post_id]
            post.update(message=message, updated_time=_facebook_time(at or now_utc()))
            return post

    def delete_post(self, post_id: str) -> None:
        with self.lock:
            del self.posts[post_id]
            self.deleted.append(post_id)

    def add_comment(
        self, post_id: str, message: str, *, name: str = "A Resident", created_time: datetime | None = None
    ) -> dict:
        with self.lock:
            comment_id = f"{post_id.split('_')[-1]}_{self.next_id()}"
            created = _facebook_time(created_time or now_utc())
            comment = {
                "id": comment_id,
                "message": message,
                "created_time": created,
                "from": {"id": f"9{self.next_id()}", "name": name},
                "permalink_url": f"https://www.facebook.com/{post_id}?comment_id={comment_id}",
                "is_hidden": False,
            }
            post = self.posts[post_id]
            post["comments"].append(comment)
            # Graph's updated_time moves when someone comments, not only when the post is edited.
            post["updated_time"] = max(post["updated_time"], created)
            self.comments[comment_id] = {"post_id": post_id, "hidden": False, "deleted": False}
            return comment

    def issue_user_token(self, *, expires_in: timedelta = LONG_LIVED) -> str:
        with self.lock:
            token = f"facebook-user-token-{self.next_id()}-{'x' * 12}"
            self.tokens[token] = {"kind": "user", "expires_at": now_utc() + expires_in}
            return token

    def expire(self, token: str) -> None:
        with self.lock:
            self.tokens[token]["expires_at"] = now_utc() - timedelta(seconds=1)

    def _create(self, message: str, created: datetime, *, media: list | None = None) -> dict:
        post_id = f"{self.page_id}_{self.next_id()}"
        post = {
            "id": post_id,
            "message": message,
            "created_time": _facebook_time(created),
            "updated_time": _facebook_time(created),
            "permalink_url": f"https://www.facebook.com/{self.page_id}/posts/{post_id.split('_')[1]}",
            "comments": [],
            "shares": 0,
            "reactions": 0,
            "_media": list(media or []),  # ("photo" | "video", id)
        }
        self.posts[post_id] = post
        return post

    # Requests ------------------------------------------------------------------------------------------------

    @staticmethod
    def _param(request, name: str) -> str:
        value = request.param(name)
        if value or not request.headers.get("content-type", "").startswith("multipart/form-data"):
            return value
        part = request.multipart().get(name)
        return part[2].decode() if part else ""

    def check_auth(self, request):
        if request.path.rstrip("/").endswith("/oauth/access_token"):
            return None  # the exchange authenticates with the app's ID and secret
        token = self._param(request, "access_token") or self.bearer(request)
        if not token:
            return _graph_error(
                "An active access token must be used to query information about the current user.", 2500
            )
        known = self.tokens.get(token)
        if known is None:
            return _graph_error("Invalid OAuth access token - Cannot parse access token", 190)
        expires_at = known["expires_at"]
        if expires_at is not None and expires_at <= now_utc():
            return _graph_error(
                "Error validating access token: Session has expired on "
                f"{expires_at.strftime('%A, %d-%b-%y %H:%M:%S')} UTC.",
                190,
                subcode=463,
            )
        page_read = request.method == "GET" and request.path.rstrip("/").endswith(f"/{self.page_id}")
        if known["kind"] == "user" and not page_read:
            return _graph_error("(#210) A page access token is required to request this resource.", 210)
        return None

    def route(self, request):
        path = re.sub(r"^/v\d+\.\d+", "", request.path).strip("/")
        method = request.method
        if path == "oauth/access_token" and method == "GET":
            return self._exchange(request)
        if path == self.page_id and method == "GET":
            return self._page(request)
        if path == f"{self.page_id}/feed" and method == "POST":
            return self._publish_feed(request)
        if path == f"{self.page_id}/photos" and method == "POST":
            return self._upload_photo(request)
        if path == f"{self.page_id}/videos" and method == "POST":
            return self._upload_video(request)
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
        if path in self.comments:
            return self._comment(request, path)
        if path in self.videos and method == "GET":
            video = self.videos[path]
            return Answer(200, {"id": path, "post_id": video["post_id"], "description": video["description"]})
        if re.fullmatch(r"\d+_\d+", path):
            return self._post(request, path)
        return _graph_error(f"Unknown path components: /{path}", 2500)

    def _exchange(self, request):
        if request.param("grant_type") != "fb_exchange_token":
            return _graph_error("Unsupported grant_type", 100)
        if request.param("client_id") != self.app_id:
            return _graph_error("Error validating application. Invalid application ID.", 101)
        if request.param("client_secret") != self.app_secret:
            return _graph_error("Error validating client secret.", 1)
        old = self.tokens.get(request.param("fb_exchange_token"))
        if old is None or old["kind"] != "user":
            return _graph_error("Invalid OAuth access token - Cannot parse access token", 190)
        if old["expires_at"] is not None and old["expires_at"] <= now_utc():
            return _graph_error(
                "Error validating access token: Session has expired on "
                f"{old['expires_at'].strftime('%A, %d-%b-%y %H:%M:%S')} UTC.",
                190,
                subcode=463,
            )
        token = self.issue_user_token()
        return Answer(
            200, {"access_token": token, "token_type": "bearer", "expires_in": int(LONG_LIVED.total_seconds())}
        )

    def _page(self, request):
        answer = {"id": self.page_id}
        if "access_token" in _top_fields(request.param("fields")):
            # A Page token read with a long-lived user token does not expire by itself.
            token = f"facebook-page-token-{self.next_id()}-{'y' * 12}"
            self.tokens[token] = {"kind": "page", "expires_at": None}
            answer["access_token"] = token
        if "name" in _top_fields(request.param("fields")):
            answer["name"] = "Example Police Department"
        return Answer(200, answer)

    def _publish_feed(self, request):
        message = request.param("message")
        media, index = [], 0
        while request.param(f"attached_media[{index}]"):
            try:
                fbid = str(json.loads(request.param(f"attached_media[{index}]"))["media_fbid"])
            except (ValueError, KeyError, TypeError):
                return _graph_error(f"(#100) param attached_media[{index}] must be a JSON object", 100)
            photo = self.photos.get(fbid)
            if photo is None or photo["published"]:
                return _graph_error(f"(#100) Invalid media_fbid in attached_media[{index}]", 100)
            media.append(fbid)
            index += 1
        if not message and not media:
            return _graph_error("(#100) The parameter message is required", 100)
        post = self._create(message, now_utc(), media=[("photo", fbid) for fbid in media])
        for fbid in media:
            self.photos[fbid].update(published=True, post_id=post["id"])
        return Answer(200, {"id": post["id"]})

    def _upload(self, request, kinds: str):
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            return None, _graph_error("(#324) Requires upload file", 324)
        parts = request.multipart()
        if "source" not in parts:
            return None, _graph_error("(#324) Requires upload file", 324)
        filename, content_type, data = parts["source"]
        if not content_type.startswith(kinds) or not data:
            return None, _graph_error("(#324) Missing or invalid image file", 324)
        return (filename, content_type, data), None

    def _upload_photo(self, request):
        source, refused = self._upload(request, "image/")
        if refused:
            return refused
        filename, content_type, data = source
        photo_id = f"5{self.next_id()}"
        photo = {
            "id": photo_id,
            "name": filename,
            "content_type": content_type,
            "size": len(data),
            "bytes": data,
            "alt_text_custom": self._param(request, "alt_text_custom"),
            "published": self._param(request, "published").lower() != "false",
            "post_id": "",
        }
        self.photos[photo_id] = photo
        if not photo["published"]:
            return Answer(200, {"id": photo_id})
        post = self._create(self._param(request, "caption"), now_utc(), media=[("photo", photo_id)])
        photo["post_id"] = post["id"]
        return Answer(200, {"id": photo_id, "post_id": post["id"]})

    def _upload_video(self, request):
        source, refused = self._upload(request, "video/")
        if refused:
            return refused
        filename, content_type, data = source
        video_id = f"7{self.next_id()}"
        description = self._param(request, "description")
        post = self._create(description, now_utc(), media=[("video", video_id)])
        self.videos[video_id] = {
            "id": video_id,
            "name": filename,
            "content_type": content_type,
            "size": len(data),
            "bytes": data,
            "description": description,
            "post_id": post["id"],
        }
        return Answer(200, {"id": video_id})

    def _comment(self, request, comment_id: str):
        state = self.comments[comment_id]
        if state["deleted"]:
            return self._missing(comment_id)
        post = self.posts.get(state["post_id"])
        comment = next((c for c in (post or {}).get("comments", []) if c["id"] == comment_id), None)
        if request.method == "DELETE":
            state["deleted"] = True
            if post is not None and comment is not None:
                post["comments"].remove(comment)
            return Answer(200, {"success": True})
        if request.method == "POST":
            hidden = request.param("is_hidden").lower()
            if hidden not in {"true", "false"}:
                return _graph_error("(#100) param is_hidden must be a boolean", 100)
            state["hidden"] = hidden == "true"
            if comment is not None:
                comment["is_hidden"] = state["hidden"]
            return Answer(200, {"success": True})
        return Answer(200, {k: v for k, v in (comment or {"id": comment_id}).items()})

    def _post(self, request, post_id: str):
        post = self.posts.get(post_id)
        if post is None:
            return self._missing(post_id)
        if request.method == "DELETE":
            self.delete_post(post_id)
            return Answer(200, {"success": True})
        if request.method == "POST":
            message = request.param("message")
            if not message:
                return _graph_error("(#100) The parameter message is required", 100)
            self.edit_post(post_id, message)
            return Answer(200, {"success": True})
        return Answer(200, self._fields(post, request.param("fields")))

    @staticmethod
    def _missing(object_id: str) -> Answer:
        return _graph_error(
            f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be loaded "
            "due to missing permissions, or does not support this operation.",
            100,
            subcode=33,
            kind="GraphMethodException",
        )

    def _attachments(self, post: dict) -> dict:
        parts = []
        for kind, media_id in post["_media"]:
            if kind == "photo":
                parts.append(
                    {
                        "media_type": "photo",
                        "media": {
                            "image": {"src": f"https://scontent.example.fbcdn.net/{media_id}.jpg", "height": 720}
                        },
                        "url": f"https://www.facebook.com/photo.php?fbid={media_id}",
                        "target": {"id": media_id, "url": f"https://www.facebook.com/photo.php?fbid={media_id}"},
                    }
                )
            else:
                parts.append(
                    {
                        "media_type": "video",
                        "media": {
                            "image": {"src": f"https://scontent.example.fbcdn.net/{media_id}.jpg", "height": 720},
                            "source": f"https://video.example.fbcdn.net/{media_id}.mp4",
                        },
                        "url": f"https://www.facebook.com/{self.page_id}/videos/{media_id}/",
                        "target": {
                            "id": media_id,
                            "url": f"https://www.facebook.com/{self.page_id}/videos/{media_id}/",
                        },
                    }
                )
        if len(parts) > 1:  # several photos: one "album" attachment holding them, as Graph shows it
            return {
                "data": [
                    {
                        "media_type": "album",
                        "url": post["permalink_url"],
                        "media": parts[0]["media"],
                        "subattachments": {"data": parts},
                    }
                ]
            }
        return {"data": parts}

    def _fields(self, post: dict, fields: str) -> dict:
        answer = {"id": post["id"]}
        for name in _top_fields(fields):
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
            elif name == "attachments":
                if post["_media"]:
                    answer["attachments"] = self._attachments(post)  # absent on a text-only post
            elif name in post and name not in {"shares"} and not name.startswith("_"):
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
            "data": [self._fields(p, fields) for p in page],
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
