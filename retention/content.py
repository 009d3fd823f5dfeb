"""The captured content of a record, defined once. Both capture paths (one post at a time in `services`, many at
once in `batch`) build it here from rows they loaded their own way, so a record hashes the same either way."""


def when(value):
    return value.isoformat() if value else None


def review_entry(review) -> dict:
    """A review with its findings and comments (prefetched: findings__acknowledged_by,
    findings__exception__cleared_by, comments__author)."""
    return {
        "route": review.route,
        "status": review.status,
        "version": review.post_version,
        "submitted_by": review.submitted_by.get_username(),
        "submitted_at": when(review.submitted_at),
        "decided_by": review.decided_by.get_username() if review.decided_by else None,
        "decided_at": when(review.decided_at),
        "note": review.note,
        "findings": [
            {
                "rule": f.rule_id,
                "section": f.section,
                "severity": f.severity,
                "excerpt": f.excerpt,
                "explanation": f.explanation,
                "acknowledged_by": f.acknowledged_by.get_username() if f.acknowledged_by else None,
                "acknowledged_at": when(f.acknowledged_at),
                "field": f.field,
                "reviewed_not_a_violation": exception_entry(f.exception),
            }
            for f in review.findings.all()
        ],
        "comments": [
            {"by": c.author.get_username(), "at": when(c.created_at), "quote": c.quote, "body": c.body}
            for c in review.comments.all()
        ],
    }


def exception_entry(exception) -> dict | None:
    """A supervisor's "reviewed: not a violation" on a finding, as the record keeps it."""
    if exception is None:
        return None
    return {
        "by": exception.cleared_by.get_username(),
        "at": when(exception.cleared_at),
        "reason": exception.reason,
        "post_version": exception.post_version,
        "text_sha256": exception.text_sha256,
    }


def revision_entry(history) -> dict:
    """One django-simple-history row of a post."""
    return {
        "at": when(history.history_date),
        "by": history.history_user.get_username() if history.history_user else None,
        "reason": history.history_change_reason or "",
        "version": history.version,
        "status": history.status,
        "title": history.title,
        "body": history.body,
        "translation_body": history.translation_body,
    }


def publication_entry(publication) -> dict:
    return {
        "channel": publication.channel.slug,
        "status": publication.status,
        "external_id": publication.external_id,
        "url": publication.url,
        "published_at": when(publication.published_at),
        "version": publication.post_version,
    }


def post_record_content(post, *, publications, reviews, revisions, media_digests: dict[int, str]) -> dict:
    """`publications` ordered by channel slug and version, `reviews` by submission; `revisions` are entries;
    `media_digests` maps attachment id to the SHA-256 of its stored file."""
    return {
        "post_id": post.pk,
        "version": post.version,
        "title": post.title,
        "body": post.body,
        "category": post.category,
        "translation_language": post.translation_language,
        "translation_body": post.translation_body,
        "channels": sorted(c.slug for c in post.channels.all()),
        "incident": {"id": post.incident_id, "name": post.incident.name, "update": post.update_number}
        if post.incident_id
        else None,
        "author": post.author.get_username(),
        "approval_path": post.approval_path,
        "approved_by": post.approved_by.get_username() if post.approved_by else None,
        "approved_at": when(post.approved_at),
        "published_by": post.published_by.get_username() if post.published_by else None,
        "published_at": when(post.published_at),
        "publications": [publication_entry(p) for p in publications],
        "media": [
            {
                "sha256": media_digests[a.pk],
                "name": a.original_name,
                "content_type": a.content_type,
                "alt_text": a.alt_text,
                "size": a.size,
            }
            for a in post.attachments.all()
        ],
        "reviews": [review_entry(r) for r in reviews],
        "revisions": revisions,
    }


def comment_content(comment, stage: str) -> dict:
    """A comment (loaded with its channel, screening and remover), as received or as removed."""
    content = {
        "comment_id": comment.pk,
        "channel": comment.channel.slug,
        "post_id": comment.post_id,
        "author_name": comment.author_name,
        "author_handle": comment.author_handle,
        "text": comment.text,
        "url": comment.url,
        "created_at": when(comment.created_at),
        "external_id": comment.external_id,
        "screening": getattr(getattr(comment, "screening", None), "findings", []),
    }
    if stage == "removed":
        content.update(
            {
                "removed_at": when(comment.removed_at),
                "reason": comment.removal_reason,
                "note": comment.removal_note,
                "removed_by": comment.removed_by.get_username() if comment.removed_by else None,
            }
        )
    return content
