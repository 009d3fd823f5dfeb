"""X (formerly Twitter): the department's account, through the X API v2 with an OAuth 2.0 user access token.

Paths are /{X_API_VERSION}/... (settings; "2" by default) on https://api.x.com. Field and parameter names are those
of X's OpenAPI description (post.fields, edit_history_post_ids, referenced_posts; a copy of the parts used is in
tests/publishing/vendor/x-openapi.json, against which the tests check every request and answer).

X takes no idempotency key. Before re-posting after a lost answer, `find(key)` reads the account's own posts
since the publication was created and matches the exact text this publication sends (links compared as links,
since X rewrites them to t.co). Two publications with identical text at the same time cannot be told apart;
a person checks the account then.

A post longer than X's 280 characters is refused, never cut: a shortened police message can mislead. The count
follows X's rules closely but not exactly (links count 23; characters outside the Latin and common punctuation
ranges, such as CJK and emoji, count 2; an emoji sequence may count more than X would), so it errs on refusing.

Images and video go up through X's chunked media upload (initialize, append in segments, finalize, then the
status until a video is processed); alt text is set with the media metadata call before the post is made, and the
post names the media by id. Alt text longer than X's 1000 characters is refused, never cut.

Replies: the mentions timeline, which holds the replies to the department's posts. A reply is tied to the post
that started its conversation (`conversation_id`), so a reply to a reply still belongs to the department's post.
X lets an account hide replies in its own conversations and delete none of them: "remove" hides as well.

Access tokens last two hours. `renew_credentials` exchanges the refresh token (the app needs offline.access) for
a new pair; X rotates refresh tokens, so the old one stops working at once and the new pair must be stored before
anything else. For that reason no call here renews by itself on a 401: the renewal service does, and stores it.

Own posts: X gives an edited post a new id and lists the whole chain in edit_history_post_ids; socialgov knows a
post by the id it got when publishing, the first of that chain, so that is the RemotePost's id, with the earlier
wordings read by id.
"""

import html
import re
import time
import unicodedata
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.files.storage import storages

from posts.models import Publication

from ..base import (
    Capability,
    CommentRef,
    ModerationOutcome,
    PlatformLimits,
    PostVersion,
    PublishResult,
    RemoteComment,
    RemoteMedia,
    RemotePost,
    RemoteVersion,
    Renewal,
    register,
)
from ..credentials import CredentialField, Credentials
from .webhook import HttpAdapter, aware, comparable, parse_time, retry_after_seconds

X_API = "https://api.x.com"
MAX_WEIGHTED_LENGTH = 280
MAX_ALT_TEXT = 1000
URL_LENGTH = 23
# twitter-text v3: code points in these ranges weigh 1, every other 2.
LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
URL = re.compile(r"https?://\S+", re.IGNORECASE)
CLOCK_SKEW = timedelta(minutes=10)
CHUNK_BYTES = 4 * 1024 * 1024  # X takes at most 5 MB per append
PAGE = 100
MAX_PAGES = 40  # X keeps the latest 3,200 posts of a timeline: 32 pages of 100
MENTION_PAGES = 5
MEDIA_FIELDS = "alt_text,type,url,preview_image_url"
KINDS = {"photo": "image", "video": "video", "animated_gif": "gifv"}


def x_length(text: str) -> int:
    """The length X counts for a post (see the module docstring for where it differs)."""
    text = unicodedata.normalize("NFC", text or "")
    links = URL.findall(text)
    rest = URL.sub("", text)
    weight = sum(1 if any(low <= ord(ch) <= high for low, high in LIGHT_RANGES) else 2 for ch in rest)
    return weight + URL_LENGTH * len(links)


def _links_as_placeholders(text: str) -> str:
    return URL.sub("<link>", comparable(text))


def _stamp(moment: datetime) -> str:
    return aware(moment).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _chain(post: dict) -> list[str]:
    # The description's name, and the one X used before it (answers may still carry it).
    chain = post.get("edit_history_post_ids") or post.get("edit_history_tweet_ids") or []
    return [str(i) for i in chain] or [str(post["id"])]


def _media_category(content_type: str) -> str:
    if content_type.startswith("video/"):
        return "tweet_video"
    return "tweet_gif" if content_type == "image/gif" else "tweet_image"


@register("x")
class XAdapter(HttpAdapter):
    platform = "X"
    default_base_url = X_API
    capabilities = frozenset(
        {
            Capability.PUBLISH,
            Capability.REMOVE,
            Capability.LOOKUP,
            Capability.FETCH_COMMENTS,
            Capability.MODERATE_COMMENTS,
            Capability.RENEW_CREDENTIALS,
            Capability.FETCH_OWN_POSTS,
        }
    )
    # https://docs.x.com/x-api/media/quickstart/media-upload-chunked and the post-creation rules.
    limits = PlatformLimits(
        name="X",
        max_characters=MAX_WEIGHTED_LENGTH,
        counting="x",
        max_images=4,
        max_videos=1,
        image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
        max_image_bytes=5 * 1024 * 1024,
        video_types=frozenset({"video/mp4", "video/quicktime"}),
        max_video_bytes=512 * 1024 * 1024,
        max_video_seconds=140,  # X's media best practices: 0.5 to 140 seconds
        max_alt_text=MAX_ALT_TEXT,
    )
    credential_fields = (
        CredentialField(
            "access_token",
            "User access token",
            "An OAuth 2.0 user-context token for the department's account with the scopes tweet.read, "
            "tweet.write, users.read, media.write, tweet.moderate.write and offline.access. The account's numeric "
            "user ID goes in Account / page ID.",
        ),
        CredentialField(
            "refresh_token",
            "Refresh token",
            "Given with the access token when the app has offline.access. Needed to renew the access token, which "
            "X lets live two hours; without it the token must be entered again by hand.",
            required=False,
        ),
        CredentialField(
            "client_id",
            "OAuth 2.0 client ID",
            "The X app's client ID (developer portal › the app › Keys and tokens). Needed for renewal.",
            required=False,
        ),
        CredentialField(
            "client_secret",
            "OAuth 2.0 client secret",
            "Only for a confidential client (a web app in the developer portal); leave empty for a public one.",
            required=False,
        ),
    )
    renew_ahead = timedelta(minutes=30)  # X access tokens last two hours
    # A video is processed after upload; X says how long to wait, at most this long between checks.
    media_poll_max_wait = 10.0
    media_poll_attempts = 60

    def _path(self, rest: str) -> str:
        return f"{self.base_url()}/{settings.X_API_VERSION}/{rest}"

    def _call(self, method: str, rest: str, **kwargs):
        headers = {"Authorization": f"Bearer {self.secret('access_token')}"}
        response = self.send(method, self._path(rest), headers=headers, **kwargs)
        if self.succeeded(response):
            return response
        raise self._x_error(response)

    def _get(self, rest: str, params: dict) -> dict:
        answer = self.json_of(self._call("GET", rest, params=params))
        return answer if isinstance(answer, dict) else {}

    def _x_error(self, response):
        answer = self.json_of(response)
        detail = ""
        if isinstance(answer, dict):
            messages = [
                str(e.get("message") or e.get("detail") or "")
                for e in answer.get("errors") or []
                if isinstance(e, dict)
            ]
            detail = (
                str(answer.get("detail") or "") or "; ".join(m for m in messages if m) or str(answer.get("title") or "")
            )
        if response.status_code == 403 and "duplicate" in detail.lower():
            return self.error_for(response, detail, duplicate=True)
        error = self.error_for(response, detail)
        if response.status_code == 429 and response.headers.get("x-user-limit-24hour-remaining") == "0":
            # The account's daily posting cap, not the 15-minute window: wait for the daily reset.
            daily = retry_after_seconds({"x-rate-limit-reset": response.headers.get("x-user-limit-24hour-reset")})
            error.retry_after = daily or error.retry_after
        return error

    def _user_id(self) -> str:
        user_id = (self.channel.external_account_id or "").strip()
        if not user_id:
            raise self.refusal("invalid", "no user ID: set the channel's Account / page ID to the numeric user ID")
        return user_id

    def _url(self, post_id: str) -> str:
        handle = (self.channel.handle or "").strip().lstrip("@")
        return f"https://x.com/{handle}/status/{post_id}" if handle else f"https://x.com/i/web/status/{post_id}"

    # Publishing ----------------------------------------------------------------------------------------------

    def publish(self, version: PostVersion) -> PublishResult:
        text = self.text_of(version)
        if not text:
            raise self.refusal("invalid", "the post has no text")
        length = x_length(text)
        if length > MAX_WEIGHTED_LENGTH:
            raise self.refusal(
                "invalid",
                f"X allows {MAX_WEIGHTED_LENGTH} characters and this post counts {length} "
                f"(links count {URL_LENGTH}); shorten it, or leave X out of its channels",
            )
        for item in version.media:
            if len(item.alt_text or "") > MAX_ALT_TEXT:
                raise self.refusal(
                    "invalid",
                    f"X allows {MAX_ALT_TEXT} characters of alt text and {item.name} has {len(item.alt_text)}; "
                    "shorten it",
                )
        body: dict = {"text": text}
        if version.media:
            body["media"] = {"media_ids": [self._upload(item) for item in version.media]}
        answer = self.json_of(self._call("POST", "tweets", json=body))
        post_id = str(((answer or {}).get("data") or {}).get("id") or "")
        if not post_id:
            raise self.refusal("invalid", "an answer without a post id")
        return PublishResult(external_id=post_id, url=self._url(post_id))

    def _upload(self, item) -> str:
        """One image or video through the chunked upload; its id once X can attach it."""
        store = storages[item.store]
        try:
            size = store.size(item.file)
            handle = store.open(item.file, "rb")
        except OSError:
            raise self.error(
                f"The attachment {item.name} is missing from storage.", permanent=True, code="invalid"
            ) from None
        with handle:
            started = self.json_of(
                self._call(
                    "POST",
                    "media/upload/initialize",
                    json={
                        "media_type": item.content_type,
                        "total_bytes": size,
                        "media_category": _media_category(item.content_type),
                    },
                )
            )
            media_id = str(((started or {}).get("data") or {}).get("id") or "")
            if not media_id:
                raise self.refusal("invalid", f"no media id for {item.name}")
            index = 0
            while chunk := handle.read(CHUNK_BYTES):
                self._call(
                    "POST",
                    f"media/upload/{media_id}/append",
                    files={"media": (item.name, chunk, "application/octet-stream")},
                    data={"segment_index": str(index)},
                    timeout=self.upload_timeout,
                )
                index += 1
        finished = self.json_of(self._call("POST", f"media/upload/{media_id}/finalize")) or {}
        self._wait_for_processing(media_id, item.name, (finished.get("data") or {}).get("processing_info"))
        if item.alt_text:
            self._call(
                "POST", "media/metadata", json={"id": media_id, "metadata": {"alt_text": {"text": item.alt_text}}}
            )
        return media_id

    def _wait_for_processing(self, media_id: str, name: str, info: dict | None) -> None:
        for _ in range(self.media_poll_attempts):
            state = (info or {}).get("state") or "succeeded"
            if state == "succeeded":
                return
            if state == "failed":
                said = ((info or {}).get("error") or {}).get("message") or "X could not process it"
                raise self.refusal("invalid", f"the media {name} was refused: {said}")
            wait = float((info or {}).get("check_after_secs") or 1)
            time.sleep(min(max(wait, 0.0), self.media_poll_max_wait))
            answer = self._get("media/upload", {"command": "STATUS", "media_id": media_id})
            info = (answer.get("data") or {}).get("processing_info")
        raise self.refusal("server", f"the media {name} is still being processed")

    def find(self, idempotency_key: str) -> PublishResult | None:
        publication = (
            Publication.objects.select_related("post")
            .filter(idempotency_key=idempotency_key, channel=self.channel)
            .first()
        )
        if publication is None:
            return None
        user_id = self._user_id()
        expected = _links_as_placeholders(self.text_of(publication.post))
        start = _stamp(publication.created_at - CLOCK_SKEW)
        params = {"max_results": str(PAGE), "start_time": start, "post.fields": "created_at"}
        found = None
        for _ in range(3):
            answer = self._get(f"users/{user_id}/tweets", params)
            for post in answer.get("data") or []:
                if _links_as_placeholders(post.get("text", "")) == expected:
                    found = post  # newest first: keep going so the earliest match wins
            token = (answer.get("meta") or {}).get("next_token")
            if not token:
                break
            params = {**params, "pagination_token": token}
        if found is None:
            return None
        return PublishResult(external_id=str(found["id"]), url=self._url(str(found["id"])))

    def remove(self, external_id: str) -> None:
        response = self.send(
            "DELETE",
            self._path(f"tweets/{external_id}"),
            headers={"Authorization": f"Bearer {self.secret('access_token')}"},
        )
        if response.status_code == 404:
            return  # already gone
        if not self.succeeded(response):
            raise self._x_error(response)
        answer = self.json_of(response) or {}
        if not (answer.get("data") or {}).get("deleted"):
            raise self.refusal("server", f"HTTP {response.status_code}: the post was not deleted")

    # Replies -------------------------------------------------------------------------------------------------

    def fetch_comments(self, since: datetime | None) -> list[RemoteComment]:
        """Replies and mentions newer than `since`, newest first (a few pages per call)."""
        user_id = self._user_id()
        params = {
            "max_results": str(PAGE),
            "post.fields": "created_at,conversation_id",
            "expansions": "author_id,referenced_posts",
        }
        if since:
            params["start_time"] = _stamp(since)
        comments: list[RemoteComment] = []
        for _ in range(MENTION_PAGES):
            answer = self._get(f"users/{user_id}/mentions", params)
            users = {str(u.get("id")): u for u in (answer.get("includes") or {}).get("users") or []}
            for post in answer.get("data") or []:
                comment = self._comment(post, users, user_id)
                if comment and not (since and comment.created_at < aware(since)):
                    comments.append(comment)
            token = (answer.get("meta") or {}).get("next_token")
            if not token:
                break
            params = {**params, "pagination_token": token}
        return comments

    def _comment(self, post: dict, users: dict, own_id: str) -> RemoteComment | None:
        created = parse_time(post.get("created_at"))
        author = users.get(str(post.get("author_id") or ""), {})
        if not post.get("id") or created is None or str(post.get("author_id") or "") == own_id:
            return None
        replied_to = [str(r.get("id")) for r in post.get("referenced_posts") or [] if r.get("type") == "replied_to"]
        username = str(author.get("username") or "")
        return RemoteComment(
            external_id=str(post["id"]),
            author_name=str(author.get("name") or username)[:100],
            author_handle=f"@{username}" if username else "",
            text=html.unescape(str(post.get("text") or "")),
            created_at=created,
            url=f"https://x.com/{username or 'i/web'}/status/{post['id']}",
            # The thread's first post: the department's post for every reply under it, however deep.
            in_reply_to=str(post.get("conversation_id") or (replied_to[0] if replied_to else "")) if replied_to else "",
        )

    def moderate_comment(self, comment: CommentRef, action: str, reason: str) -> ModerationOutcome:
        if action not in ("hide", "remove", "show"):
            raise self.refusal("invalid", f"no such action on a reply: {action}")
        hidden = action != "show"
        response = self.send(
            "PUT",
            self._path(f"tweets/{comment.external_id}/hidden"),
            headers={"Authorization": f"Bearer {self.secret('access_token')}"},
            json={"hidden": hidden},
        )
        where = comment.url or self._url(comment.external_id)
        problem = self.json_of(response) if response.status_code in (403, 404) else None
        problem = problem if isinstance(problem, dict) else {}
        # Not the token: the reply is gone, or in a conversation the account did not start (X hides only those).
        if response.status_code == 404 or str(problem.get("type", "")).endswith("/not-authorized-for-resource"):
            said = str(problem.get("detail") or problem.get("title") or f"HTTP {response.status_code}")
            return ModerationOutcome(
                done=False,
                summary=f"X would not {'hide' if hidden else 'show'} the reply: {said}",
                todo=(
                    f"{'Hide' if hidden else 'Unhide'} the reply on X by hand ({where}), or report it to X if it is "
                    "not a reply to the department's posts, then confirm here."
                ),
            )
        if not self.succeeded(response):
            raise self._x_error(response)
        answer = self.json_of(response) or {}
        if (answer.get("data") or {}).get("hidden") is not hidden:
            raise self.refusal("server", f"HTTP {response.status_code}: X did not confirm the change")
        if not hidden:
            return ModerationOutcome(done=True, summary="The reply is shown again under the department's post on X.")
        summary = "The reply is hidden under the department's post on X (people can still open it from there)."
        if action == "remove":
            summary = (
                "X does not let an account delete other people's replies; the reply is hidden under the "
                "department's post instead (people can still open it from the hidden replies)."
            )
        return ModerationOutcome(done=True, summary=summary)

    # Credentials ---------------------------------------------------------------------------------------------

    def renew_credentials(self) -> Renewal:
        """A new access token and refresh token for the stored refresh token (which stops working)."""
        credentials = self.credentials
        refresh_token, client_id = credentials.get("refresh_token"), credentials.get("client_id")
        if not refresh_token or not client_id:
            missing = " and ".join(n for n, v in (("refresh token", refresh_token), ("client ID", client_id)) if not v)
            raise self.error(
                f"X: the access token of {self.channel.name} cannot be renewed without the {missing}; enter them on "
                "the channel's credentials page (the X app needs the offline.access scope for a refresh token).",
                permanent=True,
                code="auth",
            )
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        secret = credentials.get("client_secret")
        if not secret:
            form["client_id"] = client_id  # a public client names itself; a confidential one signs in (Basic)
        response = self.send(
            "POST",
            self._path("oauth2/token"),
            data=form,
            auth=(client_id, secret) if secret else None,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        answer = self.json_of(response)
        answer = answer if isinstance(answer, dict) else {}
        if not self.succeeded(response):
            said = ": ".join(str(answer.get(k)) for k in ("error", "error_description") if answer.get(k))
            said = f"HTTP {response.status_code}" + (f" {said}" if said else "")
            if response.status_code in (400, 401, 403):
                raise self.error(
                    f"X refused to renew the access token of {self.channel.name} ({said}). Authorize socialgov's "
                    "X app for the account again and enter the new tokens on the channel's credentials page.",
                    permanent=True,
                    code="auth",
                )
            raise self.error_for(response, said)
        access = str(answer.get("access_token") or "")
        if not access:
            raise self.refusal("server", f"HTTP {response.status_code}: an answer without an access token")
        renewed = Credentials(
            {**credentials, "access_token": access, "refresh_token": str(answer.get("refresh_token") or refresh_token)}
        )
        self._credentials = renewed
        expires_in = answer.get("expires_in")
        expires_at = None
        if isinstance(expires_in, int | float) and expires_in > 0:
            expires_at = datetime.now(UTC) + timedelta(seconds=expires_in)
        return Renewal(credentials=renewed, expires_at=expires_at)

    # The account's own posts ---------------------------------------------------------------------------------

    def fetch_own_posts(self, since: datetime) -> list[RemotePost]:
        """Every post on the account created since `since`, newest first, with earlier wordings of edited ones."""
        since = aware(since)
        params = {
            "max_results": str(PAGE),
            "start_time": _stamp(since),
            "post.fields": "created_at,attachments",
            "expansions": "attachments.media_keys",
            "media.fields": MEDIA_FIELDS,
        }
        latest: list[dict] = []
        media: dict[str, RemoteMedia] = {}
        for _ in range(MAX_PAGES):
            answer = self._get(f"users/{self._user_id()}/tweets", params)
            media.update(self._media_of(answer))
            page = answer.get("data") or []
            recent = [p for p in page if (parse_time(p.get("created_at")) or since) >= since]
            latest += recent
            token = (answer.get("meta") or {}).get("next_token")
            if not token or len(recent) < len(page):  # reached posts older than `since`
                break
            params = {**params, "pagination_token": token}
        earlier_ids = sorted({i for p in latest for i in _chain(p)[:-1]})
        earlier = self._posts_by_id(earlier_ids, media)
        posts = []
        for post in latest:
            chain = _chain(post)
            versions = [earlier[i] for i in chain[:-1] if i in earlier]
            edited = parse_time(post.get("created_at")) if len(chain) > 1 else None
            first = earlier.get(chain[0]) or post
            posts.append(
                RemotePost(
                    external_id=chain[0],
                    text=html.unescape(str(post.get("text") or "")),
                    created_at=parse_time(first.get("created_at")) or parse_time(post.get("created_at")),
                    url=self._url(str(post["id"])),
                    edited_at=edited,
                    media=self._attached(post, media),
                    history=tuple(
                        RemoteVersion(
                            text=html.unescape(str(v.get("text") or "")),
                            edited_at=parse_time(v.get("created_at")),
                            media=self._attached(v, media),
                        )
                        for v in versions
                    ),
                    raw={"id": str(post["id"]), "edit_history_post_ids": chain},
                )
            )
        return posts

    def _posts_by_id(self, ids: list[str], media: dict) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for start in range(0, len(ids), PAGE):
            answer = self._get(
                "tweets",
                {
                    "ids": ",".join(ids[start : start + PAGE]),
                    "post.fields": "created_at,attachments",
                    "expansions": "attachments.media_keys",
                    "media.fields": MEDIA_FIELDS,
                },
            )
            media.update(self._media_of(answer))
            found.update({str(p["id"]): p for p in answer.get("data") or [] if p.get("id")})
        return found

    @staticmethod
    def _media_of(answer: dict) -> dict[str, RemoteMedia]:
        return {
            str(m.get("media_key")): RemoteMedia(
                url=str(m.get("url") or m.get("preview_image_url") or ""),
                kind=KINDS.get(str(m.get("type")), "unknown"),
                description=str(m.get("alt_text") or ""),
            )
            for m in (answer.get("includes") or {}).get("media") or []
            if m.get("media_key")
        }

    @staticmethod
    def _attached(post: dict, media: dict) -> tuple[RemoteMedia, ...]:
        keys = (post.get("attachments") or {}).get("media_keys") or []
        return tuple(media[k] for k in keys if k in media)
