from django.utils import timezone

from posts.models import Post, Publication
from posts.publishing.base import PostVersion


def version(**overrides) -> PostVersion:
    fields = {
        "post_id": 7,
        "version": 1,
        "title": "Night Out",
        "idempotency_key": "key-0001",
        "body": "Join us for National Night Out on August 4 at Miles Avenue Park.",
        "canonical_url": "https://police.example.gov/news/7-night-out/",
    }
    fields.update(overrides)
    return PostVersion(**fields)


def published_on(adapter, author, body: str, *, title: str = "Road closure") -> tuple[Post, Publication]:
    """A post published through `adapter` to its platform's fake, with the Publication socialgov keeps for it."""
    post = Post.objects.create(
        title=title,
        body=body,
        category="crime_prevention",
        author=author,
        status=Post.Status.PUBLISHED,
        approved_at=timezone.now(),
        published_at=timezone.now(),
    )
    key = f"{adapter.channel.kind}-{post.pk}"
    result = adapter.publish(version(post_id=post.pk, body=body, idempotency_key=key))
    publication = Publication.objects.create(
        post=post,
        channel=adapter.channel,
        post_version=post.version,
        idempotency_key=key,
        status=Publication.Status.PUBLISHED,
        external_id=result.external_id,
        url=result.url,
        published_at=timezone.now(),
    )
    return post, publication
