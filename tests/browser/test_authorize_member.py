"""The Chief logs in with password and TOTP, authorizes `team`, and is refused for an untrained member."""

import base64
import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from playwright.sync_api import expect

from members.models import Authorization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_SECRET_KEY = base64.b32decode("JBSWY3DPEHPK3PXP")  # the documented demo secret


@pytest.mark.policy("385.3", "385.8")
def test_chief_authorizes_team_and_is_refused_for_untrained_member(page):
    call_command("seed_demo", verbosity=0)

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Two-factor code")).to_be_visible()
    page.get_by_label("Two-factor code").fill(f"{totp(DEMO_SECRET_KEY):06d}")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    page.get_by_role("link", name="Members").click()
    page.get_by_role("link", name="Taylor Nguyen").click()
    page.get_by_role("link", name="Authorize to post").click()
    page.get_by_label("Department website").check()
    page.get_by_role("button", name="Authorize").click()

    expect(page.get_by_role("status")).to_contain_text("team is authorized to post (385.3)")
    grants = page.get_by_role("region", name="Authorizations (385.3)")
    expect(grants.get_by_role("row", name=re.compile(r"Department website.*Dana Reyes.*Active"))).to_be_visible()
    decision = page.get_by_role("region", name="May post on behalf of the department")
    expect(decision.get_by_role("listitem").filter(has_text="Department website")).to_contain_text("Yes")
    assert Authorization.objects.filter(member__username="team", revoked_at__isnull=True).count() == 1

    page.goto("/members/member/authorize/")
    page.get_by_label("Department website").check()
    page.get_by_role("button", name="Authorize").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("No current social media training is on record")
    expect(alert).to_contain_text("385.8")
    assert not Authorization.objects.filter(member__username="member").exists()
