"""Mastodon: the department's account on a Mastodon instance (API base URL = the instance, https://...).

Statuses are posted with an Idempotency-Key, which Mastodon remembers for about an hour: a retry within that hour
returns the first status instead of posting again. Images are uploaded first (with their alt text as the
description) and attached by id. Public comments are the mentions of the account, fetched from notifications.
"""

import time
from datetime import datetime

from ..base import Capability, Metrics, PlatformLimits, PostVersion, PublishResult, RemoteComment, register
from ..credentials import CredentialField
from .webhook import HttpAdapter, aware, parse_time, plain_text

NOTIFICATION_PAGE = 40
MAX_NOTIFICATION_PAGES = 5


@register("mastodon")
class MastodonAdapter(HttpAdapter):
    platform = "Mastodon"
    capabilities = frozenset(
        {
            Capability.PUBLISH,
            Capability.IDEMPOTENT,
            Capability.REMOVE,
            Capability.FETCH_COMMENTS,
            Capability.FETCH_METRICS,
        }
    )
    # Mastodon's defaults (an instance may allow more; socialgov keeps to the defaults every instance accepts).
    limits = PlatformLimits(
        name="Mastodon",
        max_characters=500,
        counting="links",
        url_length=23,
        max_images=4,
        max_videos=1,
        image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
        max_image_bytes=16 * 1024 * 1024,
        video_types=frozenset({"video/mp4", "video/webm", "video/quicktime"}),
        max_video_bytes=99 * 1024 * 1024,
        max_alt_text=1500,
    )
    credential_fields = (
        CredentialField(
            "access_token",
            "Access token",
            "From the instance's Preferences › Development › your application, with the scopes "
            "write:statuses, write:media, read:statuses and read:notifications.",
        ),
    )
    # Large images are processed after upload; a status can attach them only once they are ready.
    media_poll_interval = 1.0
    media_poll_attempts = 30

    def _auth(self, **extra) -> dict:
        return {"Authorization": f"Bearer {self.secret('access_token')}", **extra}

    def _call(self, method: str, path: str, **kwargs):
        response = self.send(
            method, f"{self.base_url()}{path}", headers=self._auth(**kwargs.pop("headers", {})), **kwargs
        )
        if not self.succeeded(response):
            answer = self.json_of(response)
            detail = ""
            if isinstance(answer, dict):
                detail = " ".join(str(answer.get(k, "")) for k in ("error", "error_description")).strip()
            raise self.error_for(response, detail)
        return response

    def _answer(self, response) -> dict:
        answer = self.json_of(response)
        if not isinstance(answer, dict) or not answer.get("id"):
            raise self.refusal("invalid", f"HTTP {response.status_code}: an answer without an id")
        return answer

    def _upload(self, item) -> str:
        data = self.file_bytes(item)
        response = self._call(
            "POST",
            "/api/v2/media",
            files={"file": (item.name, data, item.content_type)},
            data={"description": item.alt_text},
            timeout=self.upload_timeout,
        )
        media_id = str(self._answer(response)["id"])
        attempts = 0
        # 202 means "accepted, still processing"; GET answers 206 until it is done and 200 once it is.
        while response.status_code != 200:
            attempts += 1
            if attempts > self.media_poll_attempts:
                raise self.refusal("server", f"the image {item.name} is still being processed")
            time.sleep(self.media_poll_interval)
            response = self._call("GET", f"/api/v1/media/{media_id}")
        return media_id

    def publish(self, version: PostVersion) -> PublishResult:
        text = self.text_of(version)
        if not text:
            raise self.refusal("invalid", "the post has no text")
        fields = [("status", text), ("visibility", "public")]
        fields += [("media_ids[]", self._upload(item)) for item in version.media]
        response = self._call(
            "POST", "/api/v1/statuses", data=fields, headers={"Idempotency-Key": version.idempotency_key}
        )
        status = self._answer(response)
        return PublishResult(external_id=str(status["id"]), url=str(status.get("url") or status.get("uri") or ""))

    def remove(self, external_id: str) -> None:
        response = self.send("DELETE", f"{self.base_url()}/api/v1/statuses/{external_id}", headers=self._auth())
        if self.succeeded(response) or response.status_code == 404:
            return  # 404: already gone, which is what removal wants
        answer = self.json_of(response)
        raise self.error_for(response, str(answer.get("error", "")) if isinstance(answer, dict) else "")

    def fetch_comments(self, since: datetime | None) -> list[RemoteComment]:
        """Mentions of the account newer than `since`, newest first (at most a few pages per call)."""
        since = aware(since)
        comments: list[RemoteComment] = []
        max_id = None
        for _ in range(MAX_NOTIFICATION_PAGES):
            params = [("types[]", "mention"), ("limit", str(NOTIFICATION_PAGE))]
            if max_id:
                params.append(("max_id", max_id))
            page = self.json_of(self._call("GET", "/api/v1/notifications", params=params))
            if not isinstance(page, list) or not page:
                break
            reached_since = False
            for notification in page:
                created = parse_time(notification.get("created_at"))
                if since and created and created < since:
                    reached_since = True
                    break
                comment = self._comment(notification)
                if comment:
                    comments.append(comment)
            if reached_since or len(page) < NOTIFICATION_PAGE:
                break
            max_id = str(page[-1].get("id", ""))
        return comments

    @staticmethod
    def _comment(notification: dict) -> RemoteComment | None:
        status = notification.get("status") or {}
        account = notification.get("account") or status.get("account") or {}
        created = parse_time(status.get("created_at") or notification.get("created_at"))
        if notification.get("type") != "mention" or not status.get("id") or created is None:
            return None
        return RemoteComment(
            external_id=str(status["id"]),
            author_name=str(account.get("display_name") or account.get("username") or "")[:100],
            author_handle=f"@{account['acct']}" if account.get("acct") else "",
            text=plain_text(status.get("content", "")),
            created_at=created,
            url=str(status.get("url") or ""),
            in_reply_to=str(status.get("in_reply_to_id") or ""),
        )

    def fetch_metrics(self, external_id: str) -> Metrics:
        status = self._answer(self._call("GET", f"/api/v1/statuses/{external_id}"))
        raw = {k: status.get(k) for k in ("favourites_count", "reblogs_count", "replies_count")}
        return Metrics(
            reactions=raw["favourites_count"], shares=raw["reblogs_count"], replies=raw["replies_count"], raw=raw
        )
