"""Destruction that destroys (385.7): when a record is destroyed, every copy of its content that socialgov holds
goes with it — the source post or comment, their history rows, review notes and findings' excerpts, attachments
(files and names), platform responses, notification texts and cached pages. What a kept record still needs stays,
and the certificate says why. Files are deleted only once the disposition has committed.

`purge(records, batch=..., destroyed_ids=...)` is called by `disposition.carry_out` inside its transaction, with
the content-change permit in force; it returns, per record, what was destroyed and what was kept."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import AuditEvent, Notification
from moderation.models import CommentScreening, Review, ReviewComment, ReviewFinding
from posts import renditions
from posts.models import Attachment, Comment, Post, Publication, PublicationMetric
from posts.public_views import clear_site_stamp

from .models import Record, RecordKind

POST_KINDS = {RecordKind.POST, RecordKind.INCIDENT_UPDATE}
COMMENT_KINDS = {RecordKind.COMMENT, RecordKind.REMOVED_COMMENT}
_MIN_SEARCHED = 8  # shorter texts ("Thanks") are too common to look for in other rows


@dataclass
class Purged:
    """What destroying one record removed from the application, and what it kept and why."""

    record: int
    destroyed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    audit_events_with_content: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "record": self.record,
            "destroyed": self.destroyed,
            "kept": self.kept,
            "audit_events_with_content": self.audit_events_with_content,
        }


def _still_kept(destroyed_ids: set[int]):
    return Record.objects.exclude(status=Record.Status.DESTROYED).exclude(pk__in=destroyed_ids)


def _files_after_commit(names: list[str], storage) -> None:
    """Delete files once the transaction commits: a disposition that fails later leaves every file in place."""

    def delete():
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete)


def _contents(*texts) -> list[str]:
    return [t for t in {(t or "").strip() for t in texts} if len(t) >= _MIN_SEARCHED]


def _scrub_notifications(paths: list[str], texts: list[str], what: str) -> int:
    match = Q()
    for path in paths:
        match |= Q(url__startswith=path)
    for text in texts:
        match |= Q(body__contains=text) | Q(subject__contains=text)
    if not match:
        return 0
    return Notification.objects.filter(match).update(subject=f"About {what} (destroyed)", body="")


def _audit_events_holding(object_filters: Q, texts: list[str]) -> list[int]:
    """Audit events about the destroyed objects that still hold any of their text. The chain forbids editing
    them; they are named in the certificate."""
    if not texts:
        return []
    found = []
    for event in AuditEvent.objects.filter(object_filters).only("seq", "details", "object_repr"):
        blob = f"{event.object_repr}\n{event.details}"
        if any(text in blob for text in texts):
            found.append(event.seq)
    return found


def _purge_post(post: Post, purged: Purged, batch) -> None:
    texts = _contents(post.title, post.body, post.translation_body, *(post.template_values or {}).values())
    attachments = list(Attachment.objects.filter(post=post))
    names = [a.original_name for a in attachments]
    texts += _contents(*names, *(a.alt_text for a in attachments))
    purged.audit_events_with_content += _audit_events_holding(
        Q(object_type="posts.post", object_id=str(post.pk))
        | Q(object_type="posts.attachment", object_id__in=[str(a.pk) for a in attachments]),
        texts,
    )
    stub = f"Destroyed under disposition batch #{batch.pk} on {timezone.localdate():%Y-%m-%d}"
    Post.objects.filter(pk=post.pk).update(
        title=stub[:200],
        body="",
        translation_body="",
        template_values={},
        held_reasons=[],
        closed_reason=stub,
        # A destroyed post is not on the website any more.
        status=Post.Status.REMOVED if post.status == Post.Status.PUBLISHED else post.status,
    )
    purged.destroyed.append(f"post #{post.pk}: headline, body, translation and template values")
    history = Post.history.filter(id=post.pk).delete()[0]
    if history:
        purged.destroyed.append(f"post #{post.pk}: {history} history row(s)")

    if attachments:
        storage = attachments[0].file.storage
        _files_after_commit([a.file.name for a in attachments] + [a.captions.name for a in attachments], storage)
        ids = [a.pk for a in attachments]
        # The website's resized copies are copies of the record's content too.
        transaction.on_commit(lambda: [renditions.discard_renditions(pk) for pk in ids])
        Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
        # After the rows: deleting them writes history rows of its own.
        Attachment.history.filter(id__in=[a.pk for a in attachments]).delete()
        purged.destroyed.append(f"{len(attachments)} attachment(s): files, names and alt text")

    reviews = list(Review.objects.filter(post=post).values_list("pk", flat=True))
    if reviews:
        Review.objects.filter(pk__in=reviews).update(note="")
        Review.history.filter(id__in=reviews).delete()
        ReviewComment.objects.filter(review_id__in=reviews).update(quote="", body="")
        ReviewFinding.objects.filter(review_id__in=reviews).update(excerpt="", explanation="", data={})
        purged.destroyed.append(f"{len(reviews)} review(s): notes, comments on passages and findings' excerpts")

    publications = Publication.objects.filter(post=post)
    website = publications.filter(channel__kind="website")
    for publication in website.only("pk"):
        # The website's identifier is the address, which is made from the headline.
        Publication.objects.filter(pk=publication.pk).update(external_id=f"{post.pk}")
    count = publications.update(url="", last_error="")
    PublicationMetric.objects.filter(publication__post=post).update(raw={})
    if count:
        purged.destroyed.append(f"{count} publication(s): platform addresses and responses")

    scrubbed = _scrub_notifications(
        [f"/posts/{post.pk}/", f"/review/{post.pk}/", f"/news/{post.pk}-"], texts, f"post #{post.pk}"
    )
    if scrubbed:
        purged.destroyed.append(f"{scrubbed} notification text(s)")


def _purge_comment(comment: Comment, purged: Purged) -> None:
    texts = _contents(comment.text, comment.author_name, comment.author_email, comment.author_handle)
    purged.audit_events_with_content += _audit_events_holding(
        Q(object_type="posts.comment", object_id=str(comment.pk)), texts
    )
    Comment.objects.filter(pk=comment.pk).update(
        text="", author_name="", author_email="", author_handle="", ip=None, url="", removal_note=""
    )
    Comment.history.filter(id=comment.pk).delete()
    CommentScreening.objects.filter(comment=comment).update(findings=[])
    purged.destroyed.append(
        f"comment #{comment.pk}: text, author's name, e-mail, handle and address, its history and screening"
    )
    scrubbed = _scrub_notifications(
        [f"/monitoring/comments/{comment.pk}/"], _contents(comment.text), f"comment #{comment.pk}"
    )
    if scrubbed:
        purged.destroyed.append(f"{scrubbed} notification text(s)")


def purge(records: list[Record], *, batch, destroyed_ids: set[int]) -> list[Purged]:
    """Remove the content of each destroyed record's source from the application, unless a kept record needs it.
    `destroyed_ids`: every record this disposition destroys (they need nothing from each other)."""
    kept = _still_kept(destroyed_ids)
    results = []
    for record in records:
        purged = Purged(record=record.pk)
        if record.kind in POST_KINDS and record.source_type == "posts.post":
            post = Post.objects.filter(pk=record.source_id).first()
            other_versions = kept.filter(source_type="posts.post", source_id=record.source_id)
            comment_records = kept.filter(
                Q(parent_id=record.pk)
                | Q(
                    source_type="posts.comment",
                    source_id__in=Comment.objects.filter(post_id=record.source_id).values("pk"),
                )
            )
            if post is None:
                purged.kept.append("the post was no longer in the application")
            elif other_versions.exists():
                purged.kept.append(
                    f"post #{post.pk}: kept, because record(s) "
                    f"{', '.join(str(pk) for pk in other_versions.values_list('pk', flat=True))} of another version "
                    "are still kept"
                )
            elif comment_records.exists():
                purged.kept.append(
                    f"post #{post.pk}: kept, because the record(s) of its comments "
                    f"{', '.join(str(pk) for pk in comment_records.values_list('pk', flat=True))} are still kept"
                )
            else:
                _purge_post(post, purged, batch)
        elif record.kind in COMMENT_KINDS and record.source_type == "posts.comment":
            comment = Comment.objects.filter(pk=record.source_id).first()
            if comment is None:
                purged.kept.append("the comment was no longer in the application")
            elif kept.filter(source_type="posts.comment", source_id=comment.pk).exists():
                purged.kept.append(f"comment #{comment.pk}: kept, because another record of it is still kept")
            else:
                _purge_comment(comment, purged)
        results.append(purged)
    transaction.on_commit(clear_site_stamp)  # pages cached before the disposition are not served again
    return results
