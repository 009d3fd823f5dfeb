"""Capturing published content as immutable records, and filing them under a series (385.5.1(a), 385.7).

Capture is idempotent: one record per captured object version, enforced by a unique constraint, so a task
that runs twice (or a sweeper that finds the same work) stores nothing twice.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import record_event
from core.errors import InvalidInput
from core.policy import enforces
from moderation.models import ContentReport, Review, Tip
from posts.models import AccountPostVersion, Comment, Post, PublicationMetric

from . import content as content_format
from . import media
from .holds import hold_new_record
from .models import ClassificationRule, Determination, MediaBlob, Record, RecordKind, RecordSeries, RetentionSchedule
from .permissions import require_records_custodian

log = logging.getLogger(__name__)


# Building the captured content ------------------------------------------------------------------------------


_when = content_format.when  # the same timestamp format everywhere a record is built


def _store_media(attachment) -> MediaBlob:
    with attachment.file.open("rb") as handle:
        data = handle.read()
    return media.store(data, content_type=attachment.content_type)


def post_record_with_media(post: Post) -> tuple[dict, list[MediaBlob]]:
    """The content of a post's record, and its attachments stored as media blobs. One post at a time;
    `bulk_capture` builds the same content from rows it prefetched for many posts."""
    blobs = [_store_media(a) for a in post.attachments.all()]
    reviews = (
        Review.objects.filter(post=post)
        .select_related("submitted_by", "decided_by")
        .prefetch_related("findings__acknowledged_by", "findings__exception__cleared_by", "comments__author")
        .order_by("submitted_at", "pk")
    )
    content = content_format.post_record_content(
        post,
        publications=post.publications.select_related("channel").order_by("channel__slug", "post_version"),
        reviews=reviews,
        revisions=[
            content_format.revision_entry(h) for h in post.history.select_related("history_user").order_by("history_id")
        ],
        media_digests={a.pk: b.sha256 for a, b in zip(post.attachments.all(), blobs, strict=True)},
    )
    return content, blobs


# Classification ---------------------------------------------------------------------------------------------


@enforces("385.7(c)")
def classify(record: Record) -> RecordSeries | None:
    """File the record under the first matching rule's series and its current schedule; None: needs a person."""
    category = (record.content or {}).get("category", "")
    for rule in ClassificationRule.objects.select_related("series").order_by("position", "pk"):
        if rule.matches(kind=record.kind, category=category, channel_slugs=record.channel_slugs):
            schedule = rule.series.current_schedule()
            Record.objects.filter(pk=record.pk).update(series=rule.series, schedule=schedule)
            record.series, record.schedule = rule.series, schedule
            return rule.series
    return None


@enforces(
    "385.7(a)", "385.7(b)", "385.7(c)", "385.7(d)", "385.7(e)", "385.7(f)", "385.7(g)", "385.7(h)", "385.7(i)",
    "385.7(j)", "385.7(k)", "385.7(l)", "385.7(m)", "385.7(n)", "385.7(o)", "385.7(p)", "385.7(q)",
)  # fmt: skip
@transaction.atomic
def determine_series(
    *,
    actor,
    record: Record,
    series: RecordSeries,
    city_attorney_consulted: bool,
    note: str = "",
    make_rule: bool = False,
) -> Determination:
    """385.7: the custodian decides what no rule covers (consulting the City Attorney when unsure)."""
    require_records_custodian(actor, "files records")
    if record.series_id:
        raise InvalidInput("This record is already filed.", field="record")
    rule = None
    if make_rule:
        rule = ClassificationRule.objects.create(
            kind=record.kind,
            category=(record.content or {}).get("category", ""),
            series=series,
            created_by=actor,
            note=f"From the determination on record #{record.pk}",
        )
    decision = Determination.objects.create(
        record=record,
        series=series,
        decided_by=actor,
        note=note.strip(),
        city_attorney_consulted=city_attorney_consulted,
        became_rule=rule,
    )
    Record.objects.filter(pk=record.pk).update(series=series, schedule=series.current_schedule())
    media.after_commit_refresh([record.pk])  # its media's lock now runs to the series' retention
    record_event(
        actor,
        "record.determined",
        record,
        details={"series": series.code, "rule": rule and rule.pk, "city_attorney_consulted": city_attorney_consulted},
    )
    return decision


# Capture ----------------------------------------------------------------------------------------------------


def _capture(
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
    blobs=(),
    parent=None,
) -> tuple[Record, bool]:
    existing = Record.objects.filter(
        source_type=source_type, source_id=source_id, source_version=source_version
    ).first()
    if existing:
        return existing, False
    record = Record(
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        source_version=source_version,
        published_at=published_at,
        channel_slugs=sorted(channel_slugs),
        author_username=author or "",
        title=(title or "")[:300],
        text=text or "",
        content=content,
        sha256=Record.hash_of(content),
        parent=parent,
    )
    try:
        with transaction.atomic():
            record.save(force_insert=True)
            if blobs:
                record.media.set(blobs)
    except IntegrityError:
        return Record.objects.get(source_type=source_type, source_id=source_id, source_version=source_version), False
    classify(record)

    hold_new_record(record)
    if blobs:
        media.after_commit_refresh([record.pk])  # lock the media until this record may go, hold it if held
    record_event(
        "system",
        "record.captured",
        record,
        details={"kind": kind, "sha256": record.sha256, "series": record.series.code if record.series else None},
    )
    return record, True


def capture_document(
    *, kind: str, source_type: str, source_id: int, source_version: str, author: str, title: str, text: str, content
) -> tuple[Record, bool]:
    """A document the department produced about its social media (an annual review, 385.6) becomes a record like
    any other: immutable, filed by the classification rules, held when a hold covers it. Idempotent per version."""
    if kind not in RecordKind.values:
        raise InvalidInput(f"There is no record kind {kind!r}.", field="kind")
    return _capture(
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        source_version=source_version,
        published_at=timezone.now(),
        channel_slugs=[],
        author=author,
        title=title,
        text=text,
        content=content,
    )


def _post_record(post: Post) -> Record | None:
    return Record.objects.filter(source_type="posts.post", source_id=post.pk, source_version=f"v{post.version}").first()


def capture_post(post_id: int) -> tuple[Record | None, bool]:
    post = (
        Post.objects.select_related("author", "approved_by", "published_by", "incident")
        .prefetch_related("channels", "attachments")
        .filter(pk=post_id)
        .first()
    )
    if post is None or post.published_at is None:
        return None, False
    content, blobs = post_record_with_media(post)
    kind = RecordKind.INCIDENT_UPDATE if post.incident_id else RecordKind.POST
    record, created = _capture(
        kind=kind,
        source_type="posts.post",
        source_id=post.pk,
        source_version=f"v{post.version}",
        published_at=post.published_at,
        channel_slugs=content["channels"],
        author=content["author"],
        title=post.title,
        text=post.body + (f"\n\n{post.translation_body}" if post.translation_body else ""),
        content=content,
        blobs=blobs,
    )
    if post.status == Post.Status.REMOVED:
        capture_removal(post.pk)
    return record, created


def capture_removal(post_id: int) -> tuple[Record | None, bool]:
    """Its removal from public view is a record of its own, linked to the post's record."""
    post = Post.objects.select_related("closed_by").filter(pk=post_id, status=Post.Status.REMOVED).first()
    if post is None:
        return None, False
    parent = _post_record(post) or capture_post(post.pk)[0]
    content = {
        "post_id": post.pk,
        "version": post.version,
        "removed_at": _when(post.closed_at),
        "removed_by": post.closed_by.get_username() if post.closed_by else None,
        "reason": post.closed_reason,
        "publications": [
            {"channel": p.channel.slug, "status": p.status, "url": p.url}
            for p in post.publications.select_related("channel").order_by("channel__slug")
        ],
    }
    return _capture(
        kind=RecordKind.POST,
        source_type="posts.post",
        source_id=post.pk,
        source_version=f"v{post.version}:removed",
        published_at=post.published_at,
        channel_slugs=parent.channel_slugs if parent else [],
        author=post.author.get_username(),
        title=f"Removed from public view: {post.title}",
        text=post.closed_reason,
        content=content,
        parent=parent,
    )


def capture_comment(comment_id: int, *, stage: str = "received") -> tuple[Record | None, bool]:
    """A public comment is a record of its own, linked to its post's record; its removal is another."""
    comment = Comment.objects.select_related("channel", "post", "removed_by", "screening").filter(pk=comment_id).first()
    if comment is None or (stage == "removed" and comment.status != Comment.Status.REMOVED):
        return None, False
    parent = _post_record(comment.post) if comment.post_id else None
    content = content_format.comment_content(comment, stage)
    kind = RecordKind.REMOVED_COMMENT if stage == "removed" else RecordKind.COMMENT
    return _capture(
        kind=kind,
        source_type="posts.comment",
        source_id=comment.pk,
        source_version=stage,
        published_at=comment.created_at,
        channel_slugs=[comment.channel.slug],
        author=comment.author_name,
        title=f"Comment by {comment.author_name}",
        text=comment.text,
        content=content,
        parent=parent,
    )


def capture_account_post_version(version_id: int) -> tuple[Record | None, bool]:
    """A wording (or the deletion) of a post seen on a department account: a record of its own, marked when it was
    posted outside socialgov, and linked to the approved post's record when it went through socialgov."""
    version = (
        AccountPostVersion.objects.select_related("account_post__channel", "account_post__publication__post")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        return None, False
    account_post = version.account_post
    publication = account_post.publication
    post = publication.post if publication else None
    parent = (
        Record.objects.filter(
            source_type="posts.post", source_id=post.pk, source_version=f"v{publication.post_version}"
        ).first()
        if post
        else None
    )
    if account_post.outside:
        title = f"Posted outside socialgov on {account_post.channel}"
    elif version.change == AccountPostVersion.Change.DELETED:
        title = f"Deleted on {account_post.channel} outside socialgov: {post.title}"
    elif version.flagged:
        title = f"Edited on {account_post.channel} after approval: {post.title}"
    else:
        title = f"As published on {account_post.channel}: {post.title}"
    content = {
        "channel": account_post.channel.slug,
        "external_id": account_post.external_id,
        "url": account_post.url,
        "posted_outside_socialgov": account_post.outside,
        "post_id": post.pk if post else None,
        "post_version": publication.post_version if publication else None,
        "version": version.number,
        "change": version.change,
        "flagged": version.flagged,
        "text": version.text,
        "sha256": version.sha256,
        "media": version.media,
        "created_on_platform": _when(account_post.created_on_platform),
        "edited_at": _when(version.edited_at) if version.edited_at else None,
        "seen_at": _when(version.seen_at),
    }
    return _capture(
        kind=RecordKind.ACCOUNT_POST,
        source_type="posts.accountpost",
        source_id=account_post.pk,
        source_version=f"v{version.number}",
        published_at=version.edited_at or account_post.created_on_platform,
        channel_slugs=[account_post.channel.slug],
        author="",
        title=title,
        text=version.text,
        content=content,
        parent=parent,
    )


def capture_report(report_id: int) -> tuple[Record | None, bool]:
    report = ContentReport.objects.select_related("reporter").filter(pk=report_id, status="resolved").first()
    if report is None:
        return None, False
    content = {
        "report_id": report.pk,
        "section": report.section,
        "description": report.description,
        "post_id": report.post_id,
        "comment_id": report.comment_id,
        "link": report.link,
        "reported_by": report.reporter.get_username(),
        "created_at": _when(report.created_at),
        "removed_at": _when(report.removed_at),
        "investigation_started_at": _when(report.investigation_started_at),
        "how_posted": report.how_posted,
        "posted_by": report.posted_by,
        "control_failed": report.control_failed,
        "resolved_at": _when(report.resolved_at),
        "resolution": report.resolution,
    }
    return _capture(
        kind=RecordKind.REPORT,
        source_type="moderation.contentreport",
        source_id=report.pk,
        source_version="resolved",
        published_at=report.created_at,
        channel_slugs=[],
        author=report.reporter.get_username(),
        title=f"Content report #{report.pk}",
        text=report.description,
        content=content,
    )


def capture_metrics(metric_id: int) -> tuple[Record | None, bool]:
    """A day's engagement figures for a publication, a record linked to its post's record."""

    metric = (
        PublicationMetric.objects.select_related("publication__post", "publication__channel")
        .filter(pk=metric_id)
        .first()
    )
    if metric is None:
        return None, False
    publication = metric.publication
    parent = _post_record(publication.post)
    content = {
        "publication": publication.pk,
        "post_id": publication.post_id,
        "channel": publication.channel.slug,
        "external_id": publication.external_id,
        "url": publication.url,
        "day": metric.day.isoformat(),
        "reach": metric.reach,
        "reactions": metric.reactions,
        "shares": metric.shares,
        "replies": metric.replies,
    }
    return _capture(
        kind=RecordKind.METRICS,
        source_type="posts.publicationmetric",
        source_id=metric.pk,
        source_version=metric.day.isoformat(),
        published_at=publication.published_at,
        channel_slugs=[publication.channel.slug],
        author="",
        text="",
        title=f"Engagement on {publication.channel.slug}, {metric.day:%Y-%m-%d}",
        content=content,
        parent=parent,
    )


def capture_tip(tip_id: int) -> tuple[Record | None, bool]:
    """A tip to investigators (385.5.3(c)) as it arrived: a record like any other, filed by the rules (under a
    confidential series) and left out of public releases unless the custodian names it (exports.services). It
    carries no channel, so a rule for the website's channel never files it with the posts."""
    tip = Tip.objects.select_related("post").filter(pk=tip_id).first()
    if tip is None:
        return None, False
    content = {
        "reference": tip.reference,
        "received_at": _when(tip.created_at),
        "post_id": tip.post_id,
        "post_title": tip.post.title if tip.post_id else None,
        "text": tip.text,
        "anonymous": tip.anonymous,
        "name": tip.name,
        "contact": tip.contact,
        "threat": tip.threat,
        "screening": [{"rule_id": f.get("rule_id"), "section": f.get("section")} for f in tip.findings or []],
    }
    return _capture(
        kind=RecordKind.TIP,
        source_type="moderation.tip",
        source_id=tip.pk,
        source_version="received",
        published_at=tip.created_at,
        channel_slugs=[],
        author=tip.name,
        title=f"Tip {tip.reference}",
        text=tip.text,
        content=content,
    )


def archive_published(*, limit: int = 5000, posts_and_comments: bool = True) -> dict:
    """The sweeper: capture whatever is published (or removed) and has no record yet. Idempotent.
    `posts_and_comments=False` leaves those to the batched path (retention.bulk_capture)."""
    from django.db.models import Exists, OuterRef

    counts = {"posts": 0, "removals": 0, "comments": 0, "removed_comments": 0, "reports": 0, "metrics": 0}
    missing_posts = (
        Post.objects.filter(published_at__isnull=False)
        .exclude(Exists(Record.objects.filter(source_type="posts.post", source_id=OuterRef("pk"))))
        .values_list("pk", flat=True)[:limit]
    )
    for pk in missing_posts if posts_and_comments else []:
        counts["posts"] += capture_post(pk)[1]
    removed = (
        Post.objects.filter(status=Post.Status.REMOVED)
        .exclude(
            Exists(
                Record.objects.filter(
                    source_type="posts.post", source_id=OuterRef("pk"), source_version__endswith=":removed"
                )
            )
        )
        .values_list("pk", flat=True)[:limit]
    )
    for pk in removed:
        counts["removals"] += capture_removal(pk)[1]
    comments = Comment.objects.exclude(
        Exists(Record.objects.filter(source_type="posts.comment", source_id=OuterRef("pk"), source_version="received"))
    ).values_list("pk", flat=True)[:limit]
    for pk in comments if posts_and_comments else []:
        counts["comments"] += capture_comment(pk)[1]
    removed_comments = (
        Comment.objects.filter(status=Comment.Status.REMOVED)
        .exclude(
            Exists(
                Record.objects.filter(source_type="posts.comment", source_id=OuterRef("pk"), source_version="removed")
            )
        )
        .values_list("pk", flat=True)[:limit]
    )
    for pk in removed_comments:
        counts["removed_comments"] += capture_comment(pk, stage="removed")[1]
    reports = (
        ContentReport.objects.filter(status=ContentReport.Status.RESOLVED)
        .exclude(Exists(Record.objects.filter(source_type="moderation.contentreport", source_id=OuterRef("pk"))))
        .values_list("pk", flat=True)[:limit]
    )
    for pk in reports:
        counts["reports"] += capture_report(pk)[1]

    # A day's figures are final once the day is over.
    metrics = (
        PublicationMetric.objects.filter(day__lt=timezone.localdate())
        .exclude(Exists(Record.objects.filter(source_type="posts.publicationmetric", source_id=OuterRef("pk"))))
        .values_list("pk", flat=True)[:limit]
    )
    for pk in metrics:
        counts["metrics"] += capture_metrics(pk)[1]
    return counts


# Series and schedules (the custodian keeps them; nothing in code hard-wires a period) ---------------------


@transaction.atomic
def revise_schedule(
    *,
    actor,
    series: RecordSeries,
    unit: str,
    trigger: str,
    action: str,
    citation: str,
    period: int | None = None,
    review_on=None,
):
    """A new version of the series' schedule; the old one is superseded. Records keep the version they were
    filed under; records filed from now on take this one."""

    require_records_custodian(actor, "keeps retention schedules")
    citation = (citation or "").strip()
    if not citation:
        raise InvalidInput("Cite the schedule's legal basis.", field="citation")
    if unit == RetentionSchedule.Unit.ADMINISTRATIVE_VALUE:
        if review_on is None:
            raise InvalidInput("Give the date to review it on.", field="review_on")
        period = None
    elif not period or period < 1:
        raise InvalidInput("Give the retention period (at least 1).", field="period")
    if unit not in RetentionSchedule.Unit.values:
        raise InvalidInput("Choose a unit.", field="unit")
    if trigger not in RetentionSchedule.Trigger.values:
        raise InvalidInput("Choose what starts the retention period.", field="trigger")
    if action not in RetentionSchedule.Action.values:
        raise InvalidInput("Choose what happens at the end.", field="action")
    current = series.schedules.select_for_update().filter(superseded_at__isnull=True).first()
    version = (series.schedules.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    if current:
        current.superseded_at = timezone.now()
        current.save(update_fields=["superseded_at"])
    schedule = RetentionSchedule.objects.create(
        series=series,
        version=version,
        period=period,
        unit=unit,
        review_on=review_on if unit == "administrative" else None,
        trigger=trigger,
        action=action,
        citation=citation,
        approved_by=actor,
    )
    record_event(actor, "schedule.revised", series, details={"version": version, "describe": schedule.describe()})
    # Records filed under the series keep their schedule version, but their media's locks are checked again; a lock
    # is only ever extended, never shortened.
    media.after_commit_refresh(series.records.filter(media__isnull=False).values_list("pk", flat=True))
    return schedule
