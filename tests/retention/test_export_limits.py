"""Limits on exports: who may learn anything about a download comes before whether it expired (385.7), and a
build that keeps failing is given up after EXPORT_MAX_ATTEMPTS attempts, with the reason shown and audited."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.utils import timezone
from freezegun import freeze_time

from core.models import AuditEvent
from retention.exports import bag as builder
from retention.exports.services import start_export
from retention.exports.tasks import sweep_exports_task
from retention.models import Export

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(custodian, publish, django_capture_on_commit_callbacks):
    record = publish(body="Fire on Avenue 44: avoid the area.")
    with django_capture_on_commit_callbacks(execute=True):
        export = start_export(actor=custodian, purpose="ediscovery", record_ids=[record.pk], reason="Counsel")
    export.refresh_from_db()
    assert export.status == "done"
    return export


def _download(client, export_id):
    return client.get(f"/records/exports/{export_id}/download/")


# Downloads: permission first ----------------------------------------------------------------------------------


def test_a_member_is_refused_a_download_whether_or_not_the_export_expired(signed_in, built, member, chief):
    assert _download(signed_in(member), built.pk).status_code == 403
    with freeze_time(built.expires_at + timedelta(seconds=1)):
        outsider = signed_in(member)  # signed in when the export has expired (sessions last hours, not days)
        expired = _download(outsider, built.pk)
        missing = _download(outsider, built.pk + 1000)
        for refused in (expired, missing):
            page = refused.content.decode()
            assert refused.status_code == 403, page
            assert "Exports of records are downloaded by" in page and 'class="section">385.7<' in page
            assert "expired" not in page
        assert _download(signed_in(chief), built.pk).status_code == 410  # a reader of records learns it expired
    assert not AuditEvent.objects.filter(verb="export.downloaded").exists()


# A build that keeps failing ------------------------------------------------------------------------------------


def test_a_build_that_always_fails_is_attempted_exactly_the_limit_then_shows_failed(
    custodian, publish, signed_in, monkeypatch, settings
):
    settings.EXPORT_MAX_ATTEMPTS = 3
    record = publish(body="Fire on Avenue 44: avoid the area.")
    export = start_export(actor=custodian, purpose="ediscovery", record_ids=[record.pk], reason="Counsel")
    attempts = []

    def always_fails(export, staging, observer):
        attempts.append(export.pk)
        raise OperationalError("the database went away")

    monkeypatch.setattr(builder, "_build", always_fails)
    now = timezone.now()
    for sweep in range(1, 3 * settings.EXPORT_MAX_ATTEMPTS + 1):
        with freeze_time(now + sweep * timedelta(minutes=11)):
            sweep_exports_task.delay().get()
    assert len(attempts) == settings.EXPORT_MAX_ATTEMPTS

    export.refresh_from_db()
    assert (export.status, export.attempts) == ("failed", 3)
    assert export.error == "Gave up after 3 attempts; the last one failed with OperationalError: the database went away"
    page = signed_in(custodian).get(f"/records/exports/{export.pk}/").content.decode()
    assert "The export failed: Gave up after 3 attempts" in page
    event = AuditEvent.objects.filter(verb="export.failed", object_id=str(export.pk)).order_by("-seq").first()
    assert event.details == {"error": export.error, "will_retry": False, "attempts": 3}
    assert builder.build_export(export.pk) is None and len(attempts) == 3  # a late message builds nothing


def test_an_export_whose_worker_died_on_the_last_attempt_is_failed_not_queued_again(custodian, publish, settings):
    record = publish(body="Fire on Avenue 44: avoid the area.")
    export = start_export(actor=custodian, purpose="ediscovery", record_ids=[record.pk], reason="Counsel")
    assert django_settings.EXPORT_MAX_ATTEMPTS == 5
    Export.objects.filter(pk=export.pk).update(
        status="running",
        attempts=5,
        started_at=timezone.now() - timedelta(minutes=30),
        heartbeat_at=timezone.now() - timedelta(minutes=11),
    )
    result = sweep_exports_task.delay().get()
    assert result["requeued"] == [] and result["failed"] == [export.pk]
    export.refresh_from_db()
    assert export.status == "failed" and export.finished_at is not None
    assert export.error == "Gave up after 5 attempts; the last one stopped without finishing (its worker was lost)"
    event = AuditEvent.objects.get(verb="export.failed", object_id=str(export.pk))
    assert event.actor_repr == "system" and event.details["attempts"] == 5
    assert sweep_exports_task.delay().get() == {"requeued": [], "failed": [], "expired": 0}
