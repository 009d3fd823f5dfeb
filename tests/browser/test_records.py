"""The records custodian in real Chromium: capture, legal hold, disposition blocked by the hold, release,
destruction with a certificate."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from posts import services as posts
from posts.models import Post
from retention.models import Record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.policy("385.7")
def test_hold_blocks_disposition_until_released(as_user):
    call_command("seed_demo", verbosity=0)
    post = Post.objects.get(title="National Night Out", status="approved")
    posts.publish_post(actor=post.author, post=post)
    record = Record.objects.get(source_type="posts.post", source_id=post.pk)

    custodian = as_user("custodian")
    custodian.get_by_role("link", name="Records", exact=True).click()
    custodian.get_by_role("link", name=re.compile(rf"#{record.pk} National Night Out")).click()
    expect(custodian.get_by_text("verifies")).to_be_visible()
    expect(custodian.get_by_role("region", name="As published")).to_contain_text("National Night Out is")

    custodian.goto("/records/holds/")
    custodian.get_by_label(re.compile("^Matter")).fill("Doe v. City of Indio")
    custodian.get_by_label("Requested by").fill("Office of the City Attorney")
    custodian.get_by_label(re.compile("^Reason")).fill("Litigation hold")
    custodian.get_by_label("Keywords (comma-separated)").fill("Night Out")
    custodian.get_by_role("button", name="Place legal hold").click()
    expect(custodian.get_by_role("status")).to_contain_text("Legal hold placed")
    expect(custodian.get_by_role("region", name="Records held")).to_contain_text(f"#{record.pk}")
    hold_url = custodian.url

    custodian.goto("/records/disposition/")
    custodian.get_by_label("Retention as of").fill((timezone.localdate() + timedelta(days=3 * 366)).isoformat())
    custodian.get_by_role("button", name="Run disposition").click()
    row = custodian.get_by_role("row").filter(has_text=f"#{record.pk} National Night Out")
    expect(row).to_contain_text("Held — cannot be destroyed")
    batch_url = custodian.url
    record.refresh_from_db()
    assert record.status == "active"

    custodian.goto(hold_url)
    custodian.get_by_label("Reason for releasing").fill("Case settled")
    custodian.get_by_role("button", name="Release hold").click()
    expect(custodian.get_by_role("heading", level=1)).to_contain_text("Released")

    custodian.goto(batch_url)
    custodian.get_by_role("row").filter(has_text=f"#{record.pk} National Night Out").get_by_role(
        "button", name=re.compile("^Approve")
    ).click()
    expect(custodian.get_by_role("status")).to_contain_text("decision recorded")
    custodian.get_by_role("button", name="Carry out approved dispositions").click()
    custodian.get_by_role("link", name="Certificate of destruction").click()
    expect(custodian.get_by_role("heading", name="Certificate of destruction")).to_be_visible()
    expect(custodian.get_by_role("cell", name=str(record.pk), exact=True)).to_be_visible()
    record.refresh_from_db()
    assert record.status == "destroyed" and record.content["tombstone"]
