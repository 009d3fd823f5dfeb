"""Records, legal holds, public-records requests and exports through the API: the services, refusals and audit
trail of the custodian's pages (385.5.1(a), 385.7)."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import AuditEvent
from moderation import services as review
from posts import services as posts
from retention.holds import place_hold
from retention.models import ClassificationRule, Export, LegalHold, Record, RecordSeries, RetentionSchedule
from retention.services import capture_post
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.7")]

PARADE = "Monroe Street is closed for the parade on Saturday."
LIBRARY = "Coffee with a cop on Friday at the library."


@pytest.fixture
def series(custodian):
    cw026 = RecordSeries.objects.create(code="CW-026", title="Social media content")
    RetentionSchedule.objects.create(
        series=cw026,
        version=1,
        period=2,
        unit="years",
        trigger="publication",
        action="destroy",
        citation="CW-026",
        approved_by=custodian,
    )
    ClassificationRule.objects.create(kind="post", series=cw026, created_by=custodian)
    return cw026


@pytest.fixture
def publish(author, channel, supervisor, series):
    """Publish a post through the services and capture it: its record."""

    def make(body):
        post = draft(author, [channel], body=body)
        review.submit_for_review(actor=author, post=post)
        review.approve_post(actor=supervisor, post=post)
        posts.publish_post(actor=author, post=post)
        return capture_post(post.pk)[0]

    return make


@pytest.fixture
def records(publish):
    return [publish(PARADE), publish(LIBRARY)]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["results"]]


def test_search_finds_a_captured_record_and_the_filters_narrow_it(api_as, custodian, records, series):
    parade, library = records
    reader = api_as(custodian, "records:read")
    today = timezone.localdate()

    assert ids(reader.get("/api/v1/records/")) == [library.pk, parade.pk]
    assert ids(reader.get("/api/v1/records/", {"q": "parade"})) == [parade.pk]
    assert ids(reader.get("/api/v1/records/", {"q": "parade", "channel": "news", "kind": "post"})) == [parade.pk]
    assert ids(reader.get("/api/v1/records/", {"q": "parade", "kind": "comment"})) == []
    assert ids(reader.get("/api/v1/records/", {"series": series.pk, "date_from": today.isoformat()})) == [
        library.pk,
        parade.pk,
    ]
    assert ids(reader.get("/api/v1/records/", {"date_to": (today - timedelta(days=1)).isoformat()})) == []
    assert ids(reader.get("/api/v1/records/", {"phrase": "coffee with a cop"})) == [library.pk]

    found = reader.get("/api/v1/records/", {"q": "parade"}).json()["results"][0]
    assert found["series"]["code"] == "CW-026" and found["channel_slugs"] == ["news"] and found["holds"] == []

    # The page's own checks of the criteria: a 400 naming each.
    wrong = reader.get("/api/v1/records/", {"date_from": today.isoformat(), "date_to": "2000-01-01"})
    assert wrong.status_code == 400 and "date_to" in wrong.json()["fields"]
    assert reader.get("/api/v1/records/", {"channel": "no-such-channel"}).json()["fields"].keys() == {"channel"}

    detail = reader.get(f"/api/v1/records/{parade.pk}/")
    assert detail.status_code == 200, detail.json()
    body = detail.json()
    assert body["sha256"] == parade.sha256 and body["verified"] is True and body["content"] == parade.content
    assert body["schedule"]["rule"].startswith("2 years after publication") and body["disposition_due_on"]
    assert body["holds"] == [] and body["open_requests"] == [] and body["parent"] is None

    verified = reader.get(f"/api/v1/records/{parade.pk}/verify/").json()
    assert verified == {"id": parade.pk, "status": "active", "sha256": parade.sha256, "verified": True}
    assert reader.get("/api/v1/records/999999/").status_code == 404


def test_place_and_release_a_hold_the_audit_trail_names_the_token(api_as, custodian, records):
    parade, library = records
    keeper = api_as(custodian, "holds", "records:read")

    placed = keeper.post(
        "/api/v1/holds/",
        {
            "matter": "Doe v. City",
            "reference": "CV-2026-014",
            "requested_by": "City Attorney",
            "reason": "Litigation about the parade closure",
            "records": [parade.pk],
        },
    )
    assert placed.status_code == 201, placed.json()
    hold = placed.json()
    assert (hold["status"], hold["records_held"], hold["picked"], hold["custodian"]) == (
        "active",
        1,
        [parade.pk],
        "custodian",
    )
    assert hold["released_by"] is None and hold["released_at"] is None

    assert ids(keeper.get("/api/v1/records/", {"held": "true"})) == [parade.pk]
    assert [h["id"] for h in keeper.get(f"/api/v1/records/{parade.pk}/").json()["holds"]] == [hold["id"]]
    assert keeper.get("/api/v1/records/").json()["results"][1]["holds"][0]["matter"] == "Doe v. City"

    missing_reason = keeper.post(f"/api/v1/holds/{hold['id']}/release/", {})
    assert missing_reason.status_code == 400 and "reason" in missing_reason.json()["fields"]

    released = keeper.post(f"/api/v1/holds/{hold['id']}/release/", {"reason": "The case settled."})
    assert released.status_code == 200, released.json()
    assert released.json()["status"] == "released" and released.json()["released_by"] == "custodian"
    again = keeper.post(f"/api/v1/holds/{hold['id']}/release/", {"reason": "Twice"})
    assert again.status_code == 409 and again.json()["field"] == "status"

    for verb in ("hold.placed", "hold.released"):
        event = AuditEvent.objects.get(verb=verb)
        assert event.details["api_token"] == keeper.token.pk and event.actor_repr == "custodian"
    assert keeper.get("/api/v1/holds/").json()["results"][0]["status"] == "released"


def test_the_service_refuses_a_member_who_is_not_the_custodian_whatever_the_token(
    api_as, chief, member, custodian, records
):
    # The Chief reads records, and a token may carry the scope, but only the custodian places holds.
    refused = api_as(chief, "holds").post(
        "/api/v1/holds/", {"matter": "M", "requested_by": "R", "reason": "Why", "keywords": ["parade"]}
    )
    assert refused.status_code == 403
    assert refused.json()["section"] == "385.7" and "records custodian" in refused.json()["detail"]
    assert api_as(chief, "holds").get("/api/v1/holds/").status_code == 200

    # A member without a records role reads nothing, whatever the token's scopes.
    outsider = api_as(member, "records:read", "exports")
    assert outsider.get("/api/v1/records/").status_code == 403
    assert outsider.get(f"/api/v1/records/{records[0].pk}/").json()["section"] == "385.7"
    assert outsider.get("/api/v1/exports/1/download/").status_code == 403

    # The custodian's token without the scope is refused before anything else.
    narrow = api_as(custodian, "records:read")
    missing = narrow.post("/api/v1/holds/", {"matter": "M", "requested_by": "R", "reason": "Why"})
    assert missing.status_code == 403 and "holds" in missing.json()["detail"]
    assert not LegalHold.objects.exists()


@pytest.mark.policy("385.5.1(a)")
def test_log_a_records_request_attach_records_and_close_it(api_as, custodian, records):
    parade, library = records
    keeper = api_as(custodian, "requests", "records:read")

    logged = keeper.post(
        "/api/v1/records-requests/",
        {"requester": "Desert Sun", "description": "Posts about the parade", "requester_contact": "news@example.org"},
    )
    assert logged.status_code == 201, logged.json()
    request = logged.json()
    assert request["number"].startswith(f"PRR-{timezone.localdate().year}-") and request["status"] == "open"
    assert request["assigned_to"] == "custodian" and request["days_left"] > 0 and request["closed_by"] is None

    attached = keeper.post(f"/api/v1/records-requests/{request['id']}/attach/", {"records": [parade.pk]})
    assert attached.status_code == 200, attached.json()
    assert attached.json()["attached"] == 1 and attached.json()["request"]["records_attached"] == 1
    by_search = keeper.post(f"/api/v1/records-requests/{request['id']}/attach/", {"search": {"q": "library"}})
    assert by_search.json()["attached"] == 1 and by_search.json()["request"]["records_attached"] == 2
    again = keeper.post(f"/api/v1/records-requests/{request['id']}/attach/", {"records": [parade.pk]})
    assert again.json()["attached"] == 0

    bad_search = keeper.post(f"/api/v1/records-requests/{request['id']}/attach/", {"search": {"channel": "nowhere"}})
    assert bad_search.status_code == 400 and "search.channel" in bad_search.json()["fields"]
    no_such = keeper.post(f"/api/v1/records-requests/{request['id']}/attach/", {"records": [999999]})
    assert no_such.status_code == 400 and no_such.json()["code"] == "invalid"

    assert sorted(ids(keeper.get("/api/v1/records/", {"records_request": request["id"]}))) == [parade.pk, library.pk]
    assert [r["number"] for r in keeper.get(f"/api/v1/records/{parade.pk}/").json()["open_requests"]] == [
        request["number"]
    ]
    event = AuditEvent.objects.filter(verb="request.records_attached").first()
    assert event.details["api_token"] == keeper.token.pk

    closed = keeper.post(
        f"/api/v1/records-requests/{request['id']}/close/", {"outcome": "fulfilled", "note": "Released by e-mail."}
    )
    assert closed.status_code == 200 and closed.json()["status"] == "fulfilled"
    assert ids(keeper.get("/api/v1/records-requests/", {"status": "open"})) == []
    late = keeper.post(f"/api/v1/records-requests/{request['id']}/attach/", {"records": [library.pk]})
    assert late.status_code == 409


def test_an_export_is_built_and_downloaded_as_a_zip_and_the_download_is_audited(
    api_as, custodian, records, django_capture_on_commit_callbacks
):
    keeper = api_as(custodian, "exports")
    with django_capture_on_commit_callbacks(execute=True):
        started = keeper.post(
            "/api/v1/exports/",
            {"purpose": "ediscovery", "reason": "Doe v. City", "search": {"q": "parade"}, "include_dat": True},
        )
    assert started.status_code == 201, started.json()
    export_id = started.json()["id"]
    assert started.json()["query"] == {"q": "parade", "status": "active"}

    followed = keeper.get(f"/api/v1/exports/{export_id}/").json()
    assert followed["status"] == "done" and followed["progress"]["percent"] == 100
    assert followed["progress"]["finished"] is True and followed["progress"]["total"] == 1
    assert [e["id"] for e in keeper.get("/api/v1/exports/").json()["results"]] == [export_id]

    download = keeper.get(f"/api/v1/exports/{export_id}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    package = b"".join(download.streaming_content)
    assert zipfile.is_zipfile(io.BytesIO(package)) and package[:2] == b"PK"
    event = AuditEvent.objects.get(verb="export.downloaded")
    assert event.details["api_token"] == keeper.token.pk
    assert AuditEvent.objects.get(verb="export.started").details["api_token"] == keeper.token.pk


def test_an_export_takes_exactly_one_scope_and_an_expired_one_is_gone(
    api_as, custodian, chief, records, django_capture_on_commit_callbacks
):
    keeper = api_as(custodian, "exports")
    hold = place_hold(
        actor=custodian, matter="Doe v. City", requested_by="City Attorney", reason="Litigation", keywords=["parade"]
    )
    both = keeper.post("/api/v1/exports/", {"purpose": "public", "reason": "Why", "hold": hold.pk, "request": 1})
    assert both.status_code == 400 and both.json()["field"] in ("scope", "request")
    nested = keeper.post(
        "/api/v1/exports/",
        {"purpose": "public", "reason": "Why", "hold": hold.pk, "redact_spans": [{"record": "x", "text": "Doe"}]},
    )
    assert nested.status_code == 400
    assert {"redact_spans.0.record", "redact_spans.0.reason"} <= set(nested.json()["fields"])
    assert (
        api_as(chief, "exports")
        .post("/api/v1/exports/", {"purpose": "public", "reason": "Why", "hold": hold.pk})
        .json()["section"]
        == "385.7"
    )

    with django_capture_on_commit_callbacks(execute=True):
        started = keeper.post("/api/v1/exports/", {"purpose": "ediscovery", "reason": "Doe", "hold": hold.pk})
    assert started.status_code == 201 and started.json()["hold"] == hold.pk
    Export.objects.filter(pk=started.json()["id"]).update(expires_at=timezone.now() - timedelta(minutes=1))
    gone = keeper.get(f"/api/v1/exports/{started.json()['id']}/download/")
    assert gone.status_code == 410 and gone.json()["code"] == "expired"
    assert not AuditEvent.objects.filter(verb="export.downloaded").exists()


@pytest.mark.parametrize("path", ["/api/v1/records/", "/api/v1/holds/"])
def test_a_list_reads_the_same_number_of_queries_for_2_and_12_items(api_as, custodian, publish, path):
    client = api_as(custodian, "records:read", "holds")

    def queries_for(count: int) -> int:
        while Record.objects.count() < count:
            record = publish(f"Street sweeping on route {Record.objects.count()} this week.")
            place_hold(actor=custodian, matter="Sweeping", requested_by="Counsel", reason="Claim", records=[record])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200 and len(response.json()["results"]) == count
        return len(captured)

    assert queries_for(2) == queries_for(12)
