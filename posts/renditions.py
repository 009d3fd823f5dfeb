"""Images of published posts as the website shows them: resized copies (renditions) made with Pillow, in WebP,
stored under renditions/ in the default store, without any of the original's metadata; and videos as it serves
them, with their metadata blanked (posts.video_copies).

The original upload is never served: a phone photo carries the camera's EXIF block, often with the GPS position
where it was taken (a victim's street, an officer's home). Each rendition is drawn afresh from the pixels only.
Renditions are made when the website adapter publishes a post, and on first request for any that are missing (a
post published before this existed, or storage that was emptied).
"""

import io
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from . import video_copies
from .models import Attachment

log = logging.getLogger(__name__)

# Phone, tablet/laptop and wide screens; never wider than the original (nothing is enlarged).
WIDTHS = (480, 960, 1600)
CONTENT_TYPE = "image/webp"
SUFFIX = "webp"
QUALITY = 80
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height
_PLAN_KEY = "public:rendition-plan:{sha}"


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int


def digest(attachment: Attachment) -> str:
    """The part of the content hash that goes into media addresses: a changed file can never reuse an address."""
    return attachment.sha256[:16]


def storage_name(attachment: Attachment, width: int) -> str:
    return f"renditions/{attachment.pk}/{digest(attachment)}-{width}.{SUFFIX}"


def _upright_size(image: Image.Image) -> tuple[int, int]:
    width, height = image.size
    if image.getexif().get(0x0112) in _ROTATED:
        return height, width
    return width, height


def plan(attachment: Attachment) -> list[Rendition]:
    """The renditions this image has, smallest first; [] when the file cannot be read as an image. Cached by
    content hash (an attachment's file never changes), so pages do not open files to build their srcset."""
    key = _PLAN_KEY.format(sha=attachment.sha256)
    found = cache.get(key)
    if found is None:
        try:
            with attachment.file.open("rb") as handle, Image.open(handle) as image:
                width, height = _upright_size(image)
        except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
            log.warning("attachment %s cannot be read as an image; the website leaves it out", attachment.pk)
            found = []
        else:
            widths = sorted({min(w, width) for w in WIDTHS})
            found = [(w, max(1, round(height * w / width))) for w in widths]
        cache.set(key, found, timeout=None)
    return [Rendition(width=w, height=h) for w, h in found]


def _draw(attachment: Attachment, target: Rendition) -> bytes:
    with attachment.file.open("rb") as handle, Image.open(handle) as original:
        original.seek(0)  # an animated GIF shows its first frame
        upright = ImageOps.exif_transpose(original)
        keeps_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        pixels = upright.convert("RGBA" if keeps_alpha else "RGB")
        resized = pixels.resize((target.width, target.height), Image.Resampling.LANCZOS)
    # Nothing of the original travels with the pixels: no EXIF (GPS, camera, time), no XMP, no ICC comment.
    resized.info = {}
    out = io.BytesIO()
    resized.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def ensure(attachment: Attachment, rendition: Rendition) -> str:
    """The storage name of this rendition, drawing it first if it is not stored yet."""
    name = storage_name(attachment, rendition.width)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(_draw(attachment, rendition)))
        if saved != name:
            # Another request drew it at the same moment: keep theirs, drop the duplicate name storage gave ours.
            default_storage.delete(saved)
    return name


def video_name(attachment: Attachment) -> str:
    return f"renditions/{attachment.pk}/{digest(attachment)}-video"


def ensure_video(attachment: Attachment) -> str:
    """The storage name of the video as the website serves it (its metadata blanked, posts.video_copies), made
    first if it is not stored yet."""
    name = video_name(attachment)
    if not default_storage.exists(name):
        with attachment.file.open("rb") as handle:
            copy = video_copies.stripped(handle.read())
        saved = default_storage.save(name, ContentFile(copy))
        if saved != name:
            default_storage.delete(saved)  # made at the same moment by another request: keep theirs
    return name


def prepare_post_images(post_id: int) -> int:
    """Draw every rendition of a post's images, and the served copy of its videos (the website adapter, at
    publication). Returns how many exist."""
    count = 0
    for attachment in Attachment.objects.filter(post_id=post_id, kind=Attachment.Kind.VIDEO).order_by("pk"):
        try:
            ensure_video(attachment)
        except OSError:
            log.warning("the served copy of video attachment %s could not be made", attachment.pk)
        else:
            count += 1
    for attachment in Attachment.objects.filter(post_id=post_id, kind=Attachment.Kind.IMAGE).order_by("pk"):
        for rendition in plan(attachment):
            try:
                ensure(attachment, rendition)
            except (OSError, ValueError, Image.DecompressionBombError):
                # Publishing goes on: the page's first request retries, and the log says which file failed.
                log.warning("rendition %s of attachment %s could not be drawn", rendition.width, attachment.pk)
            else:
                count += 1
    return count


def discard_renditions(attachment_id: int) -> None:
    """Delete an attachment's renditions: they are copies of a record's content, so they go when it leaves public
    view or is destroyed (and are drawn again should the post be published again)."""
    folder = f"renditions/{attachment_id}"
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")


def discard_post_images(post_id: int) -> None:
    for attachment_id in Attachment.objects.filter(post_id=post_id, kind=Attachment.Kind.IMAGE).values_list(
        "pk", flat=True
    ):
        discard_renditions(attachment_id)
