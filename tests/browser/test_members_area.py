"""In Chromium, the Chief adds a member, gives the Supervisor role, appoints a designee and ends the appointment
(385.3); each change is on the member's history from the audit trail, and so is a role given in a shell."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from core.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chief_manages_a_member_and_every_change_is_in_the_audit_trail(as_user):
    call_command("seed_demo", verbosity=0)
    page = as_user("chief", width=390, height=844)

    page.goto("/members/")
    page.get_by_role("link", name="Add member").click()
    page.get_by_label("Username").fill("rlopez")
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("E-mail").fill("rlopez@police.example.gov")
    page.get_by_label("Badge / employee ID").fill("7731")
    page.get_by_label("Division").fill("Patrol")
    page.get_by_role("checkbox", name="Social media team member").check()
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("heading", name="Rosa Lopez")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("rlopez added")

    page.get_by_role("link", name="Change roles").click()
    page.get_by_role("checkbox", name="Supervisor", exact=True).check()
    page.get_by_label("Reason").fill("Promoted to sergeant")
    page.get_by_role("button", name="Save roles").click()
    roles = page.locator("dt", has_text="Roles").locator("xpath=following-sibling::dd[1]")
    expect(roles).to_contain_text("Supervisor")

    page.get_by_role("link", name="Appoint designee").click()
    expect(page.get_by_role("main")).to_contain_text("385.3")
    page.get_by_label("Reason").fill("Chief at the state academy, 2-20 March")
    page.get_by_role("button", name="Appoint designee").click()
    expect(page.get_by_role("status")).to_contain_text("appointed the Chief's designee (385.3)")
    terms = page.get_by_role("region", name="Designee appointments (385.3)")
    expect(terms).to_contain_text("Chief at the state academy")
    expect(roles).to_contain_text("Designee")

    terms.get_by_role("link", name="End appointment").click()
    page.get_by_label("Reason").fill("Chief back from the academy")
    page.get_by_role("button", name="End appointment").click()
    expect(terms).to_contain_text("Chief back from the academy")
    expect(roles).not_to_contain_text("Designee")

    # The same member, changed from a shell: no page involved, still in the trail.
    rosa = get_user_model().objects.get(username="rlopez")
    rosa.groups.add(Group.objects.get(name="Records Custodian"))

    page.reload()
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("designee.appointed")
    expect(history).to_contain_text("designee.ended")
    expect(history).to_contain_text("member.added")
    expect(
        history.get_by_role("listitem").filter(has_text=re.compile(r"system — account\.roles_changed"))
    ).to_have_count(1)
    expect(
        history.get_by_role("listitem").filter(has_text=re.compile(r"chief — account\.roles_changed"))
    ).to_have_count(4)

    changes = [
        (e.actor_repr, e.details)
        for e in AuditEvent.objects.filter(verb="account.roles_changed", object_id=str(rosa.pk)).order_by("seq")
    ]
    assert changes == [
        ("chief", {"added": ["Team Member"]}),
        ("chief", {"added": ["Supervisor"]}),
        ("chief", {"added": ["Designee"]}),
        ("chief", {"removed": ["Designee"]}),
        ("system", {"added": ["Records Custodian"]}),
    ]
    call_command("verify_audit", verbosity=0)
