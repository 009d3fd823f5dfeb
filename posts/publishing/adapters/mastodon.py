"""Mastodon: the department's account on a Mastodon instance (API base URL = the instance, https://...).

Statuses are posted with an Idempotency-Key, which Mastodon remembers for about an hour: a retry within that hour
returns the first status instead of posting again. Images and short videos are uploaded first (with their alt text
as the description) and attached by id; a video is processed after upload, so its id is attached once the
instance says it is ready. Public comments are the mentions of the account, fetched from notifications.

Comments: Mastodon does not let one account delete or hide another's post. Hiding or removing a comment therefore
files a report to the moderators of the department's instance (forwarded to the author's own instance when the
author is elsewhere) and leaves a person a to-do: the post stays up until a moderator removes it or its author
deletes it. The author's account can be blocked from the to-do.

The account's own posts are read from its statuses timeline, whoever wrote them and with whatever app, with the
edit history of each edited one. Boosts are left out: they repeat another account's words, not the department's.
"""

import time
from datetime import datetime
from urllib.parse import quote, urlsplit

from ..base import (
    Capability,
    CommentRef,
    Metrics,
    ModerationOutcome,
    PlatformLimits,
    PostVersion,
    PublishResult,
    RemoteComment,
    RemoteMedia,
    RemotePost,
    RemoteVersion,
    register,
)
from ..credentials import CredentialField
from .webhook import HttpAdapter, aware, parse_time, plain_text

NOTIFICATION_PAGE = 40
MAX_NOTIFICATION_PAGES = 5
STATUS_PAGE = 40  # the most the account statuses timeline gives at once
MAX_STATUS_PAGES = 250  # 10,000 statuses: beyond that, reading the account is refused rather than cut short
REPORT_COMMENT_LIMIT = 1000  # Mastodon's default maximum for a report's comment

# The department's reasons (moderation.monitoring.REMOVAL_REASONS) as a report names them, and the category
# Mastodon files the report under. "violation" needs the instance's rule ids, which socialgov does not know, so
# everything that is not spam is "other" and the comment says which policy reason applies.
REPORT_REASONS = {
    "spam": ("spam", "spam"),
    "obscenity": ("other", "obscenity"),
    "off_topic": ("other", "off-topic content"),
    "personal_attack": ("other", "a personal attack"),
    "threat": ("other", "a threat"),
    "personal_information": ("other", "personal information about someone"),
}


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
            Capability.MODERATE_COMMENTS,
            Capability.FETCH_OWN_POSTS,
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
            "read:accounts, read:statuses, read:notifications, write:statuses, write:media, write:reports "
            "and write:blocks.",
        ),
    )
    # Large images and every video are processed after upload; a status can attach them only once they are ready.
    media_poll_interval = 1.0
    media_poll_attempts = 30
    video_poll_attempts = 180  # a short video takes the instance longer than an image

    def __init__(self, channel):
        super().__init__(channel)
        self._account_id = None

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
        video = item.content_type.startswith("video/")
        limit = self.video_poll_attempts if video else self.media_poll_attempts
        attempts = 0
        # 202 means "accepted, still processing"; GET answers 206 until it is done and 200 once it is.
        while response.status_code != 200:
            attempts += 1
            if attempts > limit:
                kind = "video" if video else "image"
                raise self.refusal("server", f"the {kind} {item.name} is still being processed")
            time.sleep(self.media_poll_interval)
            response = self._call("GET", f"/api/v1/media/{quote(media_id, safe='')}")
        return media_id

    def publish(self, version: PostVersion) -> PublishResult:
        text = self.text_of(version)
        if not text:
            raise self.refusal("invalid", "the post has no text")
        body: dict = {"status": text, "visibility": "public"}
        media_ids = [self._upload(item) for item in version.media]
        if media_ids:
            body["media_ids"] = media_ids
        response = self._call(
            "POST", "/api/v1/statuses", json=body, headers={"Idempotency-Key": version.idempotency_key}
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

    # Comments of other accounts --------------------------------------------------------------------------------

    def _instance(self) -> str:
        return urlsplit(self.base_url()).hostname or "the instance"

    def _status(self, status_id: str) -> dict | None:
        """A status as the instance shows it to the account, None when it is gone (deleted, or no longer visible)."""
        response = self.send(
            "GET", f"{self.base_url()}/api/v1/statuses/{quote(status_id, safe='')}", headers=self._auth()
        )
        if response.status_code in (404, 410):
            return None
        if not self.succeeded(response):
            answer = self.json_of(response)
            raise self.error_for(response, str(answer.get("error", "")) if isinstance(answer, dict) else "")
        return self._answer(response)

    def moderate_comment(self, comment: CommentRef, action: str, reason: str) -> ModerationOutcome:
        """Report a comment to the instance's moderators: the only removal the API offers an account."""
        instance = self._instance()
        if action == "show":
            return ModerationOutcome(
                done=True,
                summary=f"Nothing to undo on Mastodon: socialgov never takes a comment down on {instance} itself "
                "(it reports it to the moderators, and a report cannot be withdrawn).",
            )
        if action not in ("hide", "remove"):
            raise self.refusal("invalid", f"unknown action {action!r}")
        status = self._status(comment.external_id)
        if status is None:
            return ModerationOutcome(
                done=True, summary=f"The comment is no longer on {instance}: its author or a moderator deleted it."
            )
        account = status.get("account") or {}
        if not account.get("id"):
            raise self.refusal("invalid", "the comment's status names no account")
        category, words = REPORT_REASONS.get(reason, ("other", reason.replace("_", " ") or "its comment policy"))
        note = (
            f"The {self.channel.name} account reports this reply under its public comment policy: {words}. "
            "It has been removed from the department's own records of the conversation."
        )[:REPORT_COMMENT_LIMIT]
        remote = "@" in str(account.get("acct", ""))
        response = self._call(
            "POST",
            "/api/v1/reports",
            json={
                "account_id": str(account["id"]),
                "status_ids": [str(status["id"])],
                "comment": note,
                "category": category,
                "forward": remote,  # the author's own instance is the one that can take the post down everywhere
            },
        )
        report = self._answer(response)
        handle = comment.author_handle or f"@{account.get('acct', '')}"
        forwarded = f" and forwarded to {str(account['acct']).split('@')[-1]}" if remote else ""
        where = comment.url or str(status.get("url") or "")
        return ModerationOutcome(
            done=False,
            summary=f"Reported to {instance}'s moderators{forwarded} (report {report['id']}, category {category}).",
            todo=(
                f"Mastodon does not let the department delete another account's post: the reply by {handle} stays "
                f"up until {instance}'s moderators remove it or its author deletes it. Check it on Mastodon"
                f"{f' ({where})' if where else ''}; if the account keeps on, block it. Confirm here once it is gone."
            ),
        )

    def block_account(self, comment: CommentRef) -> str:
        """Block the comment's author from the department's account."""
        account_id, handle = "", comment.author_handle
        status = self._status(comment.external_id)
        if status is not None:
            account = status.get("account") or {}
            account_id = str(account.get("id") or "")
            handle = handle or (f"@{account['acct']}" if account.get("acct") else "")
        elif handle:
            # The comment is gone; its author can still be found by their address.
            found = self.send(
                "GET",
                f"{self.base_url()}/api/v1/accounts/lookup",
                params={"acct": handle.lstrip("@")},
                headers=self._auth(),
            )
            if self.succeeded(found):
                account_id = str((self.json_of(found) or {}).get("id") or "")
        if not account_id:
            raise self.refusal("invalid", "the comment and its author's account are no longer on the instance")
        response = self._call("POST", f"/api/v1/accounts/{quote(account_id, safe='')}/block")
        relationship = self._answer(response)
        if relationship.get("blocking") is not True:
            raise self.refusal("invalid", f"the instance did not confirm blocking {handle or 'the account'}")
        return (
            f"Blocked {handle or 'the account'} on {self._instance()}: it can no longer follow, mention or reply "
            "to the department's account there."
        )

    # The account's own posts -------------------------------------------------------------------------------------

    def account_id(self) -> str:
        if self._account_id is None:
            known = str(self.channel.external_account_id or "").strip()
            if not known:
                me = self._answer(self._call("GET", "/api/v1/accounts/verify_credentials"))
                known = str(me["id"])
            self._account_id = known
        return self._account_id

    def fetch_own_posts(self, since: datetime) -> list[RemotePost]:
        """Every status of the account created since `since`, newest first, with the edit history of each edited
        one. Boosts are left out (another account's words); replies the account wrote are kept."""
        since = aware(since)
        path = f"/api/v1/accounts/{quote(self.account_id(), safe='')}/statuses"
        posts: list[RemotePost] = []
        max_id = None
        for _ in range(MAX_STATUS_PAGES):
            params = [("limit", str(STATUS_PAGE)), ("exclude_reblogs", "true")]
            if max_id:
                params.append(("max_id", max_id))
            page = self.json_of(self._call("GET", path, params=params))
            if not isinstance(page, list):
                raise self.refusal("invalid", "the account's statuses were not a list")
            reached_since = False
            for status in page:
                created = parse_time(status.get("created_at"))
                if created is None or not status.get("id"):
                    continue
                if since and created < since:
                    reached_since = True
                    break
                if status.get("reblog"):
                    continue
                posts.append(self._own_post(status))
            if reached_since or len(page) < STATUS_PAGE:
                return posts
            next_max = str(page[-1].get("id", ""))
            if not next_max or next_max == max_id:
                raise self.refusal("invalid", "the account's statuses did not page on")
            max_id = next_max
        raise self.refusal("invalid", f"the account has more than {MAX_STATUS_PAGES * STATUS_PAGE} statuses to read")

    @staticmethod
    def _text(item: dict) -> str:
        """What a reader sees: the content warning, if any, above the text."""
        text = plain_text(item.get("content", ""))
        warning = str(item.get("spoiler_text") or "").strip()
        return f"{warning}\n\n{text}".strip() if warning else text

    @staticmethod
    def _media(item: dict) -> tuple[RemoteMedia, ...]:
        return tuple(
            RemoteMedia(
                url=str(m.get("url") or m.get("remote_url") or m.get("preview_url") or ""),
                kind=str(m.get("type") or "unknown"),
                description=str(m.get("description") or ""),
            )
            for m in item.get("media_attachments") or []
        )

    def _own_post(self, status: dict) -> RemotePost:
        edited_at = parse_time(status.get("edited_at"))
        history: tuple[RemoteVersion, ...] = ()
        if edited_at is not None:
            history = self._history(str(status["id"]))
        application = status.get("application") or {}
        return RemotePost(
            external_id=str(status["id"]),
            text=self._text(status),
            created_at=parse_time(status["created_at"]),
            url=str(status.get("url") or status.get("uri") or ""),
            edited_at=edited_at,
            media=self._media(status),
            history=history,
            raw={
                "visibility": status.get("visibility"),
                "in_reply_to_id": status.get("in_reply_to_id"),
                "application": application.get("name") if isinstance(application, dict) else None,
                "spoiler_text": status.get("spoiler_text") or "",
            },
        )

    def _history(self, status_id: str) -> tuple[RemoteVersion, ...]:
        """Earlier wordings, oldest first. Mastodon lists the original and every edit, the current one last."""
        revisions = self.json_of(self._call("GET", f"/api/v1/statuses/{quote(status_id, safe='')}/history"))
        if not isinstance(revisions, list):
            raise self.refusal("invalid", "the status's edit history was not a list")
        return tuple(
            RemoteVersion(
                text=self._text(revision), edited_at=parse_time(revision.get("created_at")), media=self._media(revision)
            )
            for revision in revisions[:-1]
        )
