"""In real Chromium: the Social Media Officer drafts a 300-character post for X and Mastodon with a time to go out,
is told while typing that it does not fit X (and that it fits Mastodon) before submitting, and then finds it on the
content calendar on its day, in the week and in the month."""

from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from posts.models import Channel, Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.policy("385.5(g)")]

TITLE = "Bike rodeo at Miles Avenue Park"
SENTENCE = "Bring your bike and helmet to the bike rodeo at Miles Avenue Park; officers check brakes and lights. "
BODY = (SENTENCE * 4)[:299] + "."


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)
    Channel.objects.get_or_create(slug="mastodon", defaults={"name": "Mastodon", "kind": Channel.Kind.MASTODON})


def test_the_smo_is_warned_before_submitting_and_finds_the_post_on_the_calendar(demo, as_user):
    assert len(BODY) == 300
    today = timezone.localdate()
    day = today + timedelta(days=1)
    at = timezone.make_aware(datetime.combine(day, time(10, 30)))

    smo = as_user("smo")
    smo.get_by_role("link", name="Posts", exact=True).click()
    smo.get_by_role("link", name="New post", exact=True).click()
    smo.get_by_label("Title").fill(TITLE)
    smo.get_by_label("Category").select_option(label="Announcements and event advertisements — 385.4(a)")
    channels = smo.get_by_role("group", name="Channels")
    channels.get_by_label("X account").check()
    channels.get_by_label("Mastodon").check()
    smo.get_by_label("Publish at").fill(at.strftime("%Y-%m-%dT%H:%M"))
    smo.get_by_label("Body").fill(BODY)

    # While typing, before anything is sent: X counts 300 of its 280; Mastodon takes it.
    previews = smo.get_by_role("region", name="How it will look on each platform")
    x_card = previews.get_by_role("article", name="X account (X)")
    expect(x_card).to_contain_text("X: 300 / 280")
    expect(x_card).to_contain_text("Shorten it by 20 characters, or leave X account out.")
    mastodon_card = previews.get_by_role("article", name="Mastodon")
    expect(mastodon_card).to_contain_text("Mastodon: 300 / 500")
    expect(mastodon_card).to_contain_text("fits")
    expect(mastodon_card).not_to_contain_text("does not fit")
    warning = smo.get_by_role("paragraph").filter(has_text="Does not fit X")
    expect(warning).to_contain_text("X: 300 / 280")
    expect(smo.get_by_role("paragraph").filter(has_text="Does not fit Mastodon")).to_have_count(0)
    expect(smo.get_by_role("button", name="Submit for approval")).to_be_enabled()

    # Shortening it clears the warning, lengthening it brings it back: the count is the server's.
    smo.get_by_label("Body").fill(BODY[:279] + ".")
    expect(x_card).to_contain_text("X: 280 / 280")
    expect(warning).to_have_count(0)
    smo.get_by_label("Body").fill(BODY)
    expect(smo.get_by_role("paragraph").filter(has_text="Does not fit X")).to_contain_text("X: 300 / 280")

    smo.get_by_role("button", name="Submit for approval").click()
    expect(smo.get_by_role("status")).to_contain_text("Submitted for approval")
    post = Post.objects.get(title=TITLE)
    assert post.status == Post.Status.IN_REVIEW and post.scheduled_for == at

    # The week that holds the day.
    smo.get_by_role("link", name="Calendar", exact=True).click()
    expect(smo.get_by_role("heading", name="Content calendar")).to_be_visible()
    next_week = day.weekday() == 0  # today is Sunday: tomorrow starts the next week
    if next_week:
        smo.get_by_role("link", name="Next week").click()
    cell = smo.get_by_role("cell").filter(has=smo.get_by_role("link", name=TITLE))
    expect(cell).to_contain_text(day.strftime("%A ") + str(day.day) + day.strftime(" %B %Y"))
    expect(cell).to_contain_text("10:30")
    expect(cell).to_contain_text("Mastodon, X account")
    expect(cell).to_contain_text("In review")

    # The month.
    smo.get_by_role("link", name="Month", exact=True).click()
    if not next_week and day.month != today.month:  # the month shown is today's
        smo.get_by_role("link", name="Next month").click()
    expect(smo.get_by_role("heading", name=day.strftime("%B %Y"))).to_be_visible()
    cell = smo.get_by_role("cell").filter(has=smo.get_by_role("link", name=TITLE))
    expect(cell).to_contain_text(day.strftime("%A ") + str(day.day) + day.strftime(" %B %Y"))

    # On a phone the same month is a list of days, each a region named by its date.
    smo.set_viewport_size({"width": 390, "height": 844})
    region = smo.get_by_role("region", name=day.strftime("%A ") + str(day.day) + day.strftime(" %B %Y"))
    expect(region.get_by_role("link", name=TITLE)).to_be_visible()
    region.get_by_role("link", name=TITLE).click()
    expect(smo.get_by_role("heading", name=TITLE)).to_be_visible()
