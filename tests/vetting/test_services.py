"""Background vetting services (385.5.4(d)): every refusal leaves nothing changed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.audit import verify_chain
from core.errors import InvalidInput, PermissionRefused, PolicyViolation
from core.models import AuditEvent
from members.models import MemberProfile
from tests.vetting.conftest import ALL_ATTESTED, add_finding, work_all_steps
from vetting import permissions, services
from vetting.models import (
    Candidate,
    ChecklistStep,
    Finding,
    ProcessMember,
    ReleasedReport,
    SearcherDesignation,
    SearchSession,
)

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5.4(d)")]

CHURCH = "Posted photos from Sunday service at her church, Grace Baptist, where she sings in the choir."
FIGHT = "Posted a video of herself shoving a man outside a bar on 4th Street and laughing about it."


def _events(verb):
    return AuditEvent.objects.filter(verb=verb).count()


# Designation ---------------------------------------------------------------------------------------------


def test_the_chief_designates_a_searcher_with_expiry_and_reason_and_it_is_audited(chief, member):
    until = timezone.localdate() + timedelta(days=200)
    designation = services.designate_searcher(actor=chief, member=member, valid_until=until, reason="BI unit")
    assert designation.is_active() and permissions.is_designated_searcher(member)
    assert MemberProfile.objects.get(user=member).sensitive_position
    assert AuditEvent.objects.filter(verb="vetting.searcher_designated", object_id=str(designation.pk)).exists()

    services.revoke_designation(actor=chief, designation=designation, reason="Transferred to patrol")
    member = type(member).objects.get(pk=member.pk)  # a new request's user: what it may do is read afresh
    assert not permissions.is_designated_searcher(member)
    assert not MemberProfile.objects.get(user=member).sensitive_position
    assert _events("vetting.designation_revoked") == 1


def test_only_the_chief_or_designee_designates(supervisor, member):
    with pytest.raises(PermissionRefused) as refusal:
        services.designate_searcher(
            actor=supervisor, member=member, valid_until=timezone.localdate() + timedelta(days=5), reason="x"
        )
    assert refusal.value.section == "385.5.4(d)"
    assert (
        not SearcherDesignation.objects.exists() and not AuditEvent.objects.filter(verb__startswith="vetting.").exists()
    )


def test_a_designation_needs_a_reason_and_a_future_end(chief, member):
    with pytest.raises(InvalidInput) as no_reason:
        services.designate_searcher(actor=chief, member=member, valid_until=timezone.localdate(), reason="  ")
    assert no_reason.value.field == "reason"
    with pytest.raises(InvalidInput) as past:
        services.designate_searcher(
            actor=chief, member=member, valid_until=timezone.localdate() - timedelta(days=1), reason="BI unit"
        )
    assert past.value.field == "valid_until"
    assert not SearcherDesignation.objects.exists()


def test_an_expired_designation_no_longer_lets_a_member_search(searcher, candidate):
    SearcherDesignation.objects.filter(member=searcher).update(
        valid_from=timezone.localdate() - timedelta(days=30), valid_until=timezone.localdate() - timedelta(days=1)
    )
    searcher.__dict__.pop("_vetting_designated", None)
    with pytest.raises(PolicyViolation):
        services.start_session(actor=searcher, candidate=candidate, attested=ALL_ATTESTED)
    assert not SearchSession.objects.exists()


# Separation of searcher and decision maker ---------------------------------------------------------------


def test_a_decision_maker_cannot_be_the_searcher_of_the_same_process(hr, process, supervisor, designate):
    designate(supervisor)
    before = (ProcessMember.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PolicyViolation) as refusal:
        services.add_participant(actor=hr, process=process, member=supervisor, part="searcher")
    assert refusal.value.section == "385.5.4(d)" and refusal.value.field == "member"
    assert (ProcessMember.objects.count(), AuditEvent.objects.count()) == before
    assert not supervisor.has_perm(permissions.SEARCH, process)
    assert ProcessMember.objects.get(process=process, member=supervisor).part == "decision_maker"


def test_a_searcher_cannot_be_a_decision_maker_of_the_same_process(hr, process, searcher):
    before = (ProcessMember.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PolicyViolation) as refusal:
        services.add_participant(actor=hr, process=process, member=searcher, part="decision_maker")
    assert refusal.value.section == "385.5.4(d)"
    assert (ProcessMember.objects.count(), AuditEvent.objects.count()) == before
    assert not searcher.has_perm(permissions.SEE_RELEASED, process)


def test_the_database_refuses_two_parts_for_one_member(hr, process, searcher):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ProcessMember.objects.create(process=process, member=searcher, part="decision_maker", added_by=hr)


def test_the_same_member_may_search_one_process_and_decide_another(hr, supervisor, searcher, process):
    other = services.open_process(
        actor=hr,
        position="Dispatcher",
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate() + timedelta(days=10),
        decision_makers=[searcher],
    )
    assert permissions.can_see_released(searcher, other) and not permissions.can_search(searcher, other)
    assert permissions.can_search(searcher, process) and not permissions.can_see_released(searcher, process)


def test_a_member_without_designation_cannot_be_assigned_or_search(hr, process, member, candidate):
    with pytest.raises(PolicyViolation) as refusal:
        services.add_participant(actor=hr, process=process, member=member, part="searcher")
    assert "designation" in str(refusal.value)
    assert not ProcessMember.objects.filter(member=member).exists()
    with pytest.raises(PolicyViolation):
        services.start_session(actor=member, candidate=candidate, attested=ALL_ATTESTED)
    assert not SearchSession.objects.exists()


def test_a_designated_searcher_not_assigned_to_the_process_cannot_search(designate, member, candidate):
    designate(member)
    with pytest.raises(PermissionRefused):
        services.start_session(actor=member, candidate=candidate, attested=ALL_ATTESTED)
    assert not SearchSession.objects.exists() and candidate.process.checklist_frozen_at is None


def test_only_human_resources_opens_a_process(supervisor):
    with pytest.raises(PermissionRefused):
        services.open_process(
            actor=supervisor,
            position="Officer",
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
        )


# Attestation and the frozen checklist --------------------------------------------------------------------


def test_searching_starts_with_every_lawful_methods_statement_attested(searcher, candidate):
    with pytest.raises(PolicyViolation) as refusal:
        services.start_session(actor=searcher, candidate=candidate, attested=ALL_ATTESTED[:-1])
    assert refusal.value.field == "attested"
    assert not SearchSession.objects.exists()
    session = services.start_session(actor=searcher, candidate=candidate, attested=ALL_ATTESTED)
    assert set(session.attestation) == set(ALL_ATTESTED)
    assert "friend or follow requests" in " ".join(session.attestation.values())


def test_no_finding_or_step_without_an_attested_session(searcher, candidate):
    step = candidate.process.steps.first()
    with pytest.raises(PolicyViolation):
        services.record_step(actor=searcher, candidate=candidate, step=step, outcome="done")
    with pytest.raises(PolicyViolation):
        add_finding(searcher, candidate, FIGHT)
    assert not Finding.objects.exists()


def test_the_checklist_cannot_change_after_the_first_search(hr, process, candidate, session):
    process.refresh_from_db()
    assert process.checklist_frozen
    steps = list(process.steps.values_list("number", "platform", "query"))
    with pytest.raises(PolicyViolation) as refusal:
        services.add_step(actor=hr, process=process, platform="Instagram", query="name", period="5 years")
    assert refusal.value.section == "385.5.4(d)"
    with pytest.raises(PolicyViolation):
        services.remove_step(actor=hr, step=process.steps.first())
    assert list(process.steps.values_list("number", "platform", "query")) == steps


def test_not_applicable_needs_a_reason(searcher, candidate, session):
    step = candidate.process.steps.get(number=2)
    with pytest.raises(InvalidInput) as refusal:
        services.record_step(actor=searcher, candidate=candidate, step=step, outcome="not_applicable", reason="")
    assert refusal.value.field == "reason"
    result = services.record_step(
        actor=searcher, candidate=candidate, step=step, outcome="not_applicable", reason="No account found"
    )
    assert result.reason == "No account found"


# Findings, the filter, validation and release ------------------------------------------------------------


def test_a_finding_about_the_candidates_church_is_flagged(searcher, candidate, session):
    finding = add_finding(searcher, candidate, CHURCH)
    flags = list(finding.flags.all())
    assert {f.category for f in flags} >= {"religion"}
    church = next(f for f in flags if f.category == "religion")
    assert CHURCH[church.start : church.end] == church.excerpt and church.decision == "pending"


def test_a_capture_is_always_reviewed_by_hand(searcher, candidate, session, png_upload):
    finding = add_finding(searcher, candidate, FIGHT, capture=png_upload)
    assert finding.capture_type == "image/png" and len(finding.capture_sha256) == 64
    assert [f.field for f in finding.flags.all()] == ["capture"]


def test_a_capture_that_is_not_an_image_pdf_or_page_is_refused(searcher, candidate, session):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(InvalidInput) as refusal:
        add_finding(searcher, candidate, FIGHT, capture=bad)
    assert refusal.value.field == "capture" and not Finding.objects.exists()


def _settle(actor, finding, decision="redacted", reason="Religion is protected under FEHA."):
    for flag in finding.flags.filter(decision="pending"):
        services.decide_flag(actor=actor, flag=flag, decision=decision, reason=reason)


def test_release_holds_only_validated_filtered_findings_and_never_a_capture(
    searcher, supervisor, candidate, session, png_upload
):
    church = add_finding(searcher, candidate, CHURCH, note="Choir photos too.")
    fight = add_finding(searcher, candidate, FIGHT, capture=png_upload)
    unchecked = add_finding(searcher, candidate, "Bragged about driving 120 mph on the freeway.")
    work_all_steps(searcher, candidate)
    for finding in (church, fight, unchecked):
        _settle(searcher, finding)
    services.validate_finding(actor=searcher, finding=church, validated=True, method="second_source")
    services.validate_finding(actor=searcher, finding=fight, validated=True, method="official_record")

    report = services.release_report(actor=searcher, candidate=candidate, read_by_hand=True)

    text = str(report.body)
    assert "church" not in text.lower() and "Grace Baptist" not in text
    assert services.REDACTION in report.body["findings"][0]["content"]
    assert "shoving a man" in text
    assert "120 mph" not in text  # not validated: never released as fact
    assert fight.capture_sha256 not in text and fight.capture_name not in text
    assert report.body["findings"][1]["capture"] == "A capture was withheld: it shows protected information."
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.RELEASED
    assert _events("vetting.report_released") == 1


def test_an_unvalidated_finding_cannot_be_put_in_a_report(searcher, candidate, session):
    finding = add_finding(searcher, candidate, FIGHT)
    with pytest.raises(PolicyViolation) as refusal:
        services.report_body(candidate, [finding])
    assert refusal.value.section == "385.5.4(d)"
    services.validate_finding(actor=searcher, finding=finding, validated=False, note="Account may be an impostor")
    finding.refresh_from_db()
    with pytest.raises(PolicyViolation):
        services.report_body(candidate, [finding])


def test_validation_says_how(searcher, candidate, session):
    finding = add_finding(searcher, candidate, FIGHT)
    with pytest.raises(InvalidInput) as refusal:
        services.validate_finding(actor=searcher, finding=finding, validated=True, method="")
    assert refusal.value.field == "validation_method"
    finding.refresh_from_db()
    assert finding.validation == "pending"


def test_release_waits_for_every_step_and_every_flag(searcher, candidate, session):
    finding = add_finding(searcher, candidate, CHURCH)
    services.validate_finding(actor=searcher, finding=finding, validated=True, method="candidate_response")
    with pytest.raises(PolicyViolation) as refusal:
        services.release_report(actor=searcher, candidate=candidate, read_by_hand=True)
    assert "Checklist steps not worked" in str(refusal.value) and "protected-class flag" in str(refusal.value)
    assert not ReleasedReport.objects.exists()


def test_not_protected_needs_a_second_designated_searcher(searcher, searcher2, candidate, session):
    finding = add_finding(searcher, candidate, "Wrote that he married his high-school sweetheart in 2015.")
    flag = finding.flags.get(category="marital_status")
    services.decide_flag(actor=searcher, flag=flag, decision="not_protected", reason="Context only")
    work_all_steps(searcher, candidate)
    services.validate_finding(actor=searcher, finding=finding, validated=True, method="second_source")
    with pytest.raises(PolicyViolation) as waiting:
        services.release_report(actor=searcher, candidate=candidate, read_by_hand=True)
    assert "second searcher" in str(waiting.value)
    with pytest.raises(PolicyViolation):
        services.review_flag(actor=searcher, flag=flag, agree=True)
    flag.refresh_from_db()
    assert flag.review == "waiting"

    services.review_flag(actor=searcher2, flag=flag, agree=False, note="Marital status is protected: redact it.")
    flag.refresh_from_db()
    assert flag.decision == "pending" and flag.review_note
    services.decide_flag(actor=searcher, flag=flag, decision="redacted", reason="Second searcher disagreed")
    report = services.release_report(actor=searcher, candidate=candidate, read_by_hand=True)
    assert "married" not in str(report.body)


def test_excluding_a_flag_withholds_the_whole_finding(searcher, candidate, session):
    finding = add_finding(searcher, candidate, "Her profile says she is eight months pregnant with twins.")
    _settle(searcher, finding, decision="excluded", reason="Nothing in it is about conduct")
    finding.refresh_from_db()
    assert finding.excluded
    work_all_steps(searcher, candidate)
    report = services.release_report(actor=searcher, candidate=candidate, read_by_hand=True)
    assert report.body["findings"] == []


def test_decision_makers_see_only_their_own_processes_reports(
    hr, supervisor, supervisor2, searcher, candidate, session
):
    work_all_steps(searcher, candidate)
    report = services.release_report(actor=searcher, candidate=candidate, read_by_hand=True)
    assert list(permissions.decision_processes(supervisor)) == [candidate.process]
    assert list(permissions.decision_processes(supervisor2)) == []
    services.view_report(actor=supervisor, report=report)
    assert AuditEvent.objects.filter(verb="vetting.report_viewed", actor=supervisor).count() == 1
    with pytest.raises(PermissionRefused):
        services.view_report(actor=supervisor2, report=report)
    with pytest.raises(PermissionRefused):
        services.view_report(actor=searcher, report=report)
    assert AuditEvent.objects.filter(verb="vetting.report_viewed").count() == 1


def test_decision_makers_never_open_a_raw_capture(supervisor, searcher, candidate, session, png_upload):
    finding = add_finding(searcher, candidate, FIGHT, capture=png_upload)
    with pytest.raises(PolicyViolation):
        services.open_capture(actor=supervisor, finding=finding)
    with services.open_capture(actor=searcher, finding=finding) as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert _events("vetting.capture_viewed") == 1


def test_the_audit_trail_names_candidates_by_number_and_never_what_was_found(searcher, searcher2, candidate, session):
    finding = add_finding(searcher, candidate, CHURCH)
    flag = finding.flags.filter(category="religion").first()
    services.decide_flag(actor=searcher, flag=flag, decision="not_protected", reason="Church choir only")
    services.review_flag(actor=searcher2, flag=flag, agree=False, note="Religion is protected")
    step = candidate.process.steps.get(number=2)
    services.record_step(
        actor=searcher, candidate=candidate, step=step, outcome="not_applicable", reason="Deleted her account"
    )
    events = AuditEvent.objects.filter(verb__startswith="vetting.")
    assert {"vetting.finding_recorded", "vetting.flag_decided", "vetting.flag_reviewed"} <= {e.verb for e in events}
    for event in events:
        text = f"{event.object_repr} {event.details}".lower()
        for word in ("riley", "church", "religion", "deleted her account"):
            assert word not in text, (event.verb, word)
    assert verify_chain().ok


# Uniformity and retention --------------------------------------------------------------------------------


def test_the_uniformity_report_shows_every_candidate_and_step(hr, searcher, process, candidate, session):
    from vetting.selectors import uniformity

    other = services.add_candidate(actor=hr, process=process, name="Sam Okafor", applicant_number="A-1002")
    work_all_steps(searcher, candidate)
    services.start_session(actor=searcher, candidate=other, attested=ALL_ATTESTED)
    step2 = process.steps.get(number=2)
    services.record_step(actor=searcher, candidate=other, step=step2, outcome="not_applicable", reason="No account")
    table = uniformity(process)
    assert [s.number for s in table["steps"]] == [1, 2, 3]
    by_number = {row["candidate"].applicant_number: row for row in table["rows"]}
    assert by_number["A-1001"]["skipped"] == 0 and by_number["A-1001"]["missing"] == 0
    assert by_number["A-1002"]["skipped"] == 1 and by_number["A-1002"]["missing"] == 2
    assert by_number["A-1002"]["cells"][1].reason == "No account"
    assert not table["uniform"]


def test_closing_keeps_files_under_the_personnel_series_then_destroys_them(
    hr, searcher, process, candidate, session, png_upload
):
    from core import storage as stores

    finding = add_finding(searcher, candidate, FIGHT, capture=png_upload)
    name = finding.capture_name
    assert stores.records_store().exists(name)
    services.close_process(actor=hr, process=process)
    candidate.refresh_from_db()
    years = process.series.retention_years
    assert candidate.retain_until.year == timezone.localdate().year + years
    assert services.destroy_expired_files(today=candidate.retain_until) == 0  # kept through its last day
    assert services.destroy_expired_files(today=candidate.retain_until + timedelta(days=1)) == 1
    candidate.refresh_from_db()
    assert candidate.status == "destroyed" and candidate.name == "" and not Finding.objects.exists()
    assert not stores.records_store().exists(name)
    assert services.destroy_expired_files(today=candidate.retain_until + timedelta(days=2)) == 0
    assert _events("vetting.file_destroyed") == 1


def test_the_checklist_is_numbered_in_order(process):
    assert list(ChecklistStep.objects.filter(process=process).values_list("number", flat=True)) == [1, 2, 3]


def test_a_designation_that_runs_out_ends_the_sensitive_position(chief, searcher):
    from vetting.tasks import end_expired_designations_task

    assert MemberProfile.objects.get(user=searcher).sensitive_position
    designation = SearcherDesignation.objects.get(member=searcher)
    assert end_expired_designations_task.delay().get() == 0
    later = designation.valid_until + timedelta(days=1)
    assert services.end_expired_designations(today=later) == 1
    assert not MemberProfile.objects.get(user=searcher).sensitive_position
    assert services.end_expired_designations(today=later) == 0
    assert _events("vetting.designation_lapsed") == 1


def test_the_source_address_is_filtered_too(searcher, candidate, session):
    finding = services.record_finding(
        actor=searcher,
        candidate=candidate,
        step=candidate.process.steps.get(number=1),
        source_url="https://social.example.com/groups/grace-baptist-church/posts/9",
        seen_on=timezone.localdate(),
        content="Posted a threat to 'handle' a neighbour who parks in front of her house.",
    )
    assert {f.field for f in finding.flags.all()} == {"source_url"}
    _settle(searcher, finding)
    work_all_steps(searcher, candidate)
    services.validate_finding(actor=searcher, finding=finding, validated=True, method="second_source")
    released = services.release_report(actor=searcher, candidate=candidate, read_by_hand=True).body["findings"][0]
    assert "baptist" not in released["source_url"].lower() and "church" not in released["source_url"].lower()
    assert released["source_url"].startswith("https://social.example.com/groups/")


def test_release_waits_for_the_searcher_to_have_read_every_finding_by_hand(searcher, candidate, session):
    work_all_steps(searcher, candidate)
    with pytest.raises(PolicyViolation) as refusal:
        services.release_report(actor=searcher, candidate=candidate, read_by_hand=False)
    assert refusal.value.field == "read_by_hand" and not ReleasedReport.objects.exists()


def test_a_passage_the_filter_missed_is_redacted_by_hand_everywhere_it_appears(searcher, candidate, session):
    text = "Calls himself the Lone Wolf of Ward 6; Lone Wolf posts every Sunday after services."
    finding = add_finding(searcher, candidate, text)
    for flag in finding.flags.all():
        services.decide_flag(actor=searcher, flag=flag, decision="redacted", reason="Protected")
    with pytest.raises(InvalidInput) as missing:
        services.redact_by_hand(
            actor=searcher, finding=finding, field="content", passage="Ward 7", category="religion", reason="x"
        )
    assert missing.value.field == "passage"
    flags = services.redact_by_hand(
        actor=searcher,
        finding=finding,
        field="content",
        passage="Lone Wolf",
        category="national_origin",
        reason="A nickname his community uses for him",
    )
    assert len(flags) == 2 and all(f.decision == "redacted" and f.settled for f in flags)
    work_all_steps(searcher, candidate)
    services.validate_finding(actor=searcher, finding=finding, validated=True, method="second_source")
    released = services.release_report(actor=searcher, candidate=candidate, read_by_hand=True).body
    assert "Lone Wolf" not in released["findings"][0]["content"]
    assert released["findings"][0]["content"].count(services.REDACTION) >= 2
    event = AuditEvent.objects.get(verb="vetting.redacted_by_hand")
    assert "Lone Wolf" not in str(event.details) and event.details["places"] == 2
