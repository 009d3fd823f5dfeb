"""The team answers for what appeared on the department's accounts without approval (385.5, 385.5(g)): the list at
/account-posts/, the page of one post with every wording seen, and the answer, recorded once and audited."""

import pytest

from core.models import AuditEvent
from posts.models import AccountPost
from posts.publishing import account_watch

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5(g)")]


@pytest.fixture
def outside_post(mastodon, mastodon_fake):
    made = mastodon_fake.post_directly("Checkpoint on Route 9 tonight, typed <b>straight</b> into Mastodon.")
    account_watch.read_account(mastodon.channel)
    return AccountPost.objects.get(external_id=made["id"])


def test_the_list_shows_what_needs_an_answer_and_the_channel_page_too(outside_post, author, signed_in):
    page = signed_in(author).get("/account-posts/").content.decode()
    assert "Posted outside socialgov" in page and f"/account-posts/{outside_post.pk}/" in page
    assert "<b>straight</b>" not in page  # the platform's words are shown as text, never as markup
    channel_page = signed_in(author).get(f"/channels/{outside_post.channel.slug}/").content.decode()
    assert "did not go through approval" in channel_page and f"/account-posts/{outside_post.pk}/" in channel_page


def test_an_answer_needs_words_and_is_recorded_once(outside_post, author, signed_in):
    client = signed_in(author)
    url = f"/account-posts/{outside_post.pk}/"
    page = client.post(url, {"note": "  "}).content.decode()
    assert "Say what was found and done." in page
    outside_post.refresh_from_db()
    assert outside_post.acknowledged_at is None

    response = client.post(url, {"note": "Sgt. Ruiz posted it from the field; reminded of 385.3. Left up."})
    assert response.status_code == 302
    outside_post.refresh_from_db()
    assert outside_post.acknowledged_by == author
    assert AuditEvent.objects.filter(verb="account_post.acknowledged", object_id=str(outside_post.pk)).count() == 1
    assert "Nothing to answer" in client.get("/account-posts/").content.decode()
    assert "Sgt. Ruiz posted it" in client.get(url).content.decode()


def test_members_who_do_not_answer_for_the_accounts_are_refused(outside_post, team, signed_in):
    assert signed_in(team).get("/account-posts/").status_code == 403
    assert signed_in(team).post(f"/account-posts/{outside_post.pk}/", {"note": "mine"}).status_code == 403
    outside_post.refresh_from_db()
    assert outside_post.acknowledged_at is None
