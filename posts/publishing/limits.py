"""Whether a post fits each platform it is going to: text length by the platform's own way of counting, and the
number, formats and sizes of images and videos. Each adapter declares its `limits` (a PlatformLimits).

A post that does not fit would be cut, or refused at the moment of sending, so what the public saw would not be
what was approved: it is refused before approval instead (385.5(g)), and the draft page warns before submitting.
"""

import re
import unicodedata
from dataclasses import dataclass

from twitter_text import parse_tweet

from members.permissions import Reason

from ..video import running_time
from .base import PlatformLimits, adapter_class

SECTION = "385.5(g)"
LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def limits_for(kind: str) -> PlatformLimits | None:
    cls = adapter_class(kind)
    return getattr(cls, "limits", None) if cls else None


def published_text(body: str, translation_body: str = "") -> str:
    """What a platform shows: the body, then its translation (the title is internal), as the adapters send it."""
    text = (body or "").strip()
    if (translation_body or "").strip():
        text = f"{text}\n\n{translation_body.strip()}"
    return text


def measure(limits: PlatformLimits, text: str) -> int:
    """The length the platform counts for `text`."""
    text = unicodedata.normalize("NFC", text or "")
    if limits.counting == "x":
        # X's own rules (twitter-text v3): weighted code points, every link 23, emoji sequences as one.
        return parse_tweet(text).weightedLength
    if limits.counting == "links":
        links = LINK.findall(text)
        return len(LINK.sub("", text)) + limits.url_length * len(links)
    return len(text)


@dataclass(frozen=True)
class Fit:
    """How a text measures on one channel, for the draft page's preview."""

    channel_id: int
    channel_name: str
    kind: str
    platform: str
    length: int
    limit: int | None
    problems: tuple[str, ...]

    @property
    def fits(self) -> bool:
        return not self.problems

    @property
    def over_by(self) -> int:
        return max(0, self.length - self.limit) if self.limit else 0


def _media_kind(attachment) -> str:
    return str(getattr(attachment, "kind", "") or "")


def media_problems(limits: PlatformLimits, attachments) -> list[str]:
    """What in `attachments` (Attachment rows, or anything with kind, content_type, size, original_name, alt_text
    and, for a video, duration_seconds) the platform would not take. A video whose running time is not known is
    not refused for it: the platform decides at sending."""
    problems = []
    images = [a for a in attachments if _media_kind(a) == "image"]
    videos = [a for a in attachments if _media_kind(a) == "video"]
    others = [a for a in attachments if _media_kind(a) not in {"image", "video"}]
    platform = limits.name
    if others:
        names = ", ".join(a.original_name for a in others)
        problems.append(f"{platform} takes images and video only, not {names}.")
    if len(images) > limits.max_images:
        problems.append(
            f"{platform} takes at most {limits.max_images} image{'s' if limits.max_images != 1 else ''} in a post; "
            f"this one has {len(images)}."
            if limits.max_images
            else f"{platform} does not take images from socialgov."
        )
    if len(videos) > limits.max_videos:
        problems.append(
            f"{platform} takes at most {limits.max_videos} video{'s' if limits.max_videos != 1 else ''} in a post; "
            f"this one has {len(videos)}."
            if limits.max_videos
            else f"{platform} does not take videos from socialgov."
        )
    if images and videos and not limits.images_with_video:
        problems.append(f"{platform} does not take images and a video in the same post.")
    for item in images:
        if limits.image_types and item.content_type not in limits.image_types:
            problems.append(f"{platform} does not take {item.content_type} images ({item.original_name}).")
        if limits.max_image_bytes and item.size > limits.max_image_bytes:
            problems.append(
                f"{item.original_name} is {_size(item.size)}; {platform} takes images up to "
                f"{_size(limits.max_image_bytes)}."
            )
        if limits.max_alt_text and len(item.alt_text or "") > limits.max_alt_text:
            problems.append(
                f"The alt text of {item.original_name} has {len(item.alt_text)} characters; {platform} takes "
                f"{limits.max_alt_text}."
            )
    for item in videos:
        if limits.video_types and item.content_type not in limits.video_types:
            problems.append(f"{platform} does not take {item.content_type} video ({item.original_name}).")
        if limits.max_video_bytes and item.size > limits.max_video_bytes:
            problems.append(
                f"{item.original_name} is {_size(item.size)}; {platform} takes videos up to "
                f"{_size(limits.max_video_bytes)}."
            )
        seconds = getattr(item, "duration_seconds", None)
        if limits.max_video_seconds and seconds and seconds > limits.max_video_seconds:
            problems.append(
                f"{item.original_name} runs {running_time(seconds)}; {platform} takes videos up to "
                f"{running_time(limits.max_video_seconds)}."
            )
    return problems


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, size // 1000)} kB"


def fit(channel, text: str, attachments=()) -> Fit | None:
    """How `text` and `attachments` fit `channel`, or None when socialgov checks no limits for its kind."""
    limits = limits_for(channel.kind)
    if limits is None:
        return None
    length = measure(limits, text)
    problems = []
    if limits.max_characters and length > limits.max_characters:
        rule = {
            "x": " by X's count (links count 23, most emoji and CJK characters 2)",
            "links": f" (links count {limits.url_length})",
        }.get(limits.counting, "")
        problems.append(
            f"{limits.name} allows {limits.max_characters:,} characters and this post counts {length:,}{rule}: "
            f"{length - limits.max_characters:,} too many."
        )
    problems += media_problems(limits, attachments)
    return Fit(
        channel_id=channel.pk,
        channel_name=channel.name,
        kind=channel.kind,
        platform=limits.name,
        length=length,
        limit=limits.max_characters,
        problems=tuple(problems),
    )


def fits_for(post, channels=None) -> list[Fit]:
    """How the post fits each of its channels (or `channels`), those with limits only."""
    channels = list(post.channels.all()) if channels is None else list(channels)
    text = published_text(post.body, post.translation_body)
    attachments = list(post.attachments.all()) if post.pk else []
    return [f for f in (fit(channel, text, attachments) for channel in channels) if f is not None]


def limit_refusals(post, channels=None) -> list[Reason]:
    """Why the post cannot go to its channels as it is: one reason per problem, naming the channel."""
    return [
        Reason(SECTION, "platform_limit", f"{f.channel_name}: {problem}")
        for f in fits_for(post, channels)
        for problem in f.problems
    ]
