"""Checked again at the moment of sending, in real Chromium: a scheduled post meets a confidential-registry term
added after its approval, is stopped and returned to review; the SMO sees why on the dashboard, edits it, and it
goes out after a new approval (385.3, 385.5(c))."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from moderation import services as review
from moderation.screening import services as screening
from moderation.screening.rules import registry as registry_rule
from posts import services as posts
from posts.models import Channel, Post, Publication
from posts.publishing import services as publishing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.policy("385.3", "385.5(c)")]


def test_a_scheduled_post_stopped_by_a_new_registry_term_is_fixed_and_sent(as_user):
    call_command("seed_demo", verbosity=0)
    registry_rule._cache.update(key=None, terms=())
    users = get_user_model().objects.in_bulk(["smo", "supervisor"], field_name="username")
    smo, supervisor = users["smo"], users["supervisor"]
    post = posts.create_post(
        actor=smo,
        title="Thank you, park volunteers",
        body="Thank you to Dana Whitfield and the volunteers who cleaned up Miles Avenue Park on Saturday.",
        category="announcement",
        channels=Channel.objects.filter(kind="website"),
        scheduled_for=timezone.now() + timedelta(hours=2),
    )
    review.submit_for_review(actor=smo, post=post)
    review.approve_post(actor=supervisor, post=post)
    assert Post.objects.get(pk=post.pk).status == Post.Status.SCHEDULED

    # After the approval a detective registers the name: a witness in an open case.
    screening.add_confidential_term(
        actor=supervisor,
        term="Dana Whitfield",
        kind="witness",
        case_number="26-2210",
        expires_on=timezone.localdate() + timedelta(days=60),
    )
    Post.objects.filter(pk=post.pk).update(scheduled_for=timezone.now() - timedelta(seconds=1))
    assert publishing.publish_due_scheduled() == 0  # the sweeper's minute comes: it does not go out

    page = as_user("smo")
    stopped = page.get_by_role("region", name="Stopped at the moment of sending")
    expect(stopped).to_contain_text("Thank you, park volunteers")
    expect(stopped).to_contain_text("confidential-terms registry")
    expect(stopped).to_contain_text("385.5(c)")
    expect(stopped).not_to_contain_text("Dana Whitfield")
    stopped.get_by_role("link", name="Thank you, park volunteers").click()
    expect(page.get_by_role("region", name="Not sent: stopped at the moment of sending")).to_contain_text(
        "needs a new approval"
    )
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Body").fill("Thank you to the volunteers who cleaned up Miles Avenue Park on Saturday.")
    page.get_by_label("Publish at").fill("")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("back) in review")

    approver = as_user("supervisor")
    approver.goto(f"/review/{post.pk}/")
    expect(approver.get_by_role("region", name="Not sent: stopped at the moment of sending")).to_be_visible()
    approver.get_by_role("button", name="Approve").click()
    expect(approver.get_by_role("status")).to_contain_text("Approved")

    page.goto(f"/posts/{post.pk}/")
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_role("status")).to_contain_text("Published")
    expect(page.get_by_role("region", name="Publishing")).to_contain_text(re.compile(r"Department website: Published"))
    page.goto("/")
    expect(page.get_by_role("region", name="Stopped at the moment of sending")).to_contain_text("Nothing was stopped.")
    assert Publication.objects.filter(post=post, status=Publication.Status.PUBLISHED).exists()
