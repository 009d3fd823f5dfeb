"""Drafting and approval in real Chromium: the SMO drafts, the supervisor reviews, the commander approves
from a phone, and a guideline post goes out without a supervisor."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from posts.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)


@pytest.mark.policy("385.3")
def test_draft_review_request_changes_resubmit_diff_approve(demo, as_user):
    smo = as_user("smo")
    smo.get_by_role("link", name="Posts", exact=True).click()
    smo.get_by_role("link", name="New post", exact=True).click()
    smo.get_by_label("Title").fill("Arrest in Main Street burglaries")
    smo.get_by_label("Body").fill("Officers arrested a man in the Main Street burglaries. We know he did it.")
    smo.get_by_label("Category").select_option(label="Press releases — 385.4(g)")
    channels = smo.get_by_role("group", name="Channels")
    channels.get_by_label("Department website").check()
    smo.get_by_role("button", name="Save draft").click()
    expect(smo.get_by_role("status")).to_contain_text("Draft saved")
    expect(smo.get_by_text("Needs supervisor approval before posting — 385.3")).to_be_visible()
    smo.get_by_role("button", name="Submit for approval").click()
    expect(smo.get_by_role("status")).to_contain_text("Submitted for approval")
    post = Post.objects.get(title="Arrest in Main Street burglaries")

    # The author cannot approve: no button, and a forged POST (with a valid CSRF token) is refused.
    smo.goto(f"/review/{post.pk}/")
    expect(smo.get_by_role("button", name="Approve")).to_have_count(0)
    expect(smo.get_by_text("You wrote this post")).to_be_visible()
    csrf = next(c["value"] for c in smo.context.cookies() if c["name"] == "csrftoken")
    forged = smo.request.post(
        f"/review/{post.pk}/", form={"action": "approve", "csrfmiddlewaretoken": csrf}, headers={"Referer": smo.url}
    )
    assert forged.ok and "You wrote this post" in forged.text()
    post.refresh_from_db()
    assert post.status == "in_review"

    supervisor = as_user("supervisor")
    supervisor.get_by_role("link", name="Review", exact=True).click()
    supervisor.get_by_role("link", name="Arrest in Main Street burglaries").click()
    findings = supervisor.get_by_role("region", name="Screening findings")
    expect(findings).to_contain_text("385.5.2(b)")
    expect(findings).to_contain_text("We know he did it")
    supervisor.get_by_label("Passage", exact=True).fill("We know he did it.")
    supervisor.get_by_label("Comment on the passage").fill("Statements about guilt are not allowed (385.5.2(b)).")
    supervisor.get_by_label("What should change").fill("Remove the statement about guilt.")
    supervisor.get_by_role("button", name="Request changes").click()
    expect(supervisor.get_by_role("status")).to_contain_text("Changes requested")

    smo.goto(f"/posts/{post.pk}/")
    expect(smo.get_by_text("Changes requested").first).to_be_visible()
    expect(smo.get_by_role("region", name="Reviews")).to_contain_text("Statements about guilt are not allowed")
    smo.get_by_role("link", name="Edit").click()
    smo.get_by_label("Body").fill(
        "Officers arrested a man in the Main Street burglaries. The case goes to the District Attorney."
    )
    smo.get_by_role("button", name="Submit for approval").click()
    expect(smo.get_by_role("status")).to_contain_text("Submitted for approval")

    supervisor.goto(f"/review/{post.pk}/")
    diff = supervisor.get_by_role("region", name=re.compile("Changes since you last reviewed it"))
    expect(diff.locator("del")).to_contain_text("We know he did it.")
    expect(diff.locator("ins")).to_contain_text("District Attorney.")
    supervisor.get_by_role("button", name="Approve").click()
    expect(supervisor.get_by_role("status")).to_contain_text("Approved")
    post.refresh_from_db()
    assert post.status == "approved" and post.approved_by.username == "supervisor"

    smo.goto(f"/posts/{post.pk}/")
    smo.get_by_role("button", name="Publish now").click()
    expect(smo.get_by_role("status")).to_contain_text("Published")
    post.refresh_from_db()
    assert post.status == "published"


@pytest.mark.policy("385.4.1")
def test_commander_approves_an_incident_update_on_a_phone(demo, as_user):
    update = Post.objects.get(incident__isnull=False, status="in_review")
    commander = as_user("commander", width=390, height=844)
    commander.get_by_role("link", name="Review", exact=True).click()
    commander.get_by_role("link", name=re.compile(r"Update 1")).click()
    expect(commander.get_by_text("Evacuation warning for homes east of Jackson St.")).to_be_visible()
    approve = commander.get_by_role("button", name="Approve")
    box = approve.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 44
    width = commander.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    approve.click()
    expect(commander.get_by_role("status")).to_contain_text("Approved")
    update.refresh_from_db()
    assert update.status == "published" and update.approved_by.username == "commander"
    commander.goto(f"/incidents/{update.incident_id}/")
    expect(commander.get_by_role("region", name="Updates")).to_contain_text(re.compile(r"Update 1[\s\S]*approved in"))


@pytest.mark.policy("385.3")
def test_guideline_post_goes_out_without_a_supervisor_but_a_changed_one_does_not(demo, as_user):
    smo = as_user("smo")
    smo.get_by_role("link", name="Guidelines").click()
    smo.get_by_role("link", name="Write a post from Road closure").click()
    smo.get_by_label("Road", exact=True).fill("Monroe St")
    smo.get_by_label("From street").fill("Ave 44")
    smo.get_by_label("To street").fill("Ave 45")
    smo.get_by_label("Until").fill("6 pm")
    smo.get_by_label("Cause").fill("a water main repair")
    smo.get_by_label("Detour").fill("Jackson St")
    smo.get_by_role("group", name="Channels").get_by_label("Department website").check()
    smo.get_by_role("button", name="Save draft").click()
    expect(smo.get_by_text("Conforms to a content guideline")).to_be_visible()
    smo.get_by_role("button", name="Publish now").click()
    expect(smo.get_by_role("status")).to_contain_text("Published")
    first = Post.objects.get(template__name="Road closure", status="published")
    assert first.approval_path == "guideline" and first.approved_by is None
    assert first.body.startswith("ROAD CLOSURE: Monroe St is closed between Ave 44 and Ave 45")

    smo.goto("/posts/new/?template=road-closure")
    for label, value in [
        ("Road", "Monroe St"),
        ("From street", "Ave 44"),
        ("To street", "Ave 45"),
        ("Until", "6 pm"),
        ("Cause", "a water main repair"),
        ("Detour", "Jackson St"),
    ]:
        smo.get_by_label(label, exact=True).fill(value)
    smo.get_by_label("Body").fill("ROAD CLOSURE: Monroe St is closed. Avoid downtown, it is a mess.")
    smo.get_by_role("group", name="Channels").get_by_label("Department website").check()
    smo.get_by_role("button", name="Save draft").click()
    expect(smo.get_by_text("Needs supervisor approval before posting — 385.3")).to_be_visible()
    expect(smo.get_by_text("differs from the fixed wording")).to_be_visible()
    expect(smo.get_by_role("button", name="Publish now")).to_have_count(0)
    changed = Post.objects.get(template__name="Road closure", status="draft")
    csrf = next(c["value"] for c in smo.context.cookies() if c["name"] == "csrftoken")
    smo.request.post(f"/posts/{changed.pk}/publish/", form={"csrfmiddlewaretoken": csrf}, headers={"Referer": smo.url})
    changed.refresh_from_db()
    assert changed.status == "draft"
