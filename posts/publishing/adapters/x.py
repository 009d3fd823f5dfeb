"""X (formerly Twitter): the department's account, through the X API v2 with an OAuth 2.0 user access token.

X takes no idempotency key. Before re-posting after a lost answer, `find(key)` reads the account's own posts
since the publication was created and matches the exact text this publication sends (links compared as links,
since X rewrites them to t.co). Two publications with identical text at the same time cannot be told apart;
a person checks the account then.

A post longer than X's 280 characters is refused, never cut: a shortened police message can mislead. The count
follows X's rules closely but not exactly (links count 23; characters outside the Latin and common punctuation
ranges, such as CJK and emoji, count 2; an emoji sequence may count more than X would), so it errs on refusing.
Images are not sent yet: a post with attachments is refused with a clear message.
"""

import re
import unicodedata
from datetime import timedelta

from posts.models import Publication

from ..base import Capability, PlatformLimits, PostVersion, PublishResult, register
from ..credentials import CredentialField
from .webhook import HttpAdapter, comparable, retry_after_seconds

X_API = "https://api.x.com"
MAX_WEIGHTED_LENGTH = 280
URL_LENGTH = 23
# twitter-text v3: code points in these ranges weigh 1, every other 2.
LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
URL = re.compile(r"https?://\S+", re.IGNORECASE)
CLOCK_SKEW = timedelta(minutes=10)


def x_length(text: str) -> int:
    """The length X counts for a post (see the module docstring for where it differs)."""
    text = unicodedata.normalize("NFC", text or "")
    links = URL.findall(text)
    rest = URL.sub("", text)
    weight = sum(1 if any(low <= ord(ch) <= high for low, high in LIGHT_RANGES) else 2 for ch in rest)
    return weight + URL_LENGTH * len(links)


def _links_as_placeholders(text: str) -> str:
    return URL.sub("<link>", comparable(text))


@register("x")
class XAdapter(HttpAdapter):
    platform = "X"
    default_base_url = X_API
    capabilities = frozenset({Capability.PUBLISH, Capability.REMOVE, Capability.LOOKUP})
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
        max_alt_text=1000,
    )
    credential_fields = (
        CredentialField(
            "access_token",
            "User access token",
            "An OAuth 2.0 user-context token for the department's account with the scopes tweet.read, "
            "tweet.write and users.read. The account's numeric user ID goes in Account / page ID.",
        ),
    )

    def _call(self, method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {self.secret('access_token')}"}
        response = self.send(method, f"{self.base_url()}{path}", headers=headers, **kwargs)
        if self.succeeded(response):
            return response
        raise self._x_error(response)

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

    def _url(self, post_id: str) -> str:
        handle = (self.channel.handle or "").strip().lstrip("@")
        return f"https://x.com/{handle}/status/{post_id}" if handle else f"https://x.com/i/web/status/{post_id}"

    def publish(self, version: PostVersion) -> PublishResult:
        if version.media:
            raise self.refusal(
                "invalid", "images are not sent to X by socialgov yet; post this one by hand or without its images"
            )
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
        answer = self.json_of(self._call("POST", "/2/tweets", json={"text": text}))
        post_id = str(((answer or {}).get("data") or {}).get("id") or "")
        if not post_id:
            raise self.refusal("invalid", "an answer without a post id")
        return PublishResult(external_id=post_id, url=self._url(post_id))

    def find(self, idempotency_key: str) -> PublishResult | None:

        publication = (
            Publication.objects.select_related("post")
            .filter(idempotency_key=idempotency_key, channel=self.channel)
            .first()
        )
        if publication is None:
            return None
        user_id = (self.channel.external_account_id or "").strip()
        if not user_id:
            raise self.refusal("invalid", "no user ID: set the channel's Account / page ID to the numeric user ID")
        expected = _links_as_placeholders(self.text_of(publication.post))
        start = (publication.created_at - CLOCK_SKEW).strftime("%Y-%m-%dT%H:%M:%SZ")
        params = {"max_results": "100", "start_time": start, "tweet.fields": "created_at"}
        found = None
        for _ in range(3):
            answer = self.json_of(self._call("GET", f"/2/users/{user_id}/tweets", params=params)) or {}
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
            f"{self.base_url()}/2/tweets/{external_id}",
            headers={"Authorization": f"Bearer {self.secret('access_token')}"},
        )
        if response.status_code == 404:
            return  # already gone
        if not self.succeeded(response):
            raise self._x_error(response)
        answer = self.json_of(response) or {}
        if not (answer.get("data") or {}).get("deleted"):
            raise self.refusal("server", f"HTTP {response.status_code}: the post was not deleted")
