"""Monitoring in real Chromium: a threat on the website reaches the team at once and is removed with its
reason; a member's report goes through removal and investigation; markup never executes anywhere."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from core.models import AuditEvent
from moderation.models import ContentReport
from posts.models import Channel, Comment, Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XSS = [
    "<script>alert('xss1')</script>",
    '"><img src=x onerror=alert("xss2")>',
    "<svg/onload=alert('xss3')>",
    "<iframe src=javascript:alert('xss4')></iframe>",
    "<a href=\"javascript:alert('xss5')\">x</a>",
    "<body onload=alert('xss6')>",
    "\u202egnp.exe",
]


@pytest.fixture
def published(as_user):
    call_command("seed_demo", verbosity=0)
    website = Channel.objects.get(slug="news")
    website.comments_require_review = False  # this page shows comments at once
    website.save()
    return Post.objects.get(status="published")


def public_path(post):
    return post.publications.get(channel__slug="news").url.split("8000")[-1]


@pytest.mark.policy("385.5.1")
def test_threat_alert_then_removal_with_reason_threat(published, as_user, browser, live_server):
    visitor_context = browser.new_context(base_url=live_server.url)
    visitor = visitor_context.new_page()
    visitor.goto(public_path(published))
    visitor.get_by_label("Name").fill("Angry Person")
    visitor.get_by_role("textbox", name=re.compile("^Comment")).fill(
        "I am going to shoot the officers at the station tonight."
    )
    visitor.get_by_role("button", name="Post comment").click()
    expect(visitor.get_by_text("I am going to shoot the officers")).to_be_visible()

    smo = as_user("smo")
    alert = smo.get_by_role("alert").filter(has_text="Threat in a public comment")
    expect(alert).to_contain_text("I am going to shoot the officers")
    alert.get_by_role("link", name="Open the comment").click()
    smo.get_by_label("Reason").select_option(label="Threat")
    smo.get_by_label("Note").fill("Reported to the watch commander")
    smo.get_by_role("button", name="Remove").click()
    expect(smo.get_by_role("status")).to_contain_text("remove done")
    expect(smo.get_by_role("alert").filter(has_text="Threat in a public comment")).to_have_count(0)

    visitor.reload()
    expect(visitor.get_by_text("I am going to shoot the officers")).to_have_count(0)
    visitor_context.close()
    kept = Comment.objects.get(author_name="Angry Person")
    assert kept.status == "removed" and kept.removal_reason == "threat"
    assert kept.text.startswith("I am going to shoot the officers")


@pytest.mark.policy("385.5")
def test_member_reports_supervisor_removes_and_resolves(published, as_user):
    member = as_user("member")
    member.get_by_role("link", name="Reports").click()
    member.get_by_role("link", name="Report content").click()
    member.get_by_label("Or the department post").select_option(label=published.title)
    member.get_by_label("What it breaks").select_option(value="385.5(b)")
    member.get_by_label("What is wrong").fill("The photo caption names a juvenile.")
    member.get_by_role("button", name="Send report").click()
    expect(member.get_by_role("status")).to_contain_text("Reported to the supervisors")
    report = ContentReport.objects.get()

    supervisor = as_user("supervisor")
    supervisor.goto(f"/reports/{report.pk}/")
    supervisor.get_by_label("Reason").fill("Names a juvenile")
    supervisor.get_by_role("button", name="Remove from public view").click()
    expect(supervisor.get_by_role("heading", level=1)).to_contain_text("Removed from public view")
    supervisor.get_by_label("How it got posted").fill("Caption added after approval by the vendor tool")
    supervisor.get_by_label("By whom").fill("smo")
    supervisor.get_by_label("Which control failed").fill("Caption edits bypassed review")
    supervisor.get_by_role("button", name="Record investigation").click()
    supervisor.get_by_label("Resolution").fill("Captions now go through review; member retrained.")
    supervisor.get_by_role("button", name="Resolve").click()
    expect(supervisor.get_by_role("heading", level=1)).to_contain_text("Resolved")
    trail = supervisor.get_by_role("region", name="Audit trail")
    for verb in ("report.filed", "report.content_removed", "report.investigation_recorded", "report.resolved"):
        expect(trail).to_contain_text(verb)
    published.refresh_from_db()
    assert published.status == "removed"
    assert AuditEvent.objects.filter(verb="post.removed_from_public_view", object_id=str(published.pk)).exists()


def test_no_markup_executes_on_the_public_page_or_the_monitoring_queue(
    published, as_user, browser, live_server, settings
):
    settings.COMMENT_RATE_PER_HOUR = 50
    dialogs = []
    visitor_context = browser.new_context(base_url=live_server.url)
    visitor = visitor_context.new_page()
    visitor.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for i, payload in enumerate(XSS):
        visitor.goto(public_path(published))
        visitor.get_by_label("Name").fill(f"Visitor {i} {payload}")
        visitor.get_by_role("textbox", name=re.compile("^Comment")).fill(f"Comment {i}: {payload}")
        visitor.get_by_role("button", name="Post comment").click()
    visitor.goto(public_path(published))
    expect(visitor.get_by_text(re.compile(r"Comment 6"))).to_be_visible()
    assert visitor.locator("script:not([src])").count() == 0
    assert visitor.locator("#comments img, #comments svg, #comments iframe").count() == 0

    smo = as_user("smo")
    smo.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    smo.goto("/monitoring/?state=all")
    expect(smo.get_by_text(re.compile(r"Comment 0"))).to_be_visible()
    assert smo.locator("main img, main svg, main iframe").count() == 0
    visitor_context.close()
    assert dialogs == [], f"script ran: {dialogs}"
