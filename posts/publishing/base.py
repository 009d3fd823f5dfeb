"""The adapter protocol every channel kind implements. Adding a platform means adding one module under
`posts/publishing/adapters/` that registers its class with `@register("kind")`."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class Capability:
    PUBLISH = "publish"
    REMOVE = "remove"  # delete or hide on the platform
    FETCH_COMMENTS = "fetch_comments"
    FETCH_METRICS = "fetch_metrics"
    IDEMPOTENT = "idempotent"  # the platform honours an idempotency key: a retried publish is not a second post
    LOOKUP = "lookup"  # can find an earlier publish by our idempotency key (reconciliation before re-posting)
    MODERATE_COMMENTS = "moderate_comments"  # acts on a comment on the platform (hide, delete, report...)
    FETCH_OWN_POSTS = "fetch_own_posts"  # lists the account's own posts, wherever they were made, with edits
    RENEW_CREDENTIALS = "renew_credentials"  # exchanges what it holds for fresh credentials before they expire


@dataclass(frozen=True)
class MediaItem:
    name: str
    content_type: str
    file: str  # its name in the store it is kept in (any machine reads it from there)
    alt_text: str = ""
    store: str = "default"

    def read(self) -> bytes:
        from django.core.files.storage import storages

        with storages[self.store].open(self.file, "rb") as handle:
            return handle.read()


@dataclass(frozen=True)
class PostVersion:
    """What is published: one version of one post, with the key that makes publishing it idempotent."""

    post_id: int
    version: int
    title: str
    body: str
    idempotency_key: str
    canonical_url: str = ""  # the post's page on the department website
    translation_language: str = ""
    translation_body: str = ""
    media: tuple[MediaItem, ...] = ()


@dataclass(frozen=True)
class PublishResult:
    external_id: str
    url: str


@dataclass(frozen=True)
class RemoteComment:
    external_id: str
    author_name: str
    author_handle: str
    text: str
    created_at: datetime
    url: str = ""
    in_reply_to: str = ""  # external id of the publication it answers


@dataclass(frozen=True)
class Metrics:
    reach: int | None = None
    reactions: int | None = None
    shares: int | None = None
    replies: int | None = None
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CommentRef:
    """A public comment as the platform knows it, for acting on it there."""

    external_id: str
    author_handle: str = ""
    in_reply_to: str = ""  # external id of the department's post it answers
    url: str = ""


@dataclass(frozen=True)
class ModerationOutcome:
    """What the platform did with a hide or a removal decided in socialgov. `todo` says what a person still has
    to do by hand there (empty when nothing): it becomes a to-do on /removals/."""

    done: bool
    summary: str
    todo: str = ""


@dataclass(frozen=True)
class RemoteMedia:
    url: str
    kind: str = "image"  # image, video, gifv, audio, unknown
    description: str = ""


@dataclass(frozen=True)
class RemoteVersion:
    """One earlier wording of a post, as the platform's edit history keeps it."""

    text: str
    edited_at: datetime | None = None
    media: tuple[RemoteMedia, ...] = ()


@dataclass(frozen=True)
class RemotePost:
    """A post on the department's own account, whoever made it and with whatever tool."""

    external_id: str
    text: str
    created_at: datetime
    url: str = ""
    edited_at: datetime | None = None  # the platform's time of the latest edit, None if never edited
    media: tuple[RemoteMedia, ...] = ()
    history: tuple[RemoteVersion, ...] = ()  # earlier wordings, oldest first, where the platform keeps them
    # Other ids the platform knows the same post by, which socialgov may have kept for it (a Facebook video post:
    # the video's own id, kept when the post's id could not be read at publishing).
    also_known_as: tuple[str, ...] = ()
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Renewal:
    """Fresh credentials from a platform, to be stored encrypted in place of the old ones."""

    credentials: dict
    expires_at: datetime | None  # when the new access stops working unless renewed again; None: no expiry


@dataclass(frozen=True)
class PlatformLimits:
    """What a platform accepts in one post. Checked before approval (a post that does not fit would be cut or
    refused, so what appears would not be what was approved) and shown on the draft page."""

    name: str
    max_characters: int | None = None
    counting: str = "plain"  # "plain": characters as written; "links": links count `url_length`; "x": weighted
    url_length: int = 23
    max_images: int = 0
    max_videos: int = 0
    images_with_video: bool = False
    image_types: frozenset[str] = frozenset()
    max_image_bytes: int | None = None
    video_types: frozenset[str] = frozenset()
    max_video_bytes: int | None = None
    max_video_seconds: int | None = None
    max_alt_text: int | None = None


class AdapterError(Exception):
    """A platform refused or failed. `permanent` errors stop and show on the post with the platform's message;
    others are retried with exponential backoff (`retry_after` seconds when the platform says so)."""

    def __init__(self, message: str, *, permanent: bool, code: str = "error", retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.code = code  # "auth", "rate_limited", "duplicate", "invalid", "server", "network"
        self.retry_after = retry_after


class Adapter(Protocol):
    kind: str
    capabilities: frozenset[str]

    def __init__(self, channel): ...

    def publish(self, version: PostVersion) -> PublishResult: ...

    def find(self, idempotency_key: str) -> PublishResult | None: ...

    def remove(self, external_id: str) -> None: ...

    def fetch_comments(self, since: datetime | None) -> list[RemoteComment]: ...

    def fetch_metrics(self, external_id: str) -> Metrics: ...

    # Optional, each behind its capability:
    # MODERATE_COMMENTS: moderate_comment(comment: CommentRef, action: "hide" | "remove" | "show", reason: str)
    #                    -> ModerationOutcome
    # FETCH_OWN_POSTS:   fetch_own_posts(since: datetime) -> list[RemotePost], every post of the account created
    #                    since then, newest first, paging as far as needed (a post missing from it was deleted)
    # RENEW_CREDENTIALS: renew_credentials() -> Renewal, and `renew_ahead` (timedelta): how long before expiry
    # `limits`:          PlatformLimits, or None when the platform sets none that socialgov checks


_ADAPTERS: dict[str, type] = {}


def register(kind: str):
    def decorator(cls):
        cls.kind = kind
        _ADAPTERS[kind] = cls
        return cls

    return decorator


def _load():
    from . import adapters  # noqa: F401  (cycle: each adapter imports this module to register itself)


def adapter_class(kind: str):
    _load()
    return _ADAPTERS.get(kind)


def adapter_for(channel) -> Adapter | None:
    cls = adapter_class(channel.kind)
    return cls(channel) if cls else None


# A platform without an API: the approved text goes to a person's to-do list, who posts it and confirms.
MANUAL_KIND = "manual"


def publishable_kinds() -> list[str]:
    """The channel types socialgov can publish to: those with an adapter, and posting by hand."""
    _load()
    return [*sorted(_ADAPTERS), MANUAL_KIND]


def capabilities_of(kind: str) -> frozenset[str]:
    cls = adapter_class(kind)
    return frozenset(cls.capabilities) if cls else frozenset()
