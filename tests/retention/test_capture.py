"""Capture of published content as immutable records (385.5.1(a), 385.7)."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from moderation import services as review
from moderation.monitoring import moderate_comment
from posts import services as posts
from posts.publishing.intake import receive_comment
from retention import services as records
from retention.models import ClassificationRule, Record, RecordSeries, RetentionSchedule
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5.1(a)", "385.7")]


@pytest.fixture
def published(author, channel, supervisor, series, png_upload, django_capture_on_commit_callbacks):
    post = draft(author, [channel], body="Miles Avenue Park is closed for repairs this weekend.")
    posts.add_attachment(actor=author, post=post, uploaded=png_upload, alt_text="The park gate")
    post.refresh_from_db()
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post, note="Fine")
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=post)
    post.refresh_from_db()
    return post


def test_publication_is_captured_with_its_history_media_and_hash(published, series):
    record = Record.objects.get(source_type="posts.post", source_id=published.pk)
    assert record.kind == "post" and record.source_version == f"v{published.version}"
    assert record.text.startswith("Miles Avenue Park is closed")
    content = record.content
    assert content["approved_by"] == "supervisor" and content["author"] == "smo"
    assert content["publications"][0]["url"].endswith(f"/news/{published.pk}-national-night-out/")
    assert [r["status"] for r in content["reviews"]] == ["approved"]
    assert any(rev["reason"].startswith("Attachment added") for rev in content["revisions"])
    assert record.media.count() == 1 and content["media"][0]["alt_text"] == "The park gate"
    assert record.sha256 == Record.hash_of(content) and record.verify()
    assert record.series == series and record.schedule.version == 1


def test_capture_is_idempotent_and_identical_media_is_stored_once(published, author, channel, supervisor, png_upload):
    assert records.capture_post(published.pk) == (Record.objects.get(source_id=published.pk), False)
    assert Record.objects.filter(source_type="posts.post").count() == 1
    other = draft(author, [channel], title="Second")
    png_upload.seek(0)
    posts.add_attachment(actor=author, post=other, uploaded=png_upload, alt_text="Same picture")
    other.refresh_from_db()
    review.submit_for_review(actor=author, post=other)
    review.approve_post(actor=supervisor, post=other)
    posts.publish_post(actor=author, post=other)
    records.capture_post(other.pk)
    from retention.models import MediaBlob

    assert MediaBlob.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Record.objects.create(
            kind="post",
            source_type="posts.post",
            source_id=published.pk,
            source_version=f"v{published.version}",
            content={},
            sha256="x",
        )


def test_comments_and_removals_are_records_of_their_own(published, author, supervisor):
    comment = receive_comment(
        channel=published.channels.get(), post=published, author_name="Ann", text="Which gate is closed?"
    )
    records.capture_comment(comment.pk)
    moderate_comment(actor=author, comment=comment, action="remove", reason="off_topic")
    posts.remove_from_public_view(actor=supervisor, post=published, reason="Wrong weekend")
    counts = records.archive_published()
    assert counts["removals"] == 1 and counts["removed_comments"] == 1
    post_record = Record.objects.get(source_type="posts.post", source_version=f"v{published.version}")
    kinds = sorted(post_record.children.values_list("kind", "source_version"))
    assert kinds == [("comment", "received"), ("post", f"v{published.version}:removed"), ("removed_comment", "removed")]
    removal = post_record.children.get(source_version__endswith=":removed")
    assert removal.content["reason"] == "Wrong weekend" and removal.content["removed_by"] == "supervisor"


def test_sweeper_captures_what_a_lost_message_missed(author, channel, supervisor, series):
    post = draft(author, [channel])
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    posts.publish_post(actor=author, post=post)  # on-commit capture never runs: the message is "lost"
    assert not Record.objects.exists()
    assert records.archive_published()["posts"] == 1
    assert records.archive_published() == {
        "posts": 0,
        "removals": 0,
        "comments": 0,
        "removed_comments": 0,
        "reports": 0,
        "metrics": 0,
    }


@pytest.mark.policy("385.7(c)")
def test_what_no_rule_covers_waits_for_the_custodian(
    author, channel, supervisor, custodian, django_capture_on_commit_callbacks
):
    post = draft(author, [channel])
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=post)
    record = Record.objects.get()
    assert record.series is None
    transitory = RecordSeries.objects.create(
        code="TR-C", title="Postings with no material impact", substantive=False, transitory_item="c"
    )
    RetentionSchedule.objects.create(
        series=transitory,
        version=1,
        period=90,
        unit="days",
        trigger="publication",
        action="destroy",
        citation="385.7(c)",
        approved_by=custodian,
    )
    records.determine_series(
        actor=custodian,
        record=record,
        series=transitory,
        city_attorney_consulted=True,
        note="Routine notice",
        make_rule=True,
    )
    record.refresh_from_db()
    assert record.series == transitory and record.determination.city_attorney_consulted
    assert ClassificationRule.objects.filter(series=transitory, kind="post").exists()


def test_record_content_cannot_be_edited_through_the_orm(published):
    record = Record.objects.get(source_type="posts.post")
    record.text = "Rewritten history"
    with pytest.raises(DatabaseError), transaction.atomic():
        record.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        Record.objects.filter(pk=record.pk).update(content={"forged": True})
    record.refresh_from_db()
    assert record.text.startswith("Miles Avenue Park") and record.verify()


def test_record_content_cannot_be_edited_with_raw_sql(published):
    record = Record.objects.get(source_type="posts.post")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE retention_record SET sha256 = %s WHERE id = %s", ["0" * 64, record.pk])
    record.refresh_from_db()
    assert record.verify()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps DELETE for test flushes; PostgreSQL refuses it"
)
def test_records_cannot_be_deleted_on_postgresql(published):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM retention_record")
    assert Record.objects.count() == 1


def test_custodian_pages(published, custodian, signed_in, member):
    client = signed_in(custodian)
    record = Record.objects.get(source_type="posts.post")
    dashboard = client.get("/records/").content.decode()
    assert "CW-026" in dashboard and f"/records/{record.pk}/" in dashboard
    page = client.get(f"/records/{record.pk}/").content.decode()
    assert record.sha256 in page and "verifies" in page and "Miles Avenue Park is closed" in page
    assert signed_in(member).get("/records/").status_code == 403


def test_a_resolved_content_report_becomes_a_record(published, member, supervisor):
    from moderation.reports import file_report, remove_reported_content, resolve_report, start_investigation

    report = file_report(actor=member, section="385.5(b)", description="Shows an address", post=published)
    remove_reported_content(actor=supervisor, report=report, reason="Address")
    start_investigation(actor=supervisor, report=report, how_posted="x", posted_by="y", control_failed="z")
    resolve_report(actor=supervisor, report=report, resolution="Fixed")
    assert records.archive_published()["reports"] == 1
    captured = Record.objects.get(kind="report")
    assert captured.content["resolution"] == "Fixed" and captured.verify()


def test_beat_sweeper_captures_missed_posts_in_batches(author, channel, supervisor, series):
    from retention.tasks import archive_published_task

    post = draft(author, [channel])
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    posts.publish_post(actor=author, post=post)  # the capture message is "lost"
    result = archive_published_task.apply().get()
    assert result["queued"]["posts"] == 1
    assert Record.objects.get(source_type="posts.post", source_id=post.pk).verify()


def test_yesterdays_engagement_figures_become_a_linked_record(published):
    from datetime import timedelta

    from django.utils import timezone

    from posts.models import Publication, PublicationMetric

    publication = Publication.objects.get(post=published)
    PublicationMetric.objects.create(publication=publication, day=timezone.localdate() - timedelta(days=1), reach=42)
    PublicationMetric.objects.create(publication=publication, day=timezone.localdate(), reach=7)  # not final yet
    assert records.archive_published()["metrics"] == 1
    metric_record = Record.objects.get(kind="metrics")
    assert metric_record.content["reach"] == 42 and metric_record.parent.source_id == published.pk
