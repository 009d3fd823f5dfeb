"""The draft page's previews (385.5(g)): the post as each platform will show it, counted by that platform's rules,
with a warning naming the platform and what to do, on the page itself and from /posts/preview/ while typing."""

import json

import pytest

from posts.previews import previews_for, summary
from tests.factories import ChannelFactory, trained
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5(g)")]

SENTENCE = "Road work on Highway 111 between Jackson Street and Monroe Street continues this week; expect delays. "
TEXT_300 = (SENTENCE * 4)[:299] + "."


@pytest.fixture
def x(db):
    return ChannelFactory(name="X account", slug="x", kind="x")


@pytest.fixture
def mastodon(db):
    return ChannelFactory(name="Mastodon", slug="mastodon", kind="mastodon")


@pytest.fixture
def facebook(other_channel):
    return other_channel


def by_platform(previews):
    return {p.platform: p for p in previews}


def test_300_characters_are_too_many_for_x_and_fit_mastodon_and_facebook(x, mastodon, facebook, channel):
    assert len(TEXT_300) == 300
    previews = by_platform(previews_for(channels=[x, mastodon, facebook, channel], body=TEXT_300))

    # The website has no platform limit: it has no preview card.
    assert set(previews) == {"X", "Mastodon", "Facebook"}
    assert previews["X"].count == "X: 300 / 280" and not previews["X"].fits
    assert previews["X"].advice == "Shorten it by 20 characters, or leave X account out."
    assert previews["Mastodon"].count == "Mastodon: 300 / 500" and previews["Mastodon"].fits
    assert previews["Facebook"].count == "Facebook: 300 / 63,206" and previews["Facebook"].fits
    said = summary(list(previews.values()))
    assert "X: 300 / 280" in said and "leave X account out" in said and "Mastodon" not in said


def test_the_published_text_is_the_body_then_the_translation_never_the_title(x, mastodon):
    [preview] = previews_for(channels=[mastodon], body="Lost dog found.", translation_body="Perro perdido.")
    assert preview.text == "Lost dog found.\n\nPerro perdido."
    # Links count 23 on both, whatever their length.
    link = "https://www.indio.example.gov/news/" + "a" * 80
    counted = by_platform(previews_for(channels=[x, mastodon], body=f"Details: {link}"))
    assert counted["X"].fit.length == len("Details: ") + 23
    assert counted["Mastodon"].fit.length == len("Details: ") + 23


def test_the_saved_drafts_edit_form_warns_before_submitting_without_javascript(signed_in, author, x, mastodon):
    post = draft(author, [x, mastodon], body=TEXT_300)
    client = signed_in(author)

    page = client.get(f"/posts/{post.pk}/edit/").content.decode()

    assert "How it will look on each platform" in page
    assert "X: 300 / 280" in page and "Mastodon: 300 / 500" in page
    warning = page[page.index('id="post-limit-warning"') : page.index('name="action" value="submit"')]
    assert "Does not fit X" in warning and "Shorten it by 20 characters, or leave X account out." in warning
    assert "Mastodon" not in warning
    # The submit control stays: approval is where a post that does not fit is refused.
    assert "Submit for approval" in page


def test_a_form_sent_back_with_an_error_shows_the_previews_of_what_was_sent(signed_in, author, x):
    client = signed_in(author)
    page = client.post("/posts/new/", {"title": "", "body": TEXT_300, "channels": [x.pk], "action": "save"})
    assert page.status_code == 200
    assert "X: 300 / 280" in page.content.decode()


def ask(client, **data):
    return client.post("/posts/preview/", data)


def test_the_preview_endpoint_answers_with_the_servers_count(signed_in, author, x, mastodon):
    client = signed_in(author)
    answer = ask(client, body=TEXT_300, channels=[x.pk, mastodon.pk])
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-store"
    data = answer.json()
    fits = {p["platform"]: p for p in data["previews"]}
    assert fits["X"]["length"] == 300 and fits["X"]["limit"] == 280 and fits["X"]["over_by"] == 20
    assert not fits["X"]["fits"] and fits["Mastodon"]["fits"] and data["fits"] is False
    assert "Does not fit X" in data["warning"] and "X: 300 / 280" in data["cards"]

    shorter = ask(client, body=TEXT_300[:279] + ".", channels=[x.pk]).json()
    assert shorter["fits"] is True and not shorter["warning"].strip()
    assert shorter["summary"] == "Fits every chosen platform: X: 280 / 280."


def test_the_preview_endpoint_refuses_get(signed_in, author):
    client = signed_in(author)
    assert client.get("/posts/preview/").status_code == 405


def test_the_preview_endpoint_refuses_members_who_may_not_draft(signed_in, member, x):
    client = signed_in(member)
    answer = ask(client, body=TEXT_300, channels=[x.pk])
    assert answer.status_code == 403 and "previews" not in answer.json()


def test_the_preview_endpoint_needs_login(client, x):
    answer = ask(client, body=TEXT_300, channels=[x.pk])
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_the_preview_endpoint_needs_the_csrf_token(signed_in, author, x):
    browser = signed_in(author)
    browser.handler.enforce_csrf_checks = True
    assert ask(browser, body=TEXT_300, channels=[x.pk]).status_code == 403

    page = browser.get("/posts/new/")
    token = page.context["csrf_token"]
    answer = browser.post(
        "/posts/preview/", {"body": TEXT_300, "channels": [x.pk]}, headers={"X-CSRFToken": str(token)}
    )
    assert answer.status_code == 200 and json.loads(answer.content)["previews"][0]["platform"] == "X"


def test_images_of_a_post_the_member_may_not_open_are_not_previewed(signed_in, chief, author, member, x, png_upload):
    from members.services import grant_authorization
    from posts.services import add_attachment

    post = draft(author, [x])
    add_attachment(actor=author, post=post, uploaded=png_upload, alt_text="Officers at the park")
    authorized = signed_in(grant_authorization(actor=chief, member=trained(member, by=chief), all_channels=True).member)
    author_client = signed_in(author)

    # The author's preview shows the thumbnail with its alt text; the thumbnail is a fresh copy of the pixels.
    cards = ask(author_client, body="Hello", channels=[x.pk], post=str(post.pk)).json()["cards"]
    assert "Officers at the park" in cards and "preview.webp" in cards
    image = post.attachments.get()
    thumbnail = author_client.get(f"/posts/{post.pk}/attachments/{image.pk}/preview.webp")
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/webp"
    assert b"".join(thumbnail.streaming_content)[:4] == b"RIFF"

    # A member who may draft but not open this post gets neither (the same 404 as a post that does not exist).
    assert ask(authorized, body="Hello", channels=[x.pk], post=str(post.pk)).status_code == 404
    assert ask(authorized, body="Hello", channels=[x.pk], post="999999").status_code == 404
    assert authorized.get(f"/posts/{post.pk}/attachments/{image.pk}/preview.webp").status_code == 404
