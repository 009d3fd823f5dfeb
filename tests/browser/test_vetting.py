"""Background vetting (385.5.4(d)) in real Chromium: the Chief designates `searcher`; Human Resources opens a process
with `supervisor` deciding and a three-step checklist; `searcher` attests, works the steps for two candidates, records
a finding about a candidate's church, which the protected-class filter flags, redacts it, validates the findings and
releases; `supervisor` reads the released report without the redacted passage and without any capture."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from core.models import AuditEvent
from vetting.models import Candidate, ReleasedReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.policy("385.5.4(d)")]

CHURCH = "Posted photos from Sunday service at her church, Grace Baptist, where she sings in the choir."
FIGHT = "Posted a video of herself shoving a man outside a bar on 4th Street and laughing about it."
STEPS = [
    ("Facebook", "Full name and known aliases", "Last 7 years"),
    ("X (Twitter)", "Handle and full name", "Last 7 years"),
    ("News search", "Full name with city of residence", "Last 10 years"),
]


def _status(page, text):
    expect(page.get_by_role("status")).to_contain_text(text)


def _attest(page):
    attestation = page.get_by_role("region", name="Lawful-methods attestation")
    boxes = attestation.get_by_role("checkbox")
    # Wait for the whole form before listing its boxes: .all() does not wait.
    expect(boxes).to_have_count(5)
    for index in range(5):
        boxes.nth(index).check()
        expect(boxes.nth(index)).to_be_checked()
    attestation.get_by_role("button", name="Attest and start searching").click()
    _status(page, "Your search session is open")


def _work_steps(page, *, skip: int | None = None):
    for number, (platform, _query, _period) in enumerate(STEPS, start=1):
        step = page.get_by_role("region", name=f"Step {number}: {platform}")
        if number == skip:
            step.get_by_label("Not applicable").check()
            step.get_by_label("Reason").fill("No X account under the candidate's name or handle.")
        else:
            step.get_by_label("Done").check()
        step.get_by_role("button", name="Record step").click()
        _status(page, f"Step {number} recorded")


def _record_finding(page, content, url):
    form = page.get_by_role("region", name="Record a finding")
    form.get_by_label("Checklist step").select_option(label="Step 1: Facebook")
    form.get_by_label("Source URL").fill(url)
    form.get_by_label("What was found").fill(content)
    form.get_by_role("button", name="Record finding").click()


def test_designate_open_search_filter_validate_release_and_read(as_user):
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()

    chief = as_user("chief")
    chief.get_by_role("link", name="Vetting", exact=True).click()
    chief.get_by_role("link", name="Designate searchers (sensitive position)").click()
    chief.get_by_label("Member to designate").select_option(value="searcher")
    chief.get_by_label("Valid until").fill(f"{today + timedelta(days=365):%Y-%m-%d}")
    chief.get_by_label("Reason").fill("Background investigations unit: hiring season.")
    chief.get_by_role("button", name="Designate searcher").click()
    _status(chief, "searcher is designated a searcher")

    hr = as_user("hr")
    hr.get_by_role("link", name="Vetting", exact=True).click()
    hr.get_by_role("link", name="Open a hiring process").click()
    hr.get_by_label("Position").fill("Police Officer Trainee")
    hr.get_by_label("Opens on").fill(f"{today:%Y-%m-%d}")
    hr.get_by_label("Closes on").fill(f"{today + timedelta(days=60):%Y-%m-%d}")
    hr.get_by_label("Decision makers").select_option(value=["supervisor"])
    hr.get_by_role("button", name="Open process").click()
    _status(hr, "Hiring process opened")
    for number, (platform, query, period) in enumerate(STEPS, start=1):
        hr.get_by_label("Platform or source").fill(platform)
        hr.get_by_label("What to search").fill(query)
        hr.get_by_label("Period").fill(period)
        hr.get_by_role("button", name="Add step").click()
        _status(hr, f"Step {number} added")
    # The decision maker cannot also search this process (385.5.4(d)).
    hr.get_by_label(re.compile(r"^Member")).select_option(value="supervisor")
    hr.get_by_label("Part in this process").select_option(label="Searcher")
    hr.get_by_role("button", name="Add to process").click()
    expect(hr.get_by_role("alert")).to_be_visible()
    expect(
        hr.get_by_text(re.compile(r"supervisor is a decision maker in this process.*385\.5\.4\(d\)"))
    ).to_be_visible()
    hr.get_by_label(re.compile(r"^Member")).select_option(value="searcher")
    hr.get_by_label("Part in this process").select_option(label="Searcher")
    hr.get_by_role("button", name="Add to process").click()
    _status(hr, "Added")
    for name, number in (("Riley Ramos", "A-1001"), ("Sam Okafor", "A-1002")):
        hr.get_by_label("Candidate's name").fill(name)
        hr.get_by_label("Applicant number").fill(number)
        hr.get_by_role("button", name="Add candidate").click()
        _status(hr, "Candidate added")

    searcher = as_user("searcher")
    searcher.get_by_role("link", name="Vetting", exact=True).click()
    searcher.get_by_role("link", name="Police Officer Trainee").click()
    searcher.get_by_role("link", name="Riley Ramos").click()
    _attest(searcher)
    _work_steps(searcher)
    _record_finding(searcher, CHURCH, "https://social.example.com/riley.ramos/photos/1")
    _status(searcher, "The protected-class filter flagged")
    church = searcher.get_by_role("article", name="Finding 1")
    expect(church).to_contain_text("Religion")
    decisions = church.get_by_role("form", name=re.compile("^Decide: "))
    assert decisions.count() >= 1
    while decisions.count():  # each flagged passage is decided on its own
        decide = decisions.first
        decide.get_by_label("Redact the passage").check()
        decide.get_by_label("Reason").fill("Religion is a protected characteristic (FEHA); not relevant to conduct.")
        decide.get_by_role("button", name="Record decision").click()
        _status(searcher, "Redacted")
    _record_finding(searcher, FIGHT, "https://social.example.com/riley.ramos/videos/7")
    _status(searcher, "Finding recorded")
    for name, method in (("Finding 1", "An official record"), ("Finding 2", "A second, independent source")):
        finding = searcher.get_by_role("article", name=name)
        finding.get_by_label("Validated", exact=True).check()
        finding.get_by_label("How it was validated").select_option(label=method)
        finding.get_by_role("button", name="Record validation").click()
        _status(searcher, "Finding validated")
    searcher.get_by_label(re.compile("I read every finding to be released")).check()
    searcher.get_by_role("button", name="Release report").click()
    _status(searcher, "Report released to the decision makers")

    searcher.get_by_role("link", name="Police Officer Trainee").click()
    searcher.get_by_role("link", name="Sam Okafor").click()
    _attest(searcher)
    _work_steps(searcher, skip=2)
    searcher.get_by_label(re.compile("I read every finding to be released")).check()
    searcher.get_by_role("button", name="Release report").click()
    _status(searcher, "Report released to the decision makers")

    supervisor = as_user("supervisor")
    supervisor.get_by_role("link", name="Vetting", exact=True).click()
    supervisor.get_by_role("link", name="Police Officer Trainee").click()
    expect(supervisor.get_by_role("region", name="Candidates")).to_have_count(0)  # the workings stay with searchers
    supervisor.get_by_role("link", name="Report on Riley Ramos (A-1001)").click()
    report = supervisor.get_by_role("main")
    expect(report).to_contain_text("[redacted under 385.5.4(d)]")
    expect(report).to_contain_text("shoving a man outside a bar")
    expect(report).not_to_contain_text("church")
    expect(report).not_to_contain_text("Grace Baptist")
    assert supervisor.locator("a[href*='/capture/'], img").count() == 0

    candidate = Candidate.objects.get(applicant_number="A-1001")
    capture_url = f"/vetting/findings/{candidate.findings.first().pk}/capture/"
    assert supervisor.request.get(capture_url).status == 403
    assert supervisor.request.get(f"/vetting/candidates/{candidate.pk}/").status == 403
    assert ReleasedReport.objects.count() == 2
    assert AuditEvent.objects.filter(verb="vetting.report_viewed", actor__username="supervisor").count() == 1

    hr.get_by_role("link", name="Uniformity report").click()
    table = hr.get_by_role("table", name="Candidates × checklist steps")
    expect(table.get_by_role("row", name=re.compile("A-1002"))).to_contain_text("Skipped: No X account")
    expect(table.get_by_role("row", name=re.compile("A-1001"))).not_to_contain_text("Skipped")
