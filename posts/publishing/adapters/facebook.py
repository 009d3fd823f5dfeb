"""Facebook: the department's Page, through the Graph API with a Page access token.

The Graph API has no idempotency key, so a publish whose answer was lost cannot simply be sent again. Before
re-posting, the publishing core asks `find(key)`, which looks through the Page's own posts since the publication
was created for one whose message is exactly the text this publication sends. Nothing the public sees carries
the key. Limits of that match, which a person resolves by looking at the Page:
- two publications with identical text on the same Page at the same time cannot be told apart;
- a post edited on Facebook after publishing no longer matches, so it could be posted again;
- only the most recent 300 posts since the publication's creation are searched.

Images are not sent yet: a post with attachments is refused with a clear message instead of appearing without them.
Comments are read per published post (the last 30 days of this channel's publications).
"""

import json
from datetime import timedelta

from django.utils import timezone

from posts.models import Publication

from ..base import (
    AdapterError,
    Capability,
    Metrics,
    PlatformLimits,
    PostVersion,
    PublishResult,
    RemoteComment,
    register,
)
from ..credentials import CredentialField
from .webhook import HttpAdapter, aware, comparable, parse_time

GRAPH_API = "https://graph.facebook.com/v19.0"
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001}  # application, user, page, custom, and Pages business use-case limits
AUTH_CODES = {102, 190, 10}  # session, token expired or invalid, permission denied (200-299: missing permission)
TRANSIENT_CODES = {1, 2}  # unknown error, service temporarily unavailable
DUPLICATE_CODE = 506
COMMENT_WINDOW = timedelta(days=30)
CLOCK_SKEW = timedelta(minutes=10)
LOOKUP_PAGES = 3


@register("facebook")
class FacebookAdapter(HttpAdapter):
    platform = "Facebook"
    default_base_url = GRAPH_API
    capabilities = frozenset(
        {Capability.PUBLISH, Capability.REMOVE, Capability.LOOKUP, Capability.FETCH_COMMENTS, Capability.FETCH_METRICS}
    )
    # Page posts: 63,206 characters; photos (JPEG, PNG, GIF, BMP, TIFF) under 4 MB, several in one post; one video.
    limits = PlatformLimits(
        name="Facebook",
        max_characters=63206,
        max_images=10,
        max_videos=1,
        image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff", "image/webp"}),
        max_image_bytes=4 * 1024 * 1024,
        video_types=frozenset({"video/mp4", "video/quicktime"}),
        max_video_bytes=1024 * 1024 * 1024,
    )
    credential_fields = (
        CredentialField(
            "access_token",
            "Page access token",
            "A long-lived Page token with pages_manage_posts, pages_read_engagement and "
            "pages_read_user_content. The Page ID goes in the channel's Account / page ID.",
        ),
    )

    def _page_id(self) -> str:
        page_id = (self.channel.external_account_id or "").strip()
        if not page_id:
            raise self.refusal("invalid", "no Page ID: set the channel's Account / page ID")
        return page_id

    def _call(self, method: str, path: str, *, params=None, data=None, missing_ok: bool = False) -> dict:
        token = {"access_token": self.secret("access_token")}
        # The token goes in the form body of a POST and in the query of GET and DELETE, as the Graph API
        # documents; messages built from failures never include the URL.
        if method == "POST":
            data = {**(data or {}), **token}
        else:
            params = {**(params or {}), **token}
        response = self.send(method, f"{self.base_url()}/{path.lstrip('/')}", params=params, data=data)
        answer = self.json_of(response)
        if self.succeeded(response) and isinstance(answer, dict) and "error" not in answer:
            return answer
        error = answer.get("error") if isinstance(answer, dict) else None
        if missing_ok and isinstance(error, dict) and (error.get("code"), error.get("error_subcode")) == (100, 33):
            return {}  # the object does not exist (already deleted)
        raise self._graph_error(response, answer)

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

    # Publishing ----------------------------------------------------------------------------------------------

    def publish(self, version: PostVersion) -> PublishResult:
        if version.media:
            raise self.refusal(
                "invalid",
                "images are not sent to Facebook by socialgov yet; post this one by hand or without its images",
            )
        text = self.text_of(version)
        if not text:
            raise self.refusal("invalid", "the post has no text")
        answer = self._call("POST", f"{self._page_id()}/feed", data={"message": text})
        post_id = str(answer.get("id") or "")
        if not post_id:
            raise self.refusal("invalid", "an answer without a post id")
        return PublishResult(external_id=post_id, url=self._permalink(post_id))

    def _permalink(self, post_id: str) -> str:
        # The post exists by now: failing to learn its address must not fail the publish (that would re-post).
        try:
            return str(
                self._call("GET", post_id, params={"fields": "permalink_url"}).get("permalink_url")
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
        self._call("DELETE", external_id, missing_ok=True)

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
                f"{post_id}/comments",
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
            "GET", external_id, params={"fields": "shares,reactions.summary(true),comments.summary(true)"}
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
