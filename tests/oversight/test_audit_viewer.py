"""The audit trail viewer (/oversight/audit/): the trail filtered, paged and exported as CSV for the Chief, the
designee, the records custodian and the annual reviewer; the chain verified on request; every reading recorded."""

import csv
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from freezegun import freeze_time

from core.audit import record_event
from core.models import AuditEvent, AuditVerification
from oversight import audit_trail, integrity
from oversight.audit_trail import TrailFilters, filtered_trail
from oversight.audit_trail_tasks import verify_requested_audit_trail_task
from posts.services import create_post, create_post_request
from socialgov import permissions as socialgov_permissions
from socialgov.tasks import verify_audit_trail_task
from tests.conftest import _with_role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/oversight/audit/"
EXPORT = "/oversight/audit/export.csv"
VERIFY = "/oversight/audit/verify/"
REFUSAL = "Only the Chief of Police, the designee, the records custodian and the annual reviewer read the audit trail."


@pytest.fixture
def reviewer(db):
    return _with_role("Annual Reviewer", username="reviewer")


@pytest.fixture
def trail(author, channel, member):
    """Events made by the real services: the Chief authorizes the SMO (the `author` fixture), the SMO drafts a
    post, a member asks the team for one."""
    post = create_post(
        actor=author,
        title="Road closure on Main Street",
        body="Main Street is closed between 1st and 3rd until 6 pm.",
        category="announcement",
        channels=[channel],
    )
    request = create_post_request(actor=member, text="Please post the lost dog flyer.", reason="Found on 5th")
    return {"post": post, "request": request}


def seqs(events) -> list[int]:
    return [e.seq for e in events]


def shown(response) -> list[int]:
    """The sequence numbers on the page, top to bottom."""
    return [event.seq for event, _details in response.context["rows"]]


def expected(**conditions) -> list[int]:
    return list(AuditEvent.objects.filter(**conditions).order_by("-seq").values_list("seq", flat=True))


def views(actor) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb="audit.viewed", actor=actor).order_by("seq"))


# Filters -----------------------------------------------------------------------------------------------------


def test_each_filter_narrows_the_trail(trail, chief, author, member, custodian, signed_in):
    post = trail["post"]
    client = signed_in(custodian)
    before = AuditEvent.objects.order_by("-seq").first().seq

    everything = client.get(URL)
    assert everything.status_code == 200
    assert shown(everything) == list(range(before, 0, -1))  # newest first, all of it

    by_smo = shown(client.get(URL, {"actor": "smo"}))
    assert by_smo and by_smo == expected(actor_repr="smo", seq__lte=before)
    assert "post.created" in {AuditEvent.objects.get(seq=s).verb for s in by_smo}

    assert shown(client.get(URL, {"verb": "post.created"})) == expected(verb="post.created")
    # A prefix ends with a dot: every post.* verb, and not post_request.*.
    prefixed = shown(client.get(URL, {"verb": "post."}))
    assert prefixed == expected(verb__startswith="post.")
    assert not set(prefixed) & set(expected(verb="post_request.created"))
    assert shown(client.get(URL, {"verb": "post"})) == []  # without the dot, "post" is an exact verb

    on_post = shown(client.get(URL, {"object_type": "posts.post", "object_id": str(post.pk)}))
    assert on_post == expected(object_type="posts.post", object_id=str(post.pk))
    assert on_post
    on_requests = shown(client.get(URL, {"object_type": "posts.postrequest"}))
    assert on_requests == expected(object_type="posts.postrequest") == expected(verb="post_request.created")

    combined = shown(client.get(URL, {"actor": "member", "verb": "post_request."}))
    assert combined == expected(actor=member, verb="post_request.created")
    assert len(combined) == 1


def test_a_renamed_member_is_found_by_the_name_then_and_the_name_now(chief, custodian, signed_in):
    record_event(chief, "test.before_rename")
    chief.username = "chief-renamed"
    chief.save()
    client = signed_in(custodian)
    for name in ("chief", "chief-renamed"):
        assert shown(client.get(URL, {"actor": name, "verb": "test.before_rename"})) == expected(
            verb="test.before_rename"
        )
    assert "(now chief-renamed)" in client.get(URL, {"verb": "test.before_rename"}).content.decode()


def test_the_date_range_is_read_in_the_departments_time_zone(settings, chief, custodian, signed_in):
    assert settings.TIME_ZONE == "America/Los_Angeles"
    # 07:30 UTC on 2 March is 23:30 on 1 March in Los Angeles; 08:30 UTC is 00:30 on 2 March.
    with freeze_time(datetime(2026, 3, 2, 7, 30, tzinfo=UTC)):
        late_first = record_event(chief, "test.dated").seq
    with freeze_time(datetime(2026, 3, 2, 8, 30, tzinfo=UTC)):
        early_second = record_event(chief, "test.dated").seq
    with freeze_time(datetime(2026, 3, 4, 12, 0, tzinfo=UTC)):
        fourth = record_event(chief, "test.dated").seq
    client = signed_in(custodian)

    def between(**dates):
        return shown(client.get(URL, {"verb": "test.dated", **dates}))

    assert between(date_from="2026-03-01", date_to="2026-03-01") == [late_first]
    assert between(date_from="2026-03-02", date_to="2026-03-02") == [early_second]
    assert between(date_from="2026-03-02") == [fourth, early_second]
    assert between(date_to="2026-03-03") == [early_second, late_first]
    assert between(date_from="2026-03-03", date_to="2026-03-03") == []
    # The page shows the times in the same zone.
    assert "2026-03-01 23:30:00" in client.get(URL, {"verb": "test.dated"}).content.decode()


def test_the_outcome_separates_refusals_and_failures_from_actions_carried_out(
    client, chief, author, custodian, signed_in
):
    # A wrong password through the login page: login.failed, recorded by the real signal.
    client.post("/accounts/login/", {"username": "chief", "password": "not-" + PASSWORD})
    assert AuditEvent.objects.filter(verb="login.failed").count() == 1
    for verb in (
        "login.two_factor_failed",
        "two_factor.enrolment_code_refused",
        "publication.failed",
        "publication.held_at_send",
        "export.failed",
    ):
        record_event("system", verb)
    record_event(chief, "post.rejected")  # a supervisor's decision carried out: it succeeded
    record_event("system", "audit.verified", details={"ok": False})  # the verification ran; what it found is apart

    refused = {
        "login.failed",
        "login.two_factor_failed",
        "two_factor.enrolment_code_refused",
        "publication.failed",
        "publication.held_at_send",
        "export.failed",
    }
    c = signed_in(custodian)
    last = AuditEvent.objects.latest("seq").seq  # the viewings below are events of their own
    failed = shown(c.get(URL, {"outcome": "refused_or_failed"}))
    assert {AuditEvent.objects.get(seq=s).verb for s in failed} == refused
    succeeded = shown(c.get(URL, {"outcome": "succeeded"}))
    assert not {AuditEvent.objects.get(seq=s).verb for s in succeeded} & refused
    assert {"post.rejected", "audit.verified", "authorization.granted"} <= {
        AuditEvent.objects.get(seq=s).verb for s in succeeded
    }
    everything = [s for s in shown(c.get(URL, {"outcome": "all"})) if s <= last]
    assert sorted(everything) == sorted(failed + [s for s in succeeded if s <= last]) == list(range(1, last + 1))
    # Outcome and verb together.
    assert shown(c.get(URL, {"outcome": "refused_or_failed", "verb": "publication."})) == expected(
        verb__in=["publication.failed", "publication.held_at_send"]
    )


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "2026-03-05", "date_to": "2026-03-01"}, "date_to", "“To” must not be before “From”."),
        ({"outcome": "maybe"}, "outcome", "Select a valid choice. maybe is not one of the available choices."),
        ({"date_from": "yesterday"}, "date_from", "Enter a date as YYYY-MM-DD, for example 2026-03-01."),
        ({"verb": "post'; drop"}, "verb", "A verb is lower-case words joined by dots"),
        ({"object_type": "post"}, "object_type", "An object type is app.model, such as posts.post."),
    ],
)
def test_bad_input_names_its_field_and_shows_no_results(trail, custodian, signed_in, params, field, message):
    client = signed_in(custodian)
    count = AuditEvent.objects.count()
    response = client.get(URL, params)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and message in form.errors[field][0]
    html = response.content.decode()
    assert f'<div id="id_{field}_helptext">\n    <p class="error">' in html
    assert response.context["rows"] == [] and response.context["page"] is None
    assert "<caption>Audit events" not in html
    assert AuditEvent.objects.count() == count  # nothing was read, so no viewing is recorded

    export = client.get(EXPORT, params)
    assert export.status_code == 400 and not isinstance(export, StreamingHttpResponse)
    assert field in export.context["form"].errors
    assert AuditEvent.objects.count() == count


def test_pages_of_fifty_newest_first(chief, custodian, signed_in):
    for n in range(60):
        record_event(chief, "test.paged", details={"n": n})
    client = signed_in(custodian)
    all_paged = expected(verb="test.paged")
    first = client.get(URL, {"verb": "test.paged"})
    assert shown(first) == all_paged[:50]
    html = first.content.decode()
    assert "<caption>Audit events, page 1 of 2</caption>" in html
    assert "verb=test.paged&amp;page=2" in html
    assert shown(client.get(URL, {"verb": "test.paged", "page": "2"})) == all_paged[50:]
    assert shown(client.get(URL, {"verb": "test.paged", "page": "99"})) == all_paged[50:]


def test_the_page_is_labelled_and_its_details_escaped(chief, custodian, signed_in):
    record_event(chief, "test.escaped", chief, details={"note": "<script>alert(1)</script>", "é": "ü"})
    html = signed_in(custodian).get(URL, {"verb": "test.escaped"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "ü" in html  # kept readable
    for field in ("actor", "verb", "object_type", "object_id", "date_from", "date_to", "outcome"):
        assert f'for="id_{field}"' in html
    assert '<label for="id_actor">Actor (username)</label>' in html
    assert "<caption>Audit events</caption>" in html
    for column in ("Seq", "Time", "Actor", "Verb", "Object", "Details"):
        assert f'<th scope="col">{column}</th>' in html
    assert '<div class="table-scroll"><table>' in html
    assert 'href="/oversight/audit/export.csv?verb=test.escaped"' in html
    assert 'action="/oversight/audit/verify/?verb=test.escaped"' in html
    assert "csrfmiddlewaretoken" in html and ">Verify the chain</button>" in html
    assert 'href="/audit/"' in html  # the audit integrity page


# CSV ---------------------------------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse) and response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body)))


def _unneutralised(cell: str) -> str:
    return cell[1:] if cell[:2] in {"'=", "'+", "'-", "'@", "'\t", "'\r"} else cell


def recomputed_hash(row: dict) -> str:
    """What an auditor does with a row of the CSV: SHA-256 of prev_hash + the canonical JSON of the rest."""
    value = {k: _unneutralised(v) for k, v in row.items()}
    canonical = json.dumps(
        {
            "seq": int(value["seq"]),
            "created_at": value["created_at"],
            "actor_id": int(value["actor_id"]) if value["actor_id"] else None,
            "actor_repr": value["actor_repr"],
            "verb": value["verb"],
            "object_type": value["object_type"],
            "object_id": value["object_id"],
            "object_repr": value["object_repr"],
            "ip": value["ip"] or None,
            "details": json.loads(value["details"]),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256((value["prev_hash"] + canonical).encode("utf-8")).hexdigest()


def test_the_csv_has_every_column_of_the_filtered_trail_and_each_hash_recomputes(trail, custodian, signed_in):
    response = signed_in(custodian).get(EXPORT, {"verb": "post."})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    rows = read_csv(response)
    assert list(rows[0]) == list(audit_trail.CSV_COLUMNS)
    assert [int(r["seq"]) for r in rows] == expected(verb__startswith="post.")
    assert rows
    for row in rows:
        event = AuditEvent.objects.get(seq=int(row["seq"]))
        assert (row["hash"], row["prev_hash"], row["verb"]) == (event.hash, event.prev_hash, event.verb)
        assert recomputed_hash(row) == event.hash


def test_the_csv_neutralises_cells_a_spreadsheet_would_run(custodian, signed_in):
    record_event('=HYPERLINK("http://evil.example")', "test.formula", details={"n": 1}, ip="2001:db8::1")
    record_event("+1+1", "test.formula")
    record_event("-2", "test.formula")
    record_event("@SUM(A1)", "test.formula")
    record_event("\tTAB", "test.formula")
    record_event("plain", "test.formula")
    rows = read_csv(signed_in(custodian).get(EXPORT, {"verb": "test.formula"}))
    assert [r["actor_repr"] for r in rows] == [
        "plain",
        "'\tTAB",
        "'@SUM(A1)",
        "'-2",
        "'+1+1",
        '\'=HYPERLINK("http://evil.example")',
    ]
    assert rows[-1]["ip"] == "2001:db8::1"
    for row in rows:  # still verifiable once the apostrophe is taken off
        assert recomputed_hash(row) == AuditEvent.objects.get(seq=int(row["seq"])).hash


def test_the_csv_is_read_in_chunks_not_all_at_once(chief, custodian, signed_in, monkeypatch):
    for n in range(5):
        record_event(chief, "test.chunked", details={"n": n})
    sizes = []
    original = type(AuditEvent.objects.all()).iterator

    def iterator(self, chunk_size=None):
        sizes.append(chunk_size)
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(type(AuditEvent.objects.all()), "iterator", iterator)
    rows = read_csv(signed_in(custodian).get(EXPORT, {"verb": "test.chunked"}))
    assert len(rows) == 5
    assert sizes == [audit_trail.CSV_CHUNK_SIZE]


# Reading is recorded -----------------------------------------------------------------------------------------


def test_each_page_viewed_is_one_event_naming_its_filters_and_no_content(trail, custodian, signed_in):
    client = signed_in(custodian)
    client.get(URL, {"actor": "smo", "verb": "post.", "date_from": "2026-01-01", "outcome": "succeeded"})
    client.get(URL, {"actor": "smo", "page": "1"})
    first, second = views(custodian)
    assert first.details == {
        "filters": {"actor": "smo", "verb": "post.", "date_from": "2026-01-01", "outcome": "succeeded"},
        "page": 1,
        "matching": len(expected(actor_repr="smo", verb__startswith="post.")),
    }
    assert second.details["filters"] == {"actor": "smo"}
    assert first.object_type == "" and first.actor_repr == "custodian"
    # Nothing read is written down: no title, body or request text.
    text = json.dumps([first.details, second.details])
    for content in ("Road closure", "Main Street", "lost dog"):
        assert content not in text


def test_each_export_is_recorded_with_its_filters(trail, custodian, signed_in):
    client = signed_in(custodian)
    rows = read_csv(client.get(EXPORT, {"object_type": "posts.post", "date_to": "2030-12-31"}))
    exported = AuditEvent.objects.get(verb="audit.exported")
    assert exported.actor == custodian
    assert exported.details == {"filters": {"object_type": "posts.post", "date_to": "2030-12-31"}, "format": "csv"}
    assert {r["object_type"] for r in rows} == {"posts.post"}
    # Recorded before its first row: an export whose filters take it in lists itself first.
    everything = read_csv(client.get(EXPORT))
    assert int(everything[0]["seq"]) == AuditEvent.objects.filter(verb="audit.exported").latest("seq").seq
    assert everything[0]["verb"] == "audit.exported"


# Verifying the chain -----------------------------------------------------------------------------------------


def test_the_button_verifies_the_chain_by_a_task_and_the_page_shows_the_result(
    trail, chief, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(chief)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(VERIFY + "?verb=post.")
    assert response.status_code == 302 and response["Location"] == URL + "?verb=post."
    request = AuditEvent.objects.get(verb="audit.verification_requested")
    assert request.actor == chief and request.details == {}
    verification = AuditVerification.objects.get()
    assert verification.ok and verification.checked_through_seq == request.seq
    verified = AuditEvent.objects.get(verb="audit.verified")
    assert verified.actor == chief and verified.object_id == str(verification.pk)

    html = client.get(URL).content.decode()
    assert "Verification running…" not in html
    assert '<span class="ok">ok</span>, no problem found' in html
    assert f"checked through seq {request.seq}" in html
    assert "asked for by chief" in html
    assert "Verification requested" in html  # the message after the button

    # Run again (a redelivered message): the request is answered already, nothing is verified twice.
    assert verify_requested_audit_trail_task.delay(request.seq).get()["checked_through_seq"] == request.seq
    assert AuditVerification.objects.count() == 1


def test_the_page_says_a_verification_is_running_until_it_reports(
    trail, chief, custodian, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(chief)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        client.post(VERIFY)
    assert len(pending) == 1 and not AuditVerification.objects.exists()
    html = client.get(URL).content.decode()
    assert "<strong>Verification running…</strong> Asked for by chief" in html
    assert "Not verified yet." in html

    # Pressed again meanwhile (by anyone): refused with the reason, nothing more is queued.
    with django_capture_on_commit_callbacks(execute=False) as again:
        response = signed_in(custodian).post(VERIFY, follow=True)
    assert again == []
    assert "is still running" in response.content.decode()
    assert AuditEvent.objects.filter(verb="audit.verification_requested").count() == 1

    for callback in pending:  # the worker gets to it
        callback()
    html = client.get(URL).content.decode()
    assert "Verification running…" not in html
    assert "asked for by chief" in html


def test_a_lost_request_is_answered_by_the_daily_verification_or_asked_for_again(
    trail, chief, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(chief)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(VERIFY)
    request = AuditEvent.objects.get(verb="audit.verification_requested")
    later = request.created_at + audit_trail.VERIFICATION_PATIENCE + timedelta(minutes=1)
    status = audit_trail.verification_status(now=later)
    assert status.pending is None and status.overdue == request
    with freeze_time(later):
        assert "has not reported" in client.get(URL).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        verify_audit_trail_task.delay().get()  # the daily verification reads through the request
    assert audit_trail.verification_status(now=later).overdue is None
    html = client.get(URL).content.decode()
    assert "Verification running…" not in html and "the daily verification" in html
    # The lost message delivered late finds its request answered.
    verify_requested_audit_trail_task.delay(request.seq).get()
    assert AuditVerification.objects.count() == 1


def test_a_trail_with_problems_says_so(trail, chief, signed_in, django_capture_on_commit_callbacks):
    from tests.core.test_audit_checkpoint import tamper

    tamper(("UPDATE socialgov_auditevent SET verb = %s WHERE seq = 1", ["test.innocent"]))
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(chief).post(VERIFY)
    html = signed_in(chief).get(URL).content.decode()
    assert '<span class="warn">problems found</span>: 1 problem;' in html


def test_the_verification_alerts_the_same_roles_as_the_banner():
    assert integrity.AUDIT_ALERT_ROLES == socialgov_permissions.AUDIT_ALERT_ROLES


def test_verifying_is_a_post(chief, signed_in):
    assert signed_in(chief).get(VERIFY).status_code == 405
    assert not AuditEvent.objects.filter(verb="audit.verification_requested").exists()


# Who may read it ---------------------------------------------------------------------------------------------


def test_the_chief_designee_custodian_and_reviewer_read_the_trail(
    trail, chief, designee, custodian, reviewer, signed_in
):
    for user in (chief, designee, custodian, reviewer):
        client = signed_in(user)
        assert client.get(URL).status_code == 200, user
        assert client.get(EXPORT).status_code == 200, user


@pytest.mark.parametrize("who", ["member", "supervisor"])
def test_others_are_refused_with_the_reason_and_nothing_changes(
    request, who, trail, signed_in, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(who)
    client = signed_in(user)
    count = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.get(URL),
            client.get(URL, {"verb": "post."}),
            client.get(EXPORT),
            client.post(VERIFY),
        ]
    for response in responses:
        assert response.status_code == 403
        assert not isinstance(response, StreamingHttpResponse)
        html = response.content.decode()
        assert REFUSAL in html
        assert "post.created" not in html and trail["post"].title not in html
    assert AuditEvent.objects.count() == count
    assert not AuditVerification.objects.exists()


def test_signed_out_goes_to_the_login_page(client):
    for url in (URL, EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# Queries -----------------------------------------------------------------------------------------------------


# Signing in (session, user, two-factor device), the role check, the verification's state (the newest, who asked
# for it, a request not yet answered), the page (count, rows with their actors), the viewing's event (two
# savepoints, the head of the chain, the insert, two releases), the site's navigation and banner (six, one of them whether the member has a part in vetting), and the
# session saved (savepoint, update, release). On PostgreSQL the chain's advisory lock is one more.
PAGE_QUERIES = 24


def test_a_page_of_fifty_events_takes_a_fixed_number_of_queries(
    django_user_model, chief, custodian, signed_in, django_assert_num_queries
):
    integrity.verify_audit_trail(requested_by=chief)
    client = signed_in(custodian)
    actors = [django_user_model.objects.create_user(f"officer{n}") for n in range(10)]
    client.get(URL)  # the session's first request settles what it keeps
    queries = PAGE_QUERIES + (1 if connection.vendor == "postgresql" else 0)
    for total, shows in ((3, 3), (60, 50)):
        for n in range(total - AuditEvent.objects.filter(verb="test.counted").count()):
            record_event(actors[n % 10], "test.counted", details={"n": n})
        with django_assert_num_queries(queries):
            response = client.get(URL, {"verb": "test.counted"})
        assert len(shown(response)) == shows
        assert "asked for by chief" in response.content.decode()


def test_the_selector_orders_newest_first_with_the_actor_joined(chief):
    for n in range(3):
        record_event(chief, "test.selected", details={"n": n})
    events = filtered_trail(TrailFilters(verb="test.selected"))
    assert seqs(events) == expected(verb="test.selected")
    assert events.query.select_related == {"actor": {}}
