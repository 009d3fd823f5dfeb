"""Facebook: the department's Page, through the Graph API with a Page access token.

Where it talks to
    https://graph.facebook.com/{FACEBOOK_GRAPH_VERSION} (the setting, "v21.0" unless the environment says
    otherwise), and for video uploads https://graph-video.facebook.com/{version}, as the video upload guide asks.
    A channel's API base URL, when set, replaces both (a local test server carries its own version in it).

Publishing
    Text only: POST /{page-id}/feed with `message`.
    Images: each one is uploaded unpublished, POST /{page-id}/photos (multipart `source`, `published=false`, its alt
    text in `alt_text_custom`), then one POST /{page-id}/feed with `message` and `attached_media[n]=
    {"media_fbid": "<photo id>"}`, so the Page shows one post with all the photos, each with the alt text the
    department wrote. A photo uploaded by an attempt that then failed stays unpublished and unseen.
    One video: POST /{page-id}/videos (multipart `source`, `description` = the text), then the video's `post_id`
    is read so the publication carries the Page post's id like any other post.
    What fits is checked before approval by posts.publishing.limits against `limits` below.

Re-posting after a lost answer
    The Graph API has no idempotency key, so a publish whose answer was lost cannot simply be sent again. Before
    re-posting, the publishing core asks `find(key)`, which looks through the Page's own posts since the publication
    was created for one whose message is exactly the text this publication sends (photo and video posts carry the
    text as their message too). Nothing the public sees carries the key. Limits of that match, which a person
    resolves by looking at the Page:
    - two publications with identical text on the same Page at the same time cannot be told apart;
    - a post edited on Facebook after publishing no longer matches, so it could be posted again;
    - only the most recent 300 posts since the publication's creation are searched.

Comments
    Read per published post (the last 30 days of this channel's publications). Moderation: hide is POST
    /{comment-id} `is_hidden=true` (the author and their friends still see it, nobody else does), show is
    `is_hidden=false`, remove is DELETE /{comment-id}; a comment already gone counts as removed.

The Page's own posts (385.5(g), 385.7)
    GET /{page-id}/posts, not /feed: /feed also lists what visitors post on the Page and posts the Page is tagged in,
    while /posts lists only what the Page itself published, whoever made it and with whatever tool. Facebook keeps
    no public edit history, so `history` is always empty. Its `updated_time` moves when the post is edited and also
    when someone comments, and no field tells the two apart: `edited_at` is `updated_time` when it differs from
    `created_time`, which means "changed or commented on since", never proof of an edit. Whoever reads it must
    compare the text (posts.publishing.account_watch does: an unchanged text is never a new version).

Credentials and their renewal
    The Page access token is what every call uses. A Page token read with a long-lived user token does not expire
    by itself, but it stops working when that user token does (about 60 days), so renewal needs the app's ID and
    secret and a long-lived user token of a Page admin: GET /oauth/access_token?grant_type=fb_exchange_token gives a
    fresh long-lived user token, then GET /{page-id}?fields=access_token with it gives the Page's token. The
    channel's expiry becomes that of the new user token. Renewal runs `renew_ahead` before expiry; when it cannot,
    the credentials page says what is missing.
"""

import json
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

from posts.models import Publication

from ..base import (
    AdapterError,
    Capability,
    CommentRef,
    MediaItem,
    Metrics,
    ModerationOutcome,
    PlatformLimits,
    PostVersion,
    PublishResult,
    RemoteComment,
    RemoteMedia,
    RemotePost,
    Renewal,
    register,
)
from ..credentials import CredentialField
from .webhook import HttpAdapter, aware, comparable, parse_time

GRAPH_HOST = "https://graph.facebook.com"
VIDEO_HOST = "https://graph-video.facebook.com"  # "Videos must be published to graph-video.facebook.com"
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001}  # application, user, page, custom, and Pages business use-case limits
AUTH_CODES = {102, 190, 10}  # session, token expired or invalid, permission denied (200-299: missing permission)
TRANSIENT_CODES = {1, 2}  # unknown error, service temporarily unavailable
DUPLICATE_CODE = 506
MISSING = (100, 33)  # "Object with ID ... does not exist": already deleted, or never was
COMMENT_WINDOW = timedelta(days=30)
CLOCK_SKEW = timedelta(minutes=10)
LOOKUP_PAGES = 3
OWN_POSTS_PAGES = 50  # 100 a page: 5,000 posts, far more than a department's Page makes in ACCOUNT_READ_DAYS
OWN_POST_FIELDS = (
    "id,message,created_time,updated_time,permalink_url,"
    "attachments{media_type,description,media,url,target,subattachments}"
)
MEDIA_KINDS = {"photo": "image", "video": "video", "video_inline": "video", "animated_image_video": "gifv"}


@register("facebook")
class FacebookAdapter(HttpAdapter):
    platform = "Facebook"
    capabilities = frozenset(
        {
            Capability.PUBLISH,
            Capability.REMOVE,
            Capability.LOOKUP,
            Capability.FETCH_COMMENTS,
            Capability.FETCH_METRICS,
            Capability.MODERATE_COMMENTS,
            Capability.FETCH_OWN_POSTS,
            Capability.RENEW_CREDENTIALS,
        }
    )
    # Where each number comes from (developers.facebook.com):
    # - image formats JPEG, BMP, PNG, GIF, TIFF: /docs/graph-api/photo-uploads ("Supported Formats"). WebP is not
    #   listed there, and GIF is left out because the Photo reference (/docs/graph-api/reference/photo, "Creating")
    #   says animated photos are not supported and an animated GIF cannot be told from a still one before sending;
    # - "a photo must be less than 10MB in size": the same Photo reference (decimal megabytes, the stricter
    #   reading);
    # - video: the non-resumable upload used here takes "up to 1GB and 20 minutes" (/docs/graph-api/video-uploads);
    #   MP4 and MOV are among its formats. Length in minutes is not measured here;
    # - the Graph reference gives no number of photos per post nor any alt text length: 10 photos is socialgov's
    #   own cap, and alt text is not limited;
    # - 63,206 characters is Facebook's limit for a post's text (not stated in the Graph reference either).
    limits = PlatformLimits(
        name="Facebook",
        max_characters=63206,
        max_images=10,
        max_videos=1,
        image_types=frozenset({"image/jpeg", "image/png", "image/bmp", "image/tiff"}),
        max_image_bytes=10 * 1000 * 1000,
        video_types=frozenset({"video/mp4", "video/quicktime"}),
        max_video_bytes=1000 * 1000 * 1000,
        max_video_seconds=20 * 60,  # a video sent in one request (not resumable upload): 1 GB, 20 minutes
    )
    renew_ahead = timedelta(days=10)
    credential_fields = (
        CredentialField(
            "access_token",
            "Page access token",
            "A long-lived Page token with pages_manage_posts, pages_manage_engagement, pages_read_engagement and "
            "pages_read_user_content. The Page ID goes in the channel's Account / page ID.",
        ),
        CredentialField(
            "app_id",
            "App ID (for renewal)",
            "The Meta app's ID, from its dashboard. With the app secret and a user token it lets socialgov renew "
            "the Page token before it stops working; leave the three empty to renew by hand.",
            required=False,
        ),
        CredentialField(
            "app_secret",
            "App secret (for renewal)",
            "The Meta app's secret (App settings, Basic).",
            required=False,
        ),
        CredentialField(
            "user_token",
            "Long-lived user token of a Page admin (for renewal)",
            "A long-lived user access token of someone who can manage the Page, made with the same app. socialgov "
            "exchanges it for a fresh one (valid about 60 days) and reads the Page token with it.",
            required=False,
        ),
    )

    def __init__(self, channel):
        super().__init__(channel)
        self._fresh: list[str] = []  # tokens received during this call, kept out of messages like stored ones

    # Addresses and credentials -------------------------------------------------------------------------------

    @property
    def default_base_url(self) -> str:
        return f"{GRAPH_HOST}/{settings.FACEBOOK_GRAPH_VERSION}"

    def video_base_url(self) -> str:
        if self.channel.api_base_url:
            return self.base_url()
        self.base_url()  # the same checks
        return f"{VIDEO_HOST}/{settings.FACEBOOK_GRAPH_VERSION}"

    def _secrets(self) -> list[str]:
        return super()._secrets() + self._fresh

    def _page_id(self) -> str:
        page_id = (self.channel.external_account_id or "").strip()
        if not page_id:
            raise self.refusal("invalid", "no Page ID: set the channel's Account / page ID")
        return page_id

    # Calls ---------------------------------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        params=None,
        data=None,
        files=None,
        token: str | None = None,
        base: str | None = None,
        missing_ok: bool = False,
    ) -> dict:
        """One Graph call with the Page token (or `token`; "" sends none). The token goes in the form body of a
        POST and in the query of GET and DELETE, as the Graph API documents; messages built from failures never
        include the URL."""
        token = self.secret("access_token") if token is None else token
        auth = {"access_token": token} if token else {}
        if method == "POST":
            data = {**(data or {}), **auth}
        else:
            params = {**(params or {}), **auth}
        url = f"{base or self.base_url()}/{path.lstrip('/')}"
        response = self.send(
            method,
            url,
            params=params,
            data=data,
            files=files,
            timeout=self.upload_timeout if files else None,
        )
        answer = self.json_of(response)
        if self.succeeded(response) and isinstance(answer, dict) and "error" not in answer:
            return answer
        if missing_ok and self._is_missing(answer):
            return {}
        raise self._graph_error(response, answer)

    @staticmethod
    def _is_missing(answer) -> bool:
        error = answer.get("error") if isinstance(answer, dict) else None
        return isinstance(error, dict) and (error.get("code"), error.get("error_subcode")) == MISSING

    def _graph_error(self, response, answer):
        error = answer.get("error") if isinstance(answer, dict) else None
        if not isinstance(error, dict):
            return self.error_for(response)
        try:
            code = int(error.get("code") or 0)
        except (TypeError, ValueError):
            code = 0
        subcode = error.get("error_subcode")
        message = " ".join(str(error.get("error_user_msg") or error.get("message") or "").split())[:500]
        said = f"{message} (code {code}{f', subcode {subcode}' if subcode else ''})"
        if code == DUPLICATE_CODE:
            return self.refusal("duplicate", said)
        if code in RATE_LIMIT_CODES:
            return self.refusal("rate_limited", said, retry_after=self._usage_wait(response.headers))
        if code in AUTH_CODES or 200 <= code <= 299:
            return self.refusal("auth", said)
        if error.get("type") == "OAuthException" and not error.get("is_transient") and code == 1:
            # The token exchange answers a wrong app ID or secret with code 1 ("Error validating client secret").
            return self.refusal("auth", said)
        if error.get("is_transient") or code in TRANSIENT_CODES or response.status_code >= 500:
            return self.refusal("server", said)
        return self.refusal("invalid", said)

    @staticmethod
    def _usage_wait(headers) -> float | None:
        """Minutes until access returns, from X-Business-Use-Case-Usage (Pages limits)."""
        try:
            usage = json.loads(headers.get("X-Business-Use-Case-Usage") or "{}")
            waits = [
                float(entry.get("estimated_time_to_regain_access") or 0)
                for entries in usage.values()
                for entry in entries
            ]
        except (ValueError, TypeError, AttributeError):
            return None
        longest = max(waits, default=0)
        return longest * 60 if longest > 0 else None

    @staticmethod
    def _fallback_url(post_id: str) -> str:
        return f"https://www.facebook.com/{post_id}"

    @staticmethod
    def _node(object_id: str) -> str:
        return quote(str(object_id), safe="_")

    # Publishing ----------------------------------------------------------------------------------------------

    def publish(self, version: PostVersion) -> PublishResult:
        text = self.text_of(version)
        images = [item for item in version.media if item.content_type.startswith("image/")]
        videos = [item for item in version.media if item.content_type.startswith("video/")]
        others = [item.name for item in version.media if item not in images and item not in videos]
        if others:
            raise self.refusal("invalid", f"Facebook takes images and video only, not {', '.join(others)}")
        if videos and (images or len(videos) > 1):
            raise self.refusal("invalid", "Facebook takes one video in a post, without images")
        if not text and not version.media:
            raise self.refusal("invalid", "the post has no text")
        page_id = self._page_id()
        if videos:
            return self._publish_video(page_id, videos[0], text)
        data = {"message": text} if text else {}
        for index, item in enumerate(images):
            data[f"attached_media[{index}]"] = json.dumps({"media_fbid": self._upload_photo(page_id, item)})
        answer = self._call("POST", f"{page_id}/feed", data=data)
        post_id = str(answer.get("id") or "")
        if not post_id:
            raise self.refusal("invalid", "an answer without a post id")
        return PublishResult(external_id=post_id, url=self._permalink(post_id))

    def _upload_photo(self, page_id: str, item: MediaItem) -> str:
        data = {"published": "false"}
        if item.alt_text:
            data["alt_text_custom"] = item.alt_text
        answer = self._call(
            "POST",
            f"{page_id}/photos",
            data=data,
            files={"source": (item.name, self.file_bytes(item), item.content_type)},
        )
        photo_id = str(answer.get("id") or "")
        if not photo_id:
            raise self.refusal("invalid", f"the image {item.name} was uploaded but no photo id came back")
        return photo_id

    def _publish_video(self, page_id: str, item: MediaItem, text: str) -> PublishResult:
        answer = self._call(
            "POST",
            f"{page_id}/videos",
            data={"description": text} if text else {},
            files={"source": (item.name, self.file_bytes(item), item.content_type)},
            base=self.video_base_url(),
        )
        video_id = str(answer.get("id") or "")
        if not video_id:
            raise self.refusal("invalid", f"the video {item.name} was uploaded but no video id came back")
        # The video is on the Page by now: failing to learn its post's id must not fail the publish (that would
        # post it again). Without it the video's own id stands in, which removal and comments also accept.
        try:
            post_id = str(self._call("GET", self._node(video_id), params={"fields": "post_id"}).get("post_id") or "")
        except AdapterError:
            post_id = ""
        if not post_id:
            return PublishResult(external_id=video_id, url=f"https://www.facebook.com/{page_id}/videos/{video_id}/")
        return PublishResult(external_id=post_id, url=self._permalink(post_id))

    def _permalink(self, post_id: str) -> str:
        # The post exists by now: failing to learn its address must not fail the publish (that would re-post).
        try:
            return str(
                self._call("GET", self._node(post_id), params={"fields": "permalink_url"}).get("permalink_url")
                or self._fallback_url(post_id)
            )
        except AdapterError:
            return self._fallback_url(post_id)

    def find(self, idempotency_key: str) -> PublishResult | None:
        publication = (
            Publication.objects.select_related("post")
            .filter(idempotency_key=idempotency_key, channel=self.channel)
            .first()
        )
        if publication is None:
            return None
        expected = comparable(self.text_of(publication.post))
        since = int((publication.created_at - CLOCK_SKEW).timestamp())
        params = {"fields": "id,message,permalink_url,created_time", "since": str(since), "limit": "100"}
        path = f"{self._page_id()}/posts"
        found = None
        for _ in range(LOOKUP_PAGES):
            answer = self._call("GET", path, params=params)
            for post in answer.get("data") or []:
                if comparable(post.get("message", "")) == expected:
                    found = post  # newest first: keep going so the earliest match wins
            cursor = ((answer.get("paging") or {}).get("cursors") or {}).get("after")
            if not cursor or not (answer.get("paging") or {}).get("next"):
                break
            params = {**params, "after": cursor}
        if found is None:
            return None
        post_id = str(found["id"])
        return PublishResult(external_id=post_id, url=str(found.get("permalink_url") or self._fallback_url(post_id)))

    def remove(self, external_id: str) -> None:
        self._call("DELETE", self._node(external_id), missing_ok=True)

    # Comments and metrics ------------------------------------------------------------------------------------

    def fetch_comments(self, since) -> list[RemoteComment]:
        since = aware(since)
        published = (
            Publication.objects.filter(
                channel=self.channel,
                status=Publication.Status.PUBLISHED,
                published_at__gte=timezone.now() - COMMENT_WINDOW,
            )
            .exclude(external_id="")
            .order_by("-published_at")
            .values_list("external_id", flat=True)[:50]
        )
        comments = []
        for post_id in published:
            answer = self._call(
                "GET",
                f"{self._node(post_id)}/comments",
                params={
                    "fields": "id,message,created_time,from,permalink_url",
                    "filter": "stream",
                    "order": "reverse_chronological",
                    "limit": "100",
                },
            )
            for item in answer.get("data") or []:
                created = parse_time(item.get("created_time"))
                if created is None or (since and created < since):
                    continue
                author = item.get("from") or {}
                comments.append(
                    RemoteComment(
                        external_id=str(item.get("id", "")),
                        author_name=str(author.get("name") or "Facebook user")[:100],
                        author_handle=str(author.get("id") or ""),
                        text=str(item.get("message") or ""),
                        created_at=created,
                        url=str(item.get("permalink_url") or ""),
                        in_reply_to=post_id,
                    )
                )
        return comments

    def fetch_metrics(self, external_id: str) -> Metrics:
        answer = self._call(
            "GET",
            self._node(external_id),
            params={"fields": "shares,reactions.summary(true),comments.summary(true)"},
        )
        shares = int((answer.get("shares") or {}).get("count") or 0)  # absent when nobody shared
        reactions = (answer.get("reactions") or {}).get("summary", {}).get("total_count")
        replies = (answer.get("comments") or {}).get("summary", {}).get("total_count")
        return Metrics(
            shares=shares,
            reactions=reactions,
            replies=replies,
            raw={"shares": shares, "reactions": reactions, "comments": replies},
        )

    def moderate_comment(self, comment: CommentRef, action: str, reason: str) -> ModerationOutcome:
        """Hide, show or delete a comment on the Page. `reason` stays in socialgov: Facebook takes none."""
        node = self._node(comment.external_id)
        if not comment.external_id:
            raise self.refusal("invalid", "the comment has no Facebook id")
        if action == "remove":
            answer = self._call("DELETE", node, missing_ok=True)
            if not answer:
                return ModerationOutcome(done=True, summary="The comment was already gone from Facebook.")
            return ModerationOutcome(done=True, summary="Deleted from the Facebook Page.")
        if action not in {"hide", "show"}:
            raise self.refusal("invalid", f"no such comment action: {action!r}")
        hide = action == "hide"
        answer = self._call("POST", node, data={"is_hidden": "true" if hide else "false"}, missing_ok=True)
        if not answer:
            if hide:
                return ModerationOutcome(done=True, summary="The comment is no longer on Facebook.")
            raise self.refusal("invalid", "the comment no longer exists on Facebook, so it cannot be shown again")
        if answer.get("success") is not True:
            raise self.refusal("invalid", "Facebook did not confirm the change")
        if hide:
            return ModerationOutcome(
                done=True,
                summary="Hidden on the Facebook Page: only its author and the author's friends still see it.",
            )
        return ModerationOutcome(done=True, summary="Shown again on the Facebook Page.")

    # The Page's own posts ------------------------------------------------------------------------------------

    def fetch_own_posts(self, since) -> list[RemotePost]:
        """Every post the Page published since `since`, newest first (see the module docstring on `edited_at`)."""
        since = aware(since)
        params = {"fields": OWN_POST_FIELDS, "limit": "100"}
        if since is not None:
            params["since"] = str(int(since.timestamp()))
        path = f"{self._page_id()}/posts"
        posts = []
        for _ in range(OWN_POSTS_PAGES):
            answer = self._call("GET", path, params=params)
            posts += [self._remote_post(item) for item in answer.get("data") or [] if item.get("id")]
            paging = answer.get("paging") or {}
            cursor = (paging.get("cursors") or {}).get("after")
            if not cursor or not paging.get("next"):
                break
            params = {**params, "after": cursor}
        else:
            raise self.refusal("server", f"more than {OWN_POSTS_PAGES} pages of posts; read a shorter period")
        posts = [p for p in posts if since is None or p.created_at >= since]
        return sorted(posts, key=lambda p: p.created_at, reverse=True)

    def _remote_post(self, item: dict) -> RemotePost:
        created = parse_time(item.get("created_time")) or timezone.now()
        updated = parse_time(item.get("updated_time"))
        post_id = str(item["id"])
        return RemotePost(
            external_id=post_id,
            text=str(item.get("message") or ""),
            created_at=created,
            url=str(item.get("permalink_url") or self._fallback_url(post_id)),
            edited_at=updated if updated and updated != created else None,
            media=tuple(self._media_of(item)),
            also_known_as=tuple(self._videos_of(item)),
            raw=item,
        )

    @staticmethod
    def _videos_of(item: dict) -> list[str]:
        """The ids of the videos a post shows (an attachment's `target`): a video post socialgov published may be
        kept under its video's id (see _publish_video)."""
        ids = []
        for attachment in (item.get("attachments") or {}).get("data") or []:
            for part in (attachment.get("subattachments") or {}).get("data") or [attachment]:
                target = str((part.get("target") or {}).get("id") or "")
                if MEDIA_KINDS.get(str(part.get("media_type") or "")) == "video" and target:
                    ids.append(target)
        return ids

    @staticmethod
    def _media_of(item: dict) -> list[RemoteMedia]:
        """The photos and videos the post shows; link previews are the linked page's, not the Page's, and left out."""
        media = []
        for attachment in (item.get("attachments") or {}).get("data") or []:
            parts = (attachment.get("subattachments") or {}).get("data") or [attachment]
            for part in parts:
                kind = MEDIA_KINDS.get(str(part.get("media_type") or ""))
                if kind is None:
                    continue
                shown = part.get("media") or {}
                url = shown.get("source") or (shown.get("image") or {}).get("src") or part.get("url") or ""
                media.append(RemoteMedia(url=str(url), kind=kind, description=str(part.get("description") or "")))
        return media

    # Renewal -------------------------------------------------------------------------------------------------

    def renew_credentials(self) -> Renewal:
        """A fresh long-lived user token for the stored one, then the Page's token read with it."""
        credentials = self.credentials
        missing = [
            field.label
            for field in self.credential_fields
            if field.key in {"app_id", "app_secret", "user_token"} and not credentials.get(field.key)
        ]
        if missing:
            raise self.error(
                f"{self.platform}: the Page token of {self.channel.name} cannot be renewed automatically: enter the "
                f"{', '.join(missing)} on the channel's credentials page (or renew the Page token by hand).",
                permanent=True,
                code="auth",
            )
        exchanged = self._call(
            "GET",
            "oauth/access_token",
            params={
                "grant_type": "fb_exchange_token",
                "client_id": credentials["app_id"],
                "client_secret": credentials["app_secret"],
                "fb_exchange_token": credentials["user_token"],
            },
            token="",
        )
        user_token = str(exchanged.get("access_token") or "")
        if not user_token:
            raise self.refusal("invalid", "the token exchange answered without a token")
        self._fresh.append(user_token)
        try:
            expires_in = int(exchanged.get("expires_in") or 0)
        except (TypeError, ValueError):
            expires_in = 0
        page = self._call("GET", self._page_id(), params={"fields": "access_token"}, token=user_token)
        page_token = str(page.get("access_token") or "")
        if not page_token:
            raise self.refusal(
                "auth",
                "no Page token came back: the user token's owner may no longer manage the Page",
            )
        self._fresh.append(page_token)
        renewed = {**credentials, "user_token": user_token, "access_token": page_token}
        return Renewal(
            credentials=renewed,
            expires_at=timezone.now() + timedelta(seconds=expires_in) if expires_in > 0 else None,
        )
