"""Capturing many published posts and comments at once (385.5.1(a), 385.7).

The per-object path in `services` issues dozens of queries per post; a backlog (a broker outage, an import, the
first run on an old site) then takes hours. Here a batch costs a constant number of queries whatever its size:
everything a record holds is prefetched, the records go in with one INSERT that skips versions already captured
(the unique constraint keeps capture idempotent, even against a second worker on the same posts), already filed
under their series, and the audit chain gets one event per batch: the chain is serialized by a lock, and an event
per record would make it the bottleneck.

The content built here must be exactly what `services.post_record_with_media` and `services.capture_comment` build, so a
record hashes the same whichever path captured it (pinned by tests/retention/test_batch.py).
"""

import hashlib
from collections import defaultdict

from celery import shared_task
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from core import storage as stores
from core.audit import record_event
from core.queueing import enqueue
from moderation.models import Review, ReviewComment, ReviewFinding
from posts.models import Comment, Post, Publication

from . import content as content_format
from . import media as media_store
from . import services
from .models import ClassificationRule, MediaBlob, Record, RecordKind, RetentionSchedule

POST = "posts.post"
COMMENT = "posts.comment"
CHUNK = 500


# Content, built from prefetched rows ------------------------------------------------------------------------


def _captured(source_type: str, source_ids, versions=None) -> set[tuple[int, str]]:
    # An explicit IN list on the unique index, not an anti-join: with many records the planner may hash-join the
    # whole table for every batch.
    found = Record.objects.filter(source_type=source_type, source_id__in=list(source_ids))
    if versions is not None:
        found = found.filter(source_version__in=versions)
    return set(found.values_list("source_id", "source_version"))


def _published_posts(post_ids):
    versions = dict(Post.objects.filter(pk__in=post_ids, published_at__isnull=False).values_list("pk", "version"))
    captured = _captured(POST, versions, {f"v{v}" for v in versions.values()})
    missing = [pk for pk, version in versions.items() if (pk, f"v{version}") not in captured]
    if not missing:
        return []
    reviews = (
        Review.objects.select_related("submitted_by", "decided_by")
        .order_by("submitted_at", "pk")
        .prefetch_related(
            Prefetch("findings", ReviewFinding.objects.select_related("acknowledged_by", "exception__cleared_by")),
            Prefetch("comments", ReviewComment.objects.select_related("author")),
        )
    )
    return list(
        Post.objects.filter(pk__in=missing)
        .select_related("author", "approved_by", "published_by", "incident")
        .prefetch_related(
            "channels",
            "attachments",
            Prefetch(
                "publications",
                queryset=Publication.objects.select_related("channel").order_by("channel__slug", "post_version"),
            ),
            Prefetch("reviews", queryset=reviews),
        )
        .order_by("pk")
    )


def _revisions_by_post(post_ids) -> dict[int, list[dict]]:
    revisions = defaultdict(list)
    history = Post.history.model.objects.filter(id__in=post_ids).select_related("history_user").order_by("history_id")
    for h in history:
        revisions[h.id].append(content_format.revision_entry(h))
    return revisions


def _store_media(posts) -> dict[int, str]:
    """Content-addressed like `services._store_media`: each distinct file stored once, found by its SHA-256.
    Returns attachment id -> digest."""
    digests, new = {}, {}
    attachments = [attachment for post in posts for attachment in post.attachments.all()]

    def read(attachment) -> bytes:
        with attachment.file.open("rb") as handle:
            return handle.read()

    contents = stores.each(read, attachments, storage=attachments[0].file.storage) if attachments else []
    for attachment, data in zip(attachments, contents, strict=True):
        digest = hashlib.sha256(data).hexdigest()
        digests[attachment.pk] = digest
        new.setdefault(digest, (data, attachment.content_type))
    if not new:
        return digests
    for digest, disposed_at in MediaBlob.objects.filter(sha256__in=list(new)).values_list("sha256", "disposed_at"):
        data, content_type = new.pop(digest)
        if disposed_at is not None:  # rare: captured again while its disposed object waits for its lock to end
            media_store.store(data, content_type=content_type, digest=digest)
    media_store.store_many(new)  # written once and locked, as one at a time
    return digests


def _post_record_content(post: Post, revisions: list[dict], digests: dict[int, str]) -> dict:
    return content_format.post_record_content(
        post,
        publications=post.publications.all(),
        reviews=post.reviews.all(),
        revisions=revisions,
        media_digests=digests,
    )


comment_content = content_format.comment_content


# Storing and filing -----------------------------------------------------------------------------------------


def _record(
    *,
    kind,
    source_type,
    source_id,
    source_version,
    published_at,
    channel_slugs,
    author,
    title,
    text,
    content,
    captured_at,
    parent_id=None,
) -> Record:
    return Record(
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        source_version=source_version,
        captured_at=captured_at,
        published_at=published_at,
        channel_slugs=sorted(channel_slugs),
        author_username=author or "",
        title=(title or "")[:300],
        text=text or "",
        content=content,
        sha256=Record.hash_of(content),
        parent_id=parent_id,
    )


def _insert(records: list[Record], source_type: str, captured_at) -> list[tuple[int, int, str, str]]:
    """Insert what is not captured yet; return (pk, source_id, kind, sha256) of the rows this call inserted.

    Rows skipped on conflict were captured by someone else meanwhile; they carry another capture time."""
    Record.objects.bulk_create(records, batch_size=CHUNK, ignore_conflicts=True)
    return list(
        Record.objects.filter(
            source_type=source_type, source_id__in=[r.source_id for r in records], captured_at=captured_at
        )
        .order_by("pk")
        .values_list("pk", "source_id", "kind", "sha256")
    )


class Filing:
    """`services.classify` for many records, decided before they are inserted: the first matching rule's series
    and that series' current schedule. Filing on insert rather than by a later UPDATE writes each row once (an
    UPDATE rewrites the whole row, and the immutability trigger compares every captured column)."""

    def __init__(self):
        self.rules = list(ClassificationRule.objects.order_by("position", "pk"))
        self.current = {}
        for schedule in RetentionSchedule.objects.filter(
            series_id__in={r.series_id for r in self.rules}, superseded_at__isnull=True
        ).order_by("-version"):
            self.current.setdefault(schedule.series_id, schedule.pk)

    def file(self, record: Record, *, category: str) -> Record:
        rule = next(
            (
                r
                for r in self.rules
                if r.matches(kind=record.kind, category=category, channel_slugs=record.channel_slugs)
            ),
            None,
        )
        if rule is not None:
            record.series_id, record.schedule_id = rule.series_id, self.current.get(rule.series_id)
        return record


def _unfiled(records: list[Record], inserted) -> int:
    mine = {source_id for _, source_id, _, _ in inserted}
    return sum(1 for r in records if r.source_id in mine and r.series_id is None)


def _audit(source_type: str, inserted: list[tuple[int, int, str, str]], unfiled: int):
    # The digest lets the chain vouch for every record's hash without an event per record.
    digest = hashlib.sha256("\n".join(f"{pk}:{sha}" for pk, _, _, sha in inserted).encode()).hexdigest()
    record_event(
        "system",
        "record.captured_batch",
        details={
            "source_type": source_type,
            "count": len(inserted),
            "first_record_id": inserted[0][0],
            "last_record_id": inserted[-1][0],
            "unfiled": unfiled,
            "records_sha256": digest,
        },
    )


# Capture ----------------------------------------------------------------------------------------------------


def capture_posts(post_ids: list[int]) -> int:
    """Capture the current version of each published post not captured yet; return how many records this call
    created. Idempotent; safe to run concurrently with itself and with `services.capture_post`."""
    post_ids = list(post_ids)
    with transaction.atomic():
        posts = _published_posts(post_ids)
        captured_at = timezone.now()
        inserted = []
        if posts:
            filing = Filing()
            revisions = _revisions_by_post([p.pk for p in posts])
            digests = _store_media(posts)
            records, media = [], defaultdict(set)
            for post in posts:
                content = _post_record_content(post, revisions.get(post.pk, []), digests)
                media[post.pk] = {digests[a.pk] for a in post.attachments.all()}
                records.append(
                    filing.file(
                        _record(
                            kind=RecordKind.INCIDENT_UPDATE if post.incident_id else RecordKind.POST,
                            source_type=POST,
                            source_id=post.pk,
                            source_version=f"v{post.version}",
                            published_at=post.published_at,
                            channel_slugs=content["channels"],
                            author=content["author"],
                            title=post.title,
                            text=post.body + (f"\n\n{post.translation_body}" if post.translation_body else ""),
                            content=content,
                            captured_at=captured_at,
                        ),
                        category=post.category,
                    )
                )
            inserted = _insert(records, POST, captured_at)
            links = [
                Record.media.through(record_id=pk, mediablob_id=digest)
                for pk, source_id, _, _ in inserted
                for digest in media[source_id]
            ]
            if links:
                Record.media.through.objects.bulk_create(links, ignore_conflicts=True)
                media_store.after_commit_refresh({link.record_id for link in links})
            if inserted:
                _audit(POST, inserted, _unfiled(records, inserted))
    # A removal is a record of its own linked to the post's; removals are rare, so the per-row path is enough.
    removed = list(Post.objects.filter(pk__in=post_ids, status=Post.Status.REMOVED).values_list("pk", flat=True))
    if removed:
        done = {source_id for source_id, version in _captured(POST, removed) if version.endswith(":removed")}
        removed = [pk for pk in removed if pk not in done]
    for pk in removed:
        services.capture_removal(pk)
    return len(inserted)


def capture_comments(comment_ids: list[int], *, stage: str = "received") -> int:
    """`services.capture_comment` for many comments: each a record of its own, linked to its post's record."""
    if stage not in ("received", "removed"):
        raise ValueError(f"unknown comment stage {stage!r}")
    comment_ids = list(comment_ids)
    captured = {source_id for source_id, _ in _captured(COMMENT, comment_ids, [stage])}
    comments = (
        Comment.objects.filter(pk__in=[pk for pk in comment_ids if pk not in captured])
        .select_related("channel", "post", "removed_by", "screening")
        .order_by("pk")
    )
    if stage == "removed":
        comments = comments.filter(status=Comment.Status.REMOVED)
    with transaction.atomic():
        comments = list(comments)
        if not comments:
            return 0
        versions = {(c.post_id, f"v{c.post.version}") for c in comments if c.post_id}
        parents = {
            (source_id, version): pk
            for pk, source_id, version in Record.objects.filter(
                source_type=POST, source_id__in={post_id for post_id, _ in versions}
            ).values_list("pk", "source_id", "source_version")
            if (source_id, version) in versions
        }
        captured_at = timezone.now()
        kind = RecordKind.REMOVED_COMMENT if stage == "removed" else RecordKind.COMMENT
        filing = Filing()
        records = []
        for c in comments:
            parent_id = parents.get((c.post_id, f"v{c.post.version}")) if c.post_id else None
            record = _record(
                kind=kind,
                source_type=COMMENT,
                source_id=c.pk,
                source_version=stage,
                published_at=c.created_at,
                channel_slugs=[c.channel.slug],
                author=c.author_name,
                title=f"Comment by {c.author_name}",
                text=c.text,
                content=comment_content(c, stage),
                captured_at=captured_at,
                parent_id=parent_id,
            )
            records.append(filing.file(record, category=""))  # a comment has no category; kind and channel match
        inserted = _insert(records, COMMENT, captured_at)
        if inserted:
            _audit(COMMENT, inserted, _unfiled(records, inserted))
        return len(inserted)


# Tasks and the sweeper --------------------------------------------------------------------------------------


@shared_task(
    acks_late=True,
    task_reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=6,
)
def capture_posts_batch_task(post_ids: list[int]) -> int:
    return capture_posts(post_ids)


@shared_task(
    acks_late=True,
    task_reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=6,
)
def capture_comments_batch_task(comment_ids: list[int], stage: str = "received") -> int:
    return capture_comments(comment_ids, stage=stage)


def archive_published_batched(limit: int = 5000) -> dict:
    """The sweeper, batched: queue capture of published posts and received comments that have no record yet, in
    chunks of 500. Only reads here; the tasks are idempotent, so work queued twice is stored once."""
    missing_posts = list(
        Post.objects.filter(published_at__isnull=False)
        .exclude(Exists(Record.objects.filter(source_type=POST, source_id=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    missing_comments = list(
        Comment.objects.exclude(
            Exists(Record.objects.filter(source_type=COMMENT, source_id=OuterRef("pk"), source_version="received"))
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    # A chunk the broker could not take is still missing at the next sweep.
    for start in range(0, len(missing_posts), CHUNK):
        enqueue(capture_posts_batch_task, missing_posts[start : start + CHUNK])
    for start in range(0, len(missing_comments), CHUNK):
        enqueue(capture_comments_batch_task, missing_comments[start : start + CHUNK])
    return {"posts": len(missing_posts), "comments": len(missing_comments)}
