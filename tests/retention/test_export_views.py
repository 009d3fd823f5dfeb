"""The export pages: start from a search, a hold or a request; a progress fragment the page polls until the
package is built; an authenticated, recorded download that ends when the export expires."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from core.models import AuditEvent
from retention.holds import place_hold
from retention.models import Export
from retention.public_records import attach_records, log_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def prr(custodian, publish):
    record = publish(body="Fire on Avenue 44: avoid the area.")
    request = log_request(actor=custodian, requester="Desert Sun", description="Fire posts")
    attach_records(actor=custodian, request=request, records=[record])
    return request


def test_export_from_a_request_builds_and_downloads(signed_in, custodian, prr, django_capture_on_commit_callbacks):
    client = signed_in(custodian)
    page = client.get(f"/records/exports/new/?request={prr.pk}").content.decode()
    assert f"Records attached to request {prr.number}" in page and "<strong>1</strong> record" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/records/exports/new/",
            {"request": prr.pk, "purpose": "ediscovery", "reason": "Answering the request", "include_dat": "on"},
        )
    export = Export.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/records/exports/{export.pk}/"
    assert (export.request, export.purpose, export.include_dat, export.status) == (prr, "ediscovery", True, "done")

    fragment = client.get(f"/records/exports/{export.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment  # finished: the page stops polling
    assert 'value="1"' in fragment and "Download the ZIP" in fragment

    download = client.get(f"/records/exports/{export.pk}/download/")
    body = b"".join(download.streaming_content)
    assert download.status_code == 200 and body[:2] == b"PK"
    assert f'filename="{export.file_name}"' in download["Content-Disposition"]
    assert AuditEvent.objects.filter(verb="export.downloaded").count() == 1


def test_a_running_export_keeps_polling(signed_in, custodian, prr):
    client = signed_in(custodian)
    client.post("/records/exports/new/", {"request": prr.pk, "purpose": "public", "reason": "Release"})
    export = Export.objects.get()  # no commit callbacks ran: the export is still waiting for a worker
    Export.objects.filter(pk=export.pk).update(
        status="running", total=40, done=10, phase="Writing records", started_at=timezone.now() - timedelta(seconds=10)
    )
    fragment = client.get(f"/records/exports/{export.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'max="40"' in fragment and 'value="10"' in fragment
    assert "10 of 40 records written" in fragment and "s left" in fragment
    page = client.get(f"/records/exports/{export.pk}/").content.decode()
    assert "Writing records" in page and "Download the ZIP" not in page
    assert client.get(f"/records/exports/{export.pk}/download/").status_code == 404


def test_export_from_a_search_and_a_hold(signed_in, custodian, publish):
    publish(body="Fire on Avenue 44: avoid the area.")
    publish(body="Coffee with a cop on Friday.")
    client = signed_in(custodian)
    page = client.get("/records/exports/new/?q=fire").content.decode()
    assert "<strong>1</strong> record" in page and 'name="q" value="fire"' in page
    client.post("/records/exports/new/", {"q": "fire", "purpose": "public", "reason": "Press request"})
    assert Export.objects.get().query["q"] == "fire"

    hold = place_hold(
        actor=custodian, matter="Doe v. City", requested_by="City Attorney", reason="Litigation", keywords=["Coffee"]
    )
    page = client.get(f"/records/exports/new/?hold={hold.pk}").content.decode()
    assert "Records held for Doe v. City" in page and "<strong>1</strong> record" in page


def test_export_form_errors_name_the_field_and_start_nothing(signed_in, custodian, prr):
    client = signed_in(custodian)
    page = client.post(
        "/records/exports/new/", {"request": prr.pk, "purpose": "ediscovery", "reason": "", "redact": "on"}
    ).content.decode()
    assert "This field is required." in page and not Export.objects.exists()
    page = client.post(
        "/records/exports/new/", {"request": prr.pk, "purpose": "ediscovery", "reason": "Counsel", "redact": "on"}
    ).content.decode()
    assert "never redacted" in page and not Export.objects.exists()
    page = client.post(
        "/records/exports/new/",
        {"request": prr.pk, "purpose": "public", "reason": "Release", "redact_spans": "twelve | Jane | witness"},
    ).content.decode()
    assert "Line 1" in page and not Export.objects.exists()


def test_only_records_roles_see_exports_and_only_the_custodian_starts_one(
    signed_in, custodian, chief, smo, prr, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(custodian).post(
            "/records/exports/new/", {"request": prr.pk, "purpose": "public", "reason": "Release"}
        )
    export = Export.objects.get()
    outsider = signed_in(smo)
    for url in (
        "/records/exports/",
        f"/records/exports/{export.pk}/",
        f"/records/exports/{export.pk}/progress/",
        f"/records/exports/{export.pk}/download/",
        f"/records/exports/new/?request={prr.pk}",
    ):
        assert outsider.get(url).status_code == 403, url
    assert not AuditEvent.objects.filter(verb="export.downloaded").exists()
    viewer = signed_in(chief)
    assert viewer.get(f"/records/exports/new/?request={prr.pk}").status_code == 403
    assert viewer.get(f"/records/exports/{export.pk}/download/").status_code == 200


def test_an_expired_export_is_gone(signed_in, custodian, prr, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(custodian).post(
            "/records/exports/new/", {"request": prr.pk, "purpose": "public", "reason": "Release"}
        )
    export = Export.objects.get()
    with freeze_time(timezone.now() + timedelta(hours=settings.EXPORT_EXPIRY_HOURS, minutes=1)):
        client = signed_in(custodian)
        assert client.get(f"/records/exports/{export.pk}/download/").status_code == 410
        assert "expired" in client.get(f"/records/exports/{export.pk}/progress/").content.decode()
    assert not AuditEvent.objects.filter(verb="export.downloaded").exists()


def test_a_redacted_release_lists_its_redactions_without_the_withheld_text(
    signed_in, custodian, publish, django_capture_on_commit_callbacks
):
    record = publish(body="Found: a blue bicycle near Miles Avenue Park. The owner, Jane Roe, may call us.")
    prr = log_request(actor=custodian, requester="Desert Sun", description="Found property posts")
    attach_records(actor=custodian, request=prr, records=[record])
    client = signed_in(custodian)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/records/exports/new/",
            {
                "request": prr.pk,
                "purpose": "public",
                "reason": "Release to the requester",
                "redact_spans": f"{record.pk} | Jane Roe | Name of a private person | Cal. Gov. Code § 7927.700",
            },
        )
    export = Export.objects.get()
    assert export.status == "done" and export.redactions.exists()
    page = client.get(f"/records/exports/{export.pk}/").content.decode()
    assert "Redactions in this export" in page and "Name of a private person" in page
    assert "Jane Roe" not in page
    record.refresh_from_db()
    assert "Jane Roe" in record.text and record.verify()
