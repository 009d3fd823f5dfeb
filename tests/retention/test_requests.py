"""Public-records requests: logged with a statutory due date, records attached, and those records kept from
destruction while the request is open (385.5.1(a), 385.7)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from core.errors import InvalidInput, InvalidTransition, PermissionRefused, PolicyViolation
from core.models import AuditEvent
from retention import disposition
from retention.models import DispositionItem, RecordsRequest, RequestRecord
from retention.public_records import attach_records, close_request, log_request, statutory_due_date

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5.1(a)")]


def later(years=3):
    return timezone.localdate() + timedelta(days=365 * years)


def test_due_date_counts_calendar_or_business_days(settings):
    settings.RECORDS_REQUEST_DAYS, settings.RECORDS_REQUEST_BUSINESS_DAYS = 10, False
    assert statutory_due_date(date(2026, 11, 20)) == date(2026, 11, 30)
    settings.RECORDS_REQUEST_BUSINESS_DAYS = True
    # Friday the 20th + 10 business days skips two weekends.
    assert statutory_due_date(date(2026, 11, 20)) == date(2026, 12, 4)


@freeze_time("2026-11-24 10:00:00")
def test_logging_numbers_the_request_and_computes_its_due_date(custodian, settings):
    settings.RECORDS_REQUEST_DAYS, settings.RECORDS_REQUEST_BUSINESS_DAYS = 10, False
    first = log_request(
        actor=custodian,
        requester="Press-Enterprise",
        description="Posts about Monroe St.",
        received_on=date(2026, 11, 23),
    )
    second = log_request(actor=custodian, requester="Jane Roe", description="Comments on the Nov. 2 post")
    assert (first.number, second.number) == ("PRR-2026-0001", "PRR-2026-0002")
    assert first.due_on == date(2026, 12, 3) and second.due_on == date(2026, 12, 4)
    assert first.assigned_to == custodian and first.status == "open"
    assert AuditEvent.objects.filter(verb="request.logged").count() == 2
    assert first.history.count() == 1


@pytest.mark.parametrize(
    "field, kwargs",
    [
        ("requester", {"requester": " ", "description": "x"}),
        ("description", {"requester": "Jane Roe", "description": ""}),
        ("received_on", {"requester": "Jane Roe", "description": "x", "received_on": date(2999, 1, 1)}),
    ],
)
def test_bad_request_input_names_the_field_and_logs_nothing(custodian, field, kwargs):
    with pytest.raises(InvalidInput) as refused:
        log_request(actor=custodian, **kwargs)
    assert refused.value.field == field
    assert not RecordsRequest.objects.exists() and not AuditEvent.objects.filter(verb="request.logged").exists()


def test_only_the_custodian_logs_requests_and_assigns_custodians(smo, custodian, member):
    with pytest.raises(PermissionRefused):
        log_request(actor=smo, requester="Jane Roe", description="x")
    with pytest.raises(InvalidInput) as refused:
        log_request(actor=custodian, requester="Jane Roe", description="x", assigned_to=member)
    assert refused.value.field == "assigned_to"
    assert not RecordsRequest.objects.exists()


def test_a_requested_record_is_kept_until_the_request_closes(publish, custodian):
    requested = publish(body="Monroe Street burglary: call us with tips.")
    other = publish(body="Coffee with a cop on Friday.")
    prr = log_request(actor=custodian, requester="Press-Enterprise", description="Monroe Street posts")
    assert attach_records(actor=custodian, request=prr, records=[requested]) == 1
    assert attach_records(actor=custodian, request=prr, records=[requested.pk]) == 0  # attaching twice is harmless

    summary = disposition.scan(as_of=later(), apply=True, actor=custodian)
    assert (summary["due"], summary["requested"], summary["requested_records"]) == (1, 1, [requested.pk])
    item = DispositionItem.objects.get(record=requested)
    assert item.decision == "requested"
    with pytest.raises(PolicyViolation) as refused:
        disposition.decide(actor=custodian, item=item, approve=True)
    assert refused.value.section == "385.5.1(a)" and prr.number in str(refused.value)
    item.refresh_from_db()
    assert item.decision == "requested"

    close_request(actor=custodian, request=prr, fulfilled=True, note="Released 2 posts by e-mail")
    # Once the request is closed the same batch item can be approved and carried out.
    disposition.decide(actor=custodian, item=item, approve=True)
    disposition.carry_out(actor=custodian, batch=item.batch)
    requested.refresh_from_db()
    other.refresh_from_db()
    assert requested.status == "destroyed" and other.status == "active"


def test_a_request_opened_after_approval_still_keeps_the_record(publish, custodian):
    record = publish(body="Monroe Street burglary: call us with tips.")
    summary = disposition.scan(as_of=later(), apply=True, actor=custodian)
    item = DispositionItem.objects.get(batch_id=summary["batch"], record=record)
    disposition.decide(actor=custodian, item=item, approve=True)
    prr = log_request(actor=custodian, requester="Jane Roe", description="Burglary posts")
    attach_records(actor=custodian, request=prr, records=[record])

    batch = disposition.carry_out(actor=custodian, batch=item.batch)
    record.refresh_from_db()
    item.refresh_from_db()
    assert record.status == "active" and record.verify()
    assert item.decision == "requested"
    assert "part of an open public-records request" in batch.certificate_html


def test_closed_requests_take_no_more_records_and_need_a_note(publish, custodian):
    record = publish()
    prr = log_request(actor=custodian, requester="Jane Roe", description="x")
    with pytest.raises(InvalidInput) as refused:
        close_request(actor=custodian, request=prr, fulfilled=False, note="")
    assert refused.value.field == "note"
    close_request(actor=custodian, request=prr, fulfilled=False, note="Withdrawn by the requester")
    with pytest.raises(InvalidTransition):
        attach_records(actor=custodian, request=prr, records=[record])
    with pytest.raises(InvalidTransition):
        close_request(actor=custodian, request=prr, fulfilled=True, note="again")
    assert not RequestRecord.objects.exists()
    prr.refresh_from_db()
    assert prr.status == "closed" and prr.closing_note == "Withdrawn by the requester"


def test_attaching_unknown_or_destroyed_records_is_refused(publish, custodian):
    record = publish()
    prr = log_request(actor=custodian, requester="Jane Roe", description="x")
    with pytest.raises(InvalidInput) as refused:
        attach_records(actor=custodian, request=prr, records=[record.pk, 999999])
    assert refused.value.field == "record" and "999999" in str(refused.value)
    assert not RequestRecord.objects.exists()


def test_transfer_goes_to_a_permanent_archive_export(publish, custodian, schedule, django_capture_on_commit_callbacks):
    from retention.models import Export, RetentionSchedule

    RetentionSchedule.objects.filter(pk=schedule.pk).update(action="transfer")
    record = publish(body="Chief's annual message to the community.")
    summary = disposition.scan(as_of=later(), apply=True, actor=custodian)
    item = DispositionItem.objects.get(batch_id=summary["batch"], record=record)
    assert item.action == "transfer"
    disposition.decide(actor=custodian, item=item, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        batch = disposition.carry_out(actor=custodian, batch=item.batch)

    record.refresh_from_db()
    assert record.status == "transferred" and record.verify() and record.content.get("tombstone") is None
    archive = Export.objects.get(batch=batch)
    assert archive.purpose == "transfer" and archive.record_ids == [record.pk]
    assert archive.status == "done"  # tasks run inline in these tests
    assert f"BagIt export {archive.pk}" in batch.certificate_html


# Pages ------------------------------------------------------------------------------------------------------


def test_request_pages_log_list_and_close(signed_in, custodian, publish, settings):
    settings.RECORDS_REQUEST_DAYS, settings.RECORDS_REQUEST_BUSINESS_DAYS = 10, False
    client = signed_in(custodian)
    today = timezone.localdate()
    response = client.post(
        "/records/requests/",
        {"requester": "Press-Enterprise", "received_on": today.isoformat(), "description": "All posts about the fire"},
    )
    prr = RecordsRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/records/requests/{prr.pk}/"
    page = client.get("/records/requests/").content.decode()
    assert prr.number in page and "10" in page
    dashboard = client.get("/records/").content.decode()
    assert prr.number in dashboard and "10 days left" in dashboard

    record = publish(body="Fire on Avenue 44: avoid the area.")
    response = client.post("/records/requests/attach/", {"request": prr.pk, "record": [record.pk], "scope": "selected"})
    assert response.status_code == 302 and prr.records.get() == record
    assert prr.number in client.get(f"/records/{record.pk}/").content.decode()

    response = client.post(f"/records/requests/{prr.pk}/", {"outcome": "fulfilled", "note": "Sent by e-mail"})
    prr.refresh_from_db()
    assert response.status_code == 302 and prr.status == "fulfilled"


def test_request_page_errors_name_the_field(signed_in, custodian):
    client = signed_in(custodian)
    page = client.post("/records/requests/", {"requester": "", "received_on": "yesterday", "description": "x"})
    body = page.content.decode()
    assert page.status_code == 200 and "Please correct the fields" in body
    assert "Enter a valid date." in body and not RecordsRequest.objects.exists()


def test_request_pages_refuse_people_without_a_records_role(signed_in, smo, custodian):
    prr = log_request(actor=custodian, requester="Jane Roe", description="x")
    client = signed_in(smo)
    assert client.get("/records/requests/").status_code == 403
    assert client.get(f"/records/requests/{prr.pk}/").status_code == 403
    assert client.post("/records/requests/attach/", {"request": prr.pk, "record": ["1"]}).status_code == 403
    assert (
        client.post(
            "/records/requests/", {"requester": "X", "received_on": "2026-11-01", "description": "x"}
        ).status_code
        == 403
    )
    assert RecordsRequest.objects.count() == 1


def test_apply_retention_dry_run_names_requested_records(publish, custodian):
    from io import StringIO

    from django.core.management import call_command

    record = publish()
    prr = log_request(actor=custodian, requester="Jane Roe", description="x")
    attach_records(actor=custodian, request=prr, records=[record])
    out = StringIO()
    call_command("apply_retention", "--dry-run", f"--as-of={later().isoformat()}", stdout=out)
    assert f"requested: record {record.pk} (open public-records request; not destroyed)" in out.getvalue()
    assert '"requested": 1' in out.getvalue() and not DispositionItem.objects.exists()


def test_every_result_of_a_search_is_attached_once(publish, custodian, signed_in):
    from retention.search import filter_records

    fire = [publish(body=f"Fire on Avenue {n}: avoid the area.") for n in (44, 48)]
    publish(body="Coffee with a cop on Friday.")
    prr = log_request(actor=custodian, requester="Desert Sun", description="Fire posts")
    attach_records(actor=custodian, request=prr, records=[fire[0]])
    assert attach_records(actor=custodian, request=prr, records=filter_records({"q": "fire"})) == 1
    assert set(prr.records.values_list("pk", flat=True)) == {r.pk for r in fire}

    response = signed_in(custodian).post(
        "/records/requests/attach/", {"request": prr.pk, "scope": "all", "q": "coffee"}, follow=True
    )
    assert "1 record(s) newly attached" in response.content.decode()
    assert prr.records.count() == 3
    assert AuditEvent.objects.filter(verb="request.records_attached").count() == 3
