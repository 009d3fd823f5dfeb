"""The annual review (385.6) in real Chromium: the Chief appoints the reviewer, the reviewer generates the report for
the demo year, sees the charts, adds a recommendation and submits; the Chief signs it off; it is kept as a record,
and its PDF holds the four headings of 385.6 and a figure from the data."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from oversight.review_models import AnnualReview
from retention.models import Record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.policy("385.6")]
HEADINGS = (
    "Resources being used",
    "Effectiveness of the content",
    "Unauthorized or inappropriate content",
    "Resolution of issues",
)


def test_appoint_generate_write_submit_sign_off_and_open_the_pdf(as_user):
    from pypdf import PdfReader

    call_command("seed_demo", verbosity=0)
    year = timezone.localdate().year

    chief = as_user("chief")
    chief.get_by_role("link", name="Oversight", exact=True).click()
    chief.get_by_role("link", name="Annual review of social media use").click()
    chief.get_by_label("Reviewer (a supervisor)").select_option(value="reviewer")
    chief.get_by_label("Review period from").fill(f"{year}-01-01")
    chief.get_by_label("Review period to").fill(f"{year}-12-31")
    chief.get_by_role("button", name="Appoint reviewer").click()
    expect(chief.get_by_role("status")).to_contain_text("Reviewer appointed")

    reviewer = as_user("reviewer")
    expect(reviewer.get_by_role("region", name="Your annual review (385.6)")).to_contain_text("not generated yet")
    reviewer.get_by_role("link", name=f"Annual review {year}-01-01 – {year}-12-31").click()
    reviewer.get_by_role("button", name="Generate the report").click()
    for heading in HEADINGS:
        expect(reviewer.get_by_role("heading", name=re.compile(heading))).to_be_visible()
    charts = reviewer.locator("img.chart")
    assert charts.count() >= 3
    for i in range(charts.count()):
        assert charts.nth(i).get_attribute("alt")  # every chart has its text alternative
        assert charts.nth(i).evaluate("img => img.naturalWidth") > 0  # and draws
    reviewer.get_by_role("textbox", name="Findings", exact=True).fill(
        "The department posted within policy; removals were resolved promptly."
    )
    reviewer.get_by_role("textbox", name="Recommendations", exact=True).fill(
        "Post the monthly traffic-safety figures in Spanish as well."
    )
    reviewer.get_by_role("button", name="Submit to the Chief").click()
    expect(reviewer.get_by_role("status")).to_contain_text("Submitted to the Chief")

    chief.goto("/")
    chief.get_by_role("region", name="Oversight (385.6, 385.8)").get_by_role(
        "link", name=re.compile("version 1")
    ).click()
    chief.get_by_role("button", name="Sign off the report").click()
    expect(chief.get_by_role("status")).to_contain_text("Signed off")
    expect(chief.get_by_text(re.compile(r"Kept as record #\d+"))).to_be_visible()

    report = AnnualReview.objects.get()
    record = Record.objects.get(pk=report.record_id)
    assert record.kind == "annual_review" and record.series.code == "ADM-385.6" and record.verify()
    chief.goto("/")
    expect(chief.get_by_role("region", name="Oversight (385.6, 385.8)")).to_contain_text(f"record #{record.pk}")

    pdf = chief.request.get(f"/oversight/reviews/{report.pk}/report.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.body())).pages)
    for heading in HEADINGS:
        assert heading in text
    resources = next(s for s in report.data["sections"] if s["heading"] == "Resources being used")
    figure = resources["figures"][0]
    assert f"{figure['label']} {figure['value']}" in text  # one figure from the data, as the page shows it
    assert "Post the monthly traffic-safety figures in Spanish as well." in text
