"""Each role's dashboard leads with its own work: the custodian's with records work, not a warning about posting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from retention.public_records import log_request

pytestmark = pytest.mark.django_db


def test_the_custodians_dashboard_leads_with_records_work_and_says_nothing_about_posting(signed_in, custodian):
    overdue = log_request(
        actor=custodian,
        requester="Press-Enterprise",
        description="Posts about Monroe St.",
        received_on=timezone.localdate() - timedelta(days=20),
    )
    log_request(actor=custodian, requester="Jane Roe", description="Comments on the Nov. 2 post")
    page = signed_in(custodian).get("/").content.decode()
    work = page.index("Records work (385.7)")
    first_heading = page.index("<h2", page.index("<h1>Dashboard</h1>"))
    assert first_heading < work < page.index("</h2>", first_heading)  # the first thing after the greeting
    assert overdue.number in page and "overdue" in page
    assert overdue.number in page[work:]  # requests come by days left: the overdue one is listed
    for item in (
        "Exports ready to download",
        "Disposition batches waiting",
        "Legal holds in force",
        "Last fixity check",
    ):
        assert item in page[work:], item
    assert "not authorized to post" not in page and "No current social media training" not in page
    assert "Recent audit events" not in page  # logins are the Chief's and the reviewer's to watch


def test_a_member_who_posts_still_sees_their_authorization_and_training(signed_in, author):
    page = signed_in(author).get("/").content.decode()
    assert "Your authorization to post" in page and "Records work" not in page


def test_the_chief_sees_the_recent_audit_events(signed_in, chief):
    assert "Recent audit events" in signed_in(chief).get("/").content.decode()
