"""Vetting pages: each shows a member only their part, refuses the rest in the same words, and reads in a constant
number of queries whatever the size of the file."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from tests.vetting.conftest import ALL_ATTESTED, add_finding, work_all_steps
from vetting import services
from vetting.models import SearchSession

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5.4(d)")]


def test_a_member_with_no_part_is_refused_the_same_way_for_any_process(signed_in, member, process):
    client = signed_in(member)
    mine = client.get(f"/vetting/processes/{process.pk}/")
    missing = client.get(f"/vetting/processes/{process.pk + 999}/")
    assert mine.status_code == missing.status_code == 403
    assert b"not a hiring process you have a part in" in mine.content and mine.content.count(b"385.5.4(d)")
    assert client.get("/vetting/").status_code == 403


def test_a_decision_maker_sees_released_reports_only(signed_in, supervisor, searcher, candidate, session, png_upload):
    finding = add_finding(searcher, candidate, "Shoved a man outside a bar.", capture=png_upload)
    client = signed_in(supervisor)
    page = client.get(f"/vetting/processes/{candidate.process.pk}/")
    assert page.status_code == 200
    assert b"Riley Ramos" not in page.content and b"Checklist of search steps" not in page.content
    assert client.get(f"/vetting/candidates/{candidate.pk}/").status_code == 403
    assert client.get(f"/vetting/findings/{finding.pk}/capture/").status_code == 403
    assert not AuditEvent.objects.filter(verb="vetting.capture_viewed").exists()


def test_every_view_of_a_released_report_is_audited(signed_in, supervisor, searcher, candidate, session):
    work_all_steps(searcher, candidate)
    report = services.release_report(actor=searcher, candidate=candidate, read_by_hand=True)
    client = signed_in(supervisor)
    for _ in range(2):
        response = client.get(f"/vetting/reports/{report.pk}/")
        assert response.status_code == 200 and b"Riley Ramos" in response.content
        assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(verb="vetting.report_viewed", actor=supervisor).count() == 2


def test_the_searcher_attests_on_the_page_before_searching(signed_in, searcher, candidate):
    client = signed_in(searcher)
    page = client.get(f"/vetting/candidates/{candidate.pk}/")
    assert b"Lawful-methods attestation" in page.content and b"Record a finding" not in page.content
    partial = {"action": "attest", **{f"attest-{key}": "on" for key in ALL_ATTESTED[:2]}}
    refused = client.post(f"/vetting/candidates/{candidate.pk}/", partial)
    assert refused.status_code == 200 and b"Attest every lawful-methods statement" in refused.content
    assert not SearchSession.objects.exists()
    full = {"action": "attest", **{f"attest-{key}": "on" for key in ALL_ATTESTED}}
    assert client.post(f"/vetting/candidates/{candidate.pk}/", full).status_code == 302
    assert SearchSession.objects.get().searcher == searcher
    assert b"Record a finding" in client.get(f"/vetting/candidates/{candidate.pk}/").content


def test_a_finding_entered_on_the_page_is_escaped_and_flagged(signed_in, searcher, candidate, session):
    client = signed_in(searcher)
    response = client.post(
        f"/vetting/candidates/{candidate.pk}/",
        {
            "action": "finding",
            "finding-step": candidate.process.steps.first().pk,
            "finding-source_url": "https://social.example.com/p/1",
            "finding-seen_on": "2026-11-30",
            "finding-content": "<script>alert(1)</script> Goes to mass at St. Anne's church every Sunday.",
        },
        follow=True,
    )
    assert b"<script>alert(1)</script>" not in response.content and b"&lt;script&gt;" in response.content
    assert b"The protected-class filter flagged" in response.content


def _candidate_page_queries(client, candidate):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/vetting/candidates/{candidate.pk}/").status_code == 200
    return len(queries)


def test_the_candidate_page_reads_in_a_constant_number_of_queries(signed_in, searcher, candidate, session):
    client = signed_in(searcher)
    add_finding(searcher, candidate, "Posted photos from her church picnic.")
    one = _candidate_page_queries(client, candidate)
    for i in range(6):
        add_finding(searcher, candidate, f"Posted photos from her church picnic, part {i}.")
    assert _candidate_page_queries(client, candidate) == one


def test_the_uniformity_report_page(signed_in, hr, searcher, candidate, session):
    work_all_steps(searcher, candidate)
    response = signed_in(hr).get(f"/vetting/processes/{candidate.process.pk}/uniformity/")
    assert response.status_code == 200 and b"Every candidate has had every step." in response.content
