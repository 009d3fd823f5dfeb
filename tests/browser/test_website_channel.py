"""The department website in real Chromium: publish, a visitor comments, the team sees it, a supervisor
removes the post from public view and the record stays."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from posts.models import Comment, Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publish_comment_monitor_and_remove_from_public_view(as_user, browser, live_server):
    call_command("seed_demo", verbosity=0)
    post = Post.objects.get(title="National Night Out", status="approved")

    smo = as_user("smo")
    smo.goto(f"/posts/{post.pk}/")
    smo.get_by_role("button", name="Publish now").click()
    expect(smo.get_by_role("status")).to_contain_text("Published")
    publishing = smo.get_by_role("region", name="Publishing")
    expect(publishing).to_contain_text(re.compile(r"Department website: Published"))

    visitor_context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    visitor = visitor_context.new_page()
    visitor.goto("/news/")
    for notice in (
        "do not reflect the opinions of the department",
        "remove obscenities, off-topic comments and personal attacks",
        "subject to public disclosure",
    ):
        expect(visitor.get_by_role("contentinfo")).to_contain_text(notice)
    visitor.get_by_role("link", name="National Night Out").click()
    expect(visitor.get_by_role("heading", name="National Night Out")).to_be_visible()
    visitor.get_by_label("Name").fill("Pat Neighbor")
    visitor.get_by_role("textbox", name=re.compile("^Comment")).fill("Will there be parking near Miles Avenue Park?")
    visitor.get_by_role("button", name="Post comment").click()
    expect(visitor.get_by_role("status")).to_contain_text("will appear once the team has reviewed it")
    public_url = visitor.url.split("#")[0]

    smo.get_by_role("link", name="Monitoring").click()
    card = smo.get_by_role("article").filter(has_text="Will there be parking near Miles Avenue Park?")
    expect(card).to_contain_text("Pat Neighbor")
    card.get_by_role("button", name="Show").click()
    expect(smo.get_by_role("status")).to_contain_text("show done")
    visitor.goto(public_url)
    expect(visitor.get_by_text("Will there be parking near Miles Avenue Park?")).to_be_visible()

    supervisor = as_user("supervisor")
    supervisor.goto(f"/posts/{post.pk}/")
    supervisor.get_by_label("Reason for removal (385.5)").fill("Date was wrong; reposting corrected.")
    supervisor.get_by_role("button", name="Remove from public view").click()
    expect(supervisor.get_by_role("status")).to_contain_text("Removed from public view")

    response = visitor.goto(public_url)
    assert response.status == 404
    visitor.goto("/news/")
    expect(visitor.get_by_role("link", name="National Night Out")).to_have_count(0)
    visitor_context.close()

    post.refresh_from_db()
    assert post.status == "removed" and post.closed_reason == "Date was wrong; reposting corrected."
    assert post.body and Comment.objects.filter(post=post).count() == 1
