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
