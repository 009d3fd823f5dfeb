"""Batched capture (385.7): the same records as the per-post path, at a constant number of queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import AuditEvent
from moderation import services as review
from posts import services as posts
from posts.models import Comment, Post, Publication
from posts.publishing.intake import receive_comment
from retention import bulk_capture
from retention import services as records
from retention.models import MediaBlob, Record
from retention.tasks import capture_post_task
from tests.conftest import _png_bytes
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.7")]


@pytest.fixture
def no_capture_on_publish(monkeypatch):
    """Publishing enqueues the per-post capture; these tests want the batch to be the one that captures."""
    monkeypatch.setattr(capture_post_task, "apply_async", lambda *args, **kwargs: None)


def publish(author, supervisor, channel, png_upload, capture_callbacks, *, title="National Night Out"):
    """A post with everything a record holds: two reviews, a finding acknowledged, a reviewer's comment,
    a translation, an attachment, revisions and a website publication."""
    post = draft(author, [channel], title=title, body="Officers arrested the guilty man on Monday.")
    review.submit_for_review(actor=author, post=post)
    post.refresh_from_db()
    review.request_changes(actor=supervisor, post=post, note="Say which Monday.")
    post.refresh_from_db()
    post = posts.update_post(
        actor=author,
        post=post,
        expected_version=post.version,
        title=title,
        body="Officers arrested the guilty man on Monday, June 2.",
        category="announcement",
        channels=[channel],
        translation_language="es",
        translation_body="Los agentes arrestaron al hombre el lunes 2 de junio.",
    )
    png_upload.seek(0)
    posts.add_attachment(actor=author, post=post, uploaded=png_upload, alt_text="The park gate")
    post.refresh_from_db()
    submitted = review.submit_for_review(actor=author, post=post)
    review.add_review_comment(actor=supervisor, post=post, body="Fine now.")
    review.approve_post(actor=supervisor, post=post, note="Fine", acknowledge=[f.pk for f in submitted.findings.all()])
    with capture_callbacks(execute=True):
        posts.publish_post(actor=author, post=Post.objects.get(pk=post.pk))
    return Post.objects.get(pk=post.pk)


def bulk_published(author, channel, n, *, incident=None):
    now = timezone.now()
    made = Post.objects.bulk_create(
        Post(
            title=f"Advisory {i}",
            body=f"Road work on street {i}.",
            category="traffic",
            author=author,
            status=Post.Status.PUBLISHED,
            approved_at=now,
            approved_by=author,
            published_at=now,
            published_by=author,
            approval_path="supervisor",
            incident=incident,
            update_number=(i + 1) if incident else None,
        )
        for i in range(n)
    )
    Post.channels.through.objects.bulk_create(Post.channels.through(post_id=p.pk, channel_id=channel.pk) for p in made)
    Publication.objects.bulk_create(
        Publication(
            post=p,
            channel=channel,
            post_version=1,
            status=Publication.Status.PUBLISHED,
            idempotency_key=f"batch-{p.pk}",
            external_id=str(p.pk),
            published_at=now,
            url=f"http://testserver/news/{p.pk}/",
        )
        for p in made
    )
    return made


def test_batch_records_match_the_per_post_path(
    author, supervisor, channel, series, png_upload, incident, no_capture_on_publish, django_capture_on_commit_callbacks
):
    rich = publish(author, supervisor, channel, png_upload, django_capture_on_commit_callbacks)
    plain = bulk_published(author, channel, 2)
    update = bulk_published(author, channel, 1, incident=incident)
    ids = [rich.pk, *(p.pk for p in plain + update)]
    assert not Record.objects.exists()

    assert bulk_capture.capture_posts(ids) == 4
    for post in Post.objects.filter(pk__in=ids):
        record = Record.objects.get(source_type="posts.post", source_id=post.pk)
        expected, blobs = records.post_record_with_media(post)
        assert record.content == expected
        assert record.sha256 == Record.hash_of(expected) and record.verify()
        assert record.source_version == f"v{post.version}"
        assert set(record.media.all()) == set(blobs)
        assert record.series == series and record.schedule.version == 1
    captured = Record.objects.get(source_id=rich.pk)
    assert captured.text.endswith("2 de junio.") and captured.content["reviews"][0]["status"] == "changes_requested"
    assert captured.content["reviews"][1]["findings"][0]["acknowledged_by"] == "supervisor"
    assert captured.content["reviews"][1]["comments"][0]["body"] == "Fine now."
    assert captured.content["publications"][0]["channel"] == "news" and len(captured.content["revisions"]) > 3
    assert Record.objects.get(source_id=update[0].pk).kind == "incident_update"
    assert MediaBlob.objects.count() == 1


def test_the_per_post_path_finds_nothing_left_to_do(author, channel, series):
    made = bulk_published(author, channel, 3)
    bulk_capture.capture_posts([p.pk for p in made])
    assert all(records.capture_post(p.pk)[1] is False for p in made)
    assert Record.objects.count() == 3


def test_rerun_is_idempotent_and_each_batch_is_one_audit_event(author, channel, series):
    made = bulk_published(author, channel, 5)
    ids = [p.pk for p in made]
    events = AuditEvent.objects.filter(verb="record.captured_batch")
    assert bulk_capture.capture_posts(ids[:3]) == 3
    assert bulk_capture.capture_posts(ids) == 2
    assert bulk_capture.capture_posts(ids) == 0
    assert Record.objects.filter(source_type="posts.post").count() == 5
    assert events.count() == 2
    first, second = events.order_by("seq")
    assert first.details["count"] == 3 and second.details["count"] == 2
    mine = sorted(Record.objects.filter(source_id__in=ids[3:]).values_list("pk", flat=True))
    assert (second.details["first_record_id"], second.details["last_record_id"]) == (mine[0], mine[-1])


def test_records_no_rule_covers_are_left_for_the_custodian(author, channel, custodian):
    made = bulk_published(author, channel, 2)
    bulk_capture.capture_posts([p.pk for p in made])
    assert not Record.objects.filter(series__isnull=False).exists()
    assert AuditEvent.objects.get(verb="record.captured_batch").details["unfiled"] == 2


def test_unpublished_posts_are_not_captured(author, channel, series):
    draft_post = draft(author, [channel])
    assert bulk_capture.capture_posts([draft_post.pk, 999_999]) == 0
    assert not Record.objects.exists() and not AuditEvent.objects.filter(verb="record.captured_batch").exists()


def test_removed_posts_also_get_their_removal_record(author, channel, series):
    post = bulk_published(author, channel, 1)[0]
    Post.objects.filter(pk=post.pk).update(
        status=Post.Status.REMOVED, closed_reason="Wrong weekend", closed_at=timezone.now()
    )
    bulk_capture.capture_posts([post.pk])
    parent = Record.objects.get(source_version="v1")
    assert parent.children.get().source_version == "v1:removed"


def test_query_count_does_not_grow_with_the_batch(
    author,
    supervisor,
    channel,
    series,
    png_upload,
    no_capture_on_publish,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    def capture(ids) -> list[str]:
        with django_assert_max_num_queries(25) as run:
            assert bulk_capture.capture_posts(ids) == len(ids)
        # SQLite takes at most 999 parameters a statement, so Django splits the records' INSERT every 66 rows;
        # everything else is the same whatever the batch size.
        return [q["sql"] for q in run.captured_queries if not q["sql"].startswith(RECORD_INSERTS)]

    rich = publish(author, supervisor, channel, png_upload, django_capture_on_commit_callbacks)
    ten = capture([rich.pk] + [p.pk for p in bulk_published(author, channel, 9)])
    other_picture = SimpleUploadedFile("other.png", _png_bytes(width=3), content_type="image/png")
    rich = publish(author, supervisor, channel, other_picture, django_capture_on_commit_callbacks, title="Second")
    hundred = capture([rich.pk] + [p.pk for p in bulk_published(author, channel, 99)])
    assert len(ten) == len(hundred)


RECORD_INSERTS = ('INSERT INTO "retention_record" ', 'INSERT OR IGNORE INTO "retention_record" ')


def test_comments_batch_matches_the_per_comment_path(author, channel, series):
    post = bulk_published(author, channel, 1)[0]
    bulk_capture.capture_posts([post.pk])
    received = [
        receive_comment(channel=channel, post=post, author_name=f"Resident {i}", text=f"Question {i}?")
        for i in range(3)
    ]
    orphan = Comment.objects.create(channel=channel, author_name="Passer-by", text="Hello")
    ids = [c.pk for c in received] + [orphan.pk]
    assert bulk_capture.capture_comments(ids) == 4
    assert bulk_capture.capture_comments(ids) == 0
    parent = Record.objects.get(source_type="posts.post")
    for comment in received + [orphan]:
        record = Record.objects.get(source_type="posts.comment", source_id=comment.pk)
        assert record.parent == (parent if comment.post_id else None)
        assert record.verify() and record.series == series and record.kind == "comment"
    # The per-comment path, run afterwards, finds the same version already captured.
    assert records.capture_comment(received[0].pk)[1] is False


def test_comment_content_is_identical_to_the_per_comment_path(author, channel, series):
    post = bulk_published(author, channel, 1)[0]
    bulk_capture.capture_posts([post.pk])
    comment = receive_comment(channel=channel, post=post, author_name="Ann", text="Which gate is closed?")
    per_row, _ = records.capture_comment(comment.pk)
    loaded = Comment.objects.select_related("channel", "post", "removed_by", "screening").get(pk=comment.pk)
    assert bulk_capture.comment_content(loaded, "received") == per_row.content


def test_sweeper_queues_what_has_no_record(author, channel, series, django_capture_on_commit_callbacks):
    made = bulk_published(author, channel, 1201)
    Comment.objects.bulk_create(Comment(channel=channel, post=p, author_name="Ann", text="Thanks") for p in made[:10])
    assert bulk_capture.archive_published_batched() == {"posts": 1201, "comments": 10}  # tasks run inline in unit tests
    assert Record.objects.filter(source_type="posts.post").count() == 1201
    assert Record.objects.filter(source_type="posts.comment", parent__isnull=False).count() == 10
    assert AuditEvent.objects.filter(verb="record.captured_batch").count() == 4  # 500 + 500 + 201 posts, 10 comments
    assert bulk_capture.archive_published_batched() == {"posts": 0, "comments": 0}
