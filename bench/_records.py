"""Records for the capacity bench: the search bench's rows (same kinds, Zipf text, dates, channels and authors),
carrying content in the captured format instead of a placeholder, so the table's size per record is that of
captured records: a post as `retention.content.post_record_content` writes it (publications, a review with a
finding, three revisions; one post or incident update in ten with one of 100 photos, as bench/export.py models
it), a comment as `comment_content`, a removed comment with its removal, a report and an engagement figure.

Import after Django is set up (bench/search.py sets it up when imported).
"""

from search import Builder

PHOTO_EVERY = 10  # one post in ten carries a photo
PHOTOS = 100  # distinct photos, content-addressed: the same photo is stored once however many records hold it


def photo_for(source_id: int, kind: str) -> int | None:
    """Which of the PHOTOS a record holds (its index), or None."""
    if kind in ("post", "incident_update") and source_id % PHOTO_EVERY == 0:
        return (source_id // PHOTO_EVERY) % PHOTOS
    return None


class ContentBuilder(Builder):
    """`photos` are (sha256, size) of the PHOTOS stored photos, in index order."""

    def __init__(self, total: int, photos: list[tuple[str, int]]):
        super().__init__(total)
        self.photos = photos

    def row(self, i, series, schedule):
        row = super().row(i, series, schedule)
        row["content"] = content = self.content(i, row)
        row["sha256"] = self.hash_of(content)
        return row

    def content(self, i: int, row: dict) -> dict:
        kind, when = row["kind"], (row["published_at"] or row["captured_at"]).isoformat()
        channels = row["channel_slugs"]
        if kind in ("comment", "removed_comment"):
            content = {
                "comment_id": i,
                "channel": channels[0],
                "post_id": max(i - 7, 0),
                "author_name": row["author_username"],
                "author_handle": "",
                "text": row["text"],
                "url": "",
                "created_at": when,
                "external_id": f"{channels[0]}-{i}",
                "screening": [],
            }
            if kind == "removed_comment":
                content.update(
                    {"removed_at": when, "reason": "threat", "note": "Removed under 385.5.1", "removed_by": "smo"}
                )
            return content
        if kind == "metrics":
            return {
                "channel": channels[0],
                "date": when[:10],
                "publications": [
                    {"post_id": max(i - n, 0), "impressions": 100 + i % 997, "likes": i % 37, "shares": i % 11}
                    for n in range(3)
                ],
            }
        if kind == "report":
            return {
                "report_id": i,
                "reported_by": row["author_username"],
                "about": {"post_id": max(i - 3, 0)},
                "reason": row["text"],
                "status": "resolved",
                "created_at": when,
            }
        photo = photo_for(i, kind)
        revision = {
            "at": when,
            "by": row["author_username"],
            "reason": "Draft created",
            "version": 1,
            "status": "draft",
            "title": row["title"],
            "body": row["text"],
            "translation_body": "",
        }
        return {
            "post_id": i,
            "version": 1,
            "title": row["title"],
            "body": row["text"],
            "category": "traffic",
            "translation_language": "",
            "translation_body": "",
            "channels": channels,
            "incident": {"id": 1 + i % 50, "name": "Incident", "update": 1} if kind == "incident_update" else None,
            "author": row["author_username"],
            "approval_path": "supervisor",
            "approved_by": "supervisor",
            "approved_at": when,
            "published_by": row["author_username"],
            "published_at": when,
            "publications": [
                {
                    "channel": channel,
                    "status": "published",
                    "external_id": f"{channel}-{i}",
                    "url": f"https://police.example.gov/{channel}/{i}/",
                    "published_at": when,
                    "version": 1,
                }
                for channel in channels
            ],
            "media": []
            if photo is None
            else [
                {
                    "sha256": self.photos[photo][0],
                    "name": "photo.png",
                    "content_type": "image/png",
                    "alt_text": "Crews at the scene",
                    "size": self.photos[photo][1],
                }
            ],
            "reviews": [
                {
                    "route": "supervisor",
                    "status": "approved",
                    "version": 1,
                    "submitted_by": row["author_username"],
                    "submitted_at": when,
                    "decided_by": "supervisor",
                    "decided_at": when,
                    "note": "",
                    "findings": [
                        {
                            "rule": "a11y.readability",
                            "section": "385.4",
                            "severity": "info",
                            "excerpt": "",
                            "explanation": "Grade 9 reading level.",
                            "acknowledged_by": None,
                            "acknowledged_at": None,
                        }
                    ],
                    "comments": [],
                }
            ],
            "revisions": [
                revision,
                {**revision, "reason": "post.submitted", "status": "in_review"},
                {**revision, "reason": "post.published", "status": "published"},
            ],
        }
