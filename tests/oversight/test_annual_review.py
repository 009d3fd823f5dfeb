"""The annual review (385.6) through its services and pages: the Chief appoints a supervisor, only the appointee
generates and writes the report, the Chief signs it off with a fresh second factor, and the signed version is
frozen, kept as a record under its own series, and listed on the Chief's dashboard."""

import time
from datetime import date

import pytest
from django.contrib.auth.models import Group

from core.errors import InvalidInput, InvalidTransition, PermissionRefused
from core.models import AuditEvent, Notification
from oversight import review
from oversight.review_models import AnnualReview
from retention.models import ClassificationRule, Record, RecordSeries, RetentionSchedule
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.6")]
R = AnnualReview.Status
HEADINGS = (
    "Resources being used",
    "Effectiveness of the content",
    "Unauthorized or inappropriate content",
    "Resolution of issues",
)


@pytest.fixture
def reviewer(db):
    user = UserFactory(username="reviewer", first_name="Riley", last_name="Brooks")
    user.groups.add(Group.objects.get(name="Supervisor"), Group.objects.get(name="Annual Reviewer"))
    return user


@pytest.fixture
def review_series(custodian):
    series = RecordSeries.objects.create(code="ADM-385.6", title="Annual review of social media use")
    RetentionSchedule.objects.create(
        series=series,
        version=1,
        period=5,
        unit="years",
        trigger="year_end",
        action="transfer",
        citation="Administrative reports",
        approved_by=custodian,
    )
    ClassificationRule.objects.create(position=5, kind="annual_review", series=series, created_by=custodian)
    return series


@pytest.fixture
def appointment(chief, reviewer):
    return review.appoint_reviewer(
        actor=chief, reviewer=reviewer, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
    )


def generated(reviewer, appointment) -> AnnualReview:
    report = review.start_report(actor=reviewer, appointment=appointment)
    review.generate_report(report.pk)  # the task's work (tests run tasks in-process too)
    report.refresh_from_db()
    return report


def submitted(reviewer, appointment, recommendations="Publish the monthly crime map on every channel.") -> AnnualReview:
    report = generated(reviewer, appointment)
    review.write_up(
        actor=reviewer,
        report=report,
        findings="Posting stayed within policy; two removals were resolved within a day.",
        recommendations=recommendations,
        follow_ups=[],
    )
    return review.submit_report(actor=reviewer, report=report)


def test_only_the_chief_or_designee_appoints_and_only_a_supervisor_is_appointed(chief, supervisor, reviewer, member):
    with pytest.raises(PermissionRefused) as refused:
        review.appoint_reviewer(
            actor=supervisor, reviewer=reviewer, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
        )
    assert refused.value.section == "385.6"
    with pytest.raises(InvalidInput) as bad:
        review.appoint_reviewer(
            actor=chief, reviewer=member, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
        )
    assert bad.value.field == "reviewer"
    with pytest.raises(InvalidInput) as backwards:
        review.appoint_reviewer(
            actor=chief, reviewer=reviewer, period_start=date(2025, 12, 31), period_end=date(2025, 1, 1)
        )
    assert backwards.value.field == "period_end"
    assert not AuditEvent.objects.filter(verb="annual_review.reviewer_appointed").exists()

    appointment = review.appoint_reviewer(
        actor=chief, reviewer=reviewer, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
    )
    event = AuditEvent.objects.get(verb="annual_review.reviewer_appointed")
    assert event.actor == chief and event.details["reviewer"] == "reviewer" and event.details["to"] == "2025-12-31"
    assert Notification.objects.filter(recipient=reviewer, event="annual_review.appointed").exists()
    assert str(appointment) == "Annual review 2025-01-01 – 2025-12-31"


def test_only_the_appointee_generates_and_the_report_has_the_four_headings_of_385_6(appointment, reviewer, supervisor):
    with pytest.raises(PermissionRefused):
        review.start_report(actor=supervisor, appointment=appointment)
    assert not AnnualReview.objects.exists()
    report = generated(reviewer, appointment)
    assert report.status == R.DRAFT and report.generated_at and report.progress_done == report.progress_total > 0
    headings = [s["heading"] for s in report.data["sections"]]
    for heading in HEADINGS:
        assert heading in headings
    # A second version cannot start while this one is a draft.
    with pytest.raises(InvalidTransition):
        review.start_report(actor=reviewer, appointment=appointment)


def test_submitting_needs_findings_and_the_chief_is_told(appointment, reviewer, chief):
    report = generated(reviewer, appointment)
    with pytest.raises(InvalidInput) as refused:
        review.submit_report(actor=reviewer, report=report)
    assert refused.value.field == "findings"
    review.write_up(actor=reviewer, report=report, findings="Within policy.", recommendations="")
    done = review.submit_report(actor=reviewer, report=report)
    assert done.status == R.SUBMITTED
    assert Notification.objects.filter(recipient=chief, event="annual_review.submitted").exists()


def test_the_chief_signs_off_and_the_signed_report_is_frozen_and_kept_as_a_record(
    appointment, reviewer, chief, review_series
):
    report = submitted(reviewer, appointment)
    with pytest.raises(PermissionRefused):
        review.sign_off_report(actor=reviewer, report=report)
    signed = review.sign_off_report(actor=chief, report=report)
    assert signed.status == R.SIGNED and signed.signed_by == chief
    record = Record.objects.get(pk=signed.record_id)
    assert record.kind == "annual_review" and record.series == review_series and record.verify()
    assert record.content["findings"].startswith("Posting stayed within policy")
    assert record.content["recommendations"] == ["Publish the monthly crime map on every channel."]
    assert len(record.content["pdf_sha256"]) == 64
    event = AuditEvent.objects.get(verb="annual_review.signed_off")
    assert event.details["record"] == record.pk

    with pytest.raises(InvalidTransition) as frozen:
        review.write_up(actor=reviewer, report=signed, findings="Changed later", recommendations="")
    assert "new version" in str(frozen.value)
    assert AnnualReview.objects.get(pk=signed.pk).findings.startswith("Posting stayed within policy")

    again = review.start_report(actor=reviewer, appointment=appointment)
    assert again.version == 2 and again.findings == signed.findings and again.status == R.GENERATING


def test_next_years_report_asks_what_became_of_each_recommendation(appointment, reviewer, chief, review_series):
    review.sign_off_report(
        actor=chief,
        report=submitted(reviewer, appointment, recommendations="Train two more members.\nAdd Spanish posts."),
    )
    next_year = review.appoint_reviewer(
        actor=chief, reviewer=reviewer, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
    )
    report = generated(reviewer, next_year)
    assert [f["text"] for f in report.follow_ups] == ["Train two more members.", "Add Spanish posts."]
    review.write_up(actor=reviewer, report=report, findings="Fine.", recommendations="", follow_ups=["Done", ""])
    with pytest.raises(InvalidInput) as refused:
        review.submit_report(actor=reviewer, report=report)
    assert refused.value.field == "follow_ups"
    review.write_up(
        actor=reviewer, report=report, findings="Fine.", recommendations="", follow_ups=["Done", "Started in May"]
    )
    assert review.submit_report(actor=reviewer, report=report).status == R.SUBMITTED


def test_pages_sign_off_asks_for_a_fresh_second_factor_and_the_dashboard_lists_the_report(
    appointment, reviewer, chief, review_series, signed_in
):
    report = submitted(reviewer, appointment)
    client = signed_in(chief)
    page = client.get(f"/oversight/reviews/{report.pk}/").content.decode()
    for heading in HEADINGS:
        assert heading in page
    assert "Sign off the report" in page and "Annual reviews for your sign-off" in client.get("/").content.decode()

    session = client.session
    session["second_factor_at"] = time.time() - 3600
    session.save()
    asked = client.post(f"/oversight/reviews/{report.pk}/sign-off/")
    assert asked.status_code == 302 and asked["Location"].startswith("/accounts/two-factor/confirm/")
    assert AnnualReview.objects.get(pk=report.pk).status == R.SUBMITTED

    fresh = signed_in(chief)
    fresh.post(f"/oversight/reviews/{report.pk}/sign-off/")
    report.refresh_from_db()
    assert report.status == R.SIGNED
    dashboard = fresh.get("/").content.decode()
    assert "Signed annual reviews" in dashboard and f"record #{report.record_id}" in dashboard

    pdf = fresh.get(f"/oversight/reviews/{report.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    csv_text = fresh.get(f"/oversight/reviews/{report.pk}/report.csv").content.decode()
    assert csv_text.count("\n") > 10 and "resources" in csv_text


def test_a_member_is_refused_the_annual_review_with_its_reason(appointment, reviewer, member, signed_in):
    report = generated(reviewer, appointment)
    client = signed_in(member)
    for url in (
        "/oversight/reviews/",
        f"/oversight/reviews/{report.pk}/",
        f"/oversight/reviews/{report.pk}/report.csv",
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "for the Chief, the designee and the appointed reviewer" in response.content.decode()


def test_the_reviewer_writes_and_submits_through_the_page(appointment, reviewer, signed_in):
    report = generated(reviewer, appointment)
    client = signed_in(reviewer)
    client.post(
        f"/oversight/reviews/{report.pk}/",
        {"findings": "All good.", "recommendations": "Keep going.\n\nPost more often.", "action": "submit"},
    )
    report.refresh_from_db()
    assert report.status == R.SUBMITTED and report.recommendation_list == ["Keep going.", "Post more often."]


def test_while_it_generates_the_page_shows_progress_and_a_lost_generation_is_swept_up(appointment, reviewer, signed_in):
    from datetime import timedelta

    from django.utils import timezone

    report = review.start_report(actor=reviewer, appointment=appointment)  # its message is never sent here
    client = signed_in(reviewer)
    page = client.get(f"/oversight/reviews/{report.pk}/").content.decode()
    assert "<progress" in page and "js/progress.js" in page
    state = client.get(f"/oversight/reviews/{report.pk}/progress/").json()
    assert state == {"status": "generating", "done": 0, "total": 0, "label": "", "percent": 0}

    assert review.sweep_generation() == 0  # too recent: its worker may just be starting
    AnnualReview.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert review.sweep_generation() == 1  # the task runs in-process in tests
    report.refresh_from_db()
    assert report.status == R.DRAFT and report.progress_percent == 100
