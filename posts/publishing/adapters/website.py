"""The department website: the one channel this product hosts itself (/news/)."""

from django.conf import settings
from django.utils.text import slugify

from posts.models import PostView
from posts.renditions import discard_post_images, prepare_post_images

from ..base import Capability, Metrics, PostVersion, PublishResult, register


def public_slug(post_id: int, title: str) -> str:
    return f"{post_id}-{slugify(title)[:60]}".rstrip("-")


@register("website")
class WebsiteAdapter:
    capabilities = frozenset({Capability.PUBLISH, Capability.REMOVE, Capability.IDEMPOTENT, Capability.FETCH_METRICS})

    def __init__(self, channel):
        self.channel = channel

    def publish(self, version: PostVersion) -> PublishResult:
        # Publishing here is the Publication row itself: the public pages list what is published. The identifier
        # is the post's number: the address carries the headline, which is content (destroyed with its record).
        slug = public_slug(version.post_id, version.title)
        # The images' web renditions are drawn now, so the first visitor does not wait for them (and never gets the
        # original upload, with its metadata, instead).
        prepare_post_images(version.post_id)
        return PublishResult(external_id=str(version.post_id), url=f"{settings.SITE_URL}/news/{slug}/")

    def find(self, idempotency_key: str):
        return None

    def remove(self, external_id: str) -> None:
        # The public pages show only posts that are published and not removed, and the media view answers 404 for
        # them already; the images' renditions (copies, drawn again if the post returns) need not stay on disk.
        discard_post_images(int(external_id.split("-", 1)[0]))

    def fetch_comments(self, since):
        return []  # comments arrive through the site's own form

    def fetch_metrics(self, external_id: str) -> Metrics:

        post_id = int(external_id.split("-", 1)[0])
        views = sum(PostView.objects.filter(post_id=post_id).values_list("views", flat=True))
        return Metrics(reach=views, raw={"views": views})
