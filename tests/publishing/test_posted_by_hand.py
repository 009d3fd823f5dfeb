"""A channel without a platform API is posted by hand: the approved text goes to the Social Media Officer's
to-do list, who posts it and confirms, recorded; removing the post before or after leaves nothing behind."""

import pytest

from core.errors import InvalidInput, InvalidTransition, PermissionRefused
from core.models import AuditEvent, Notification
from moderation import services as review
from posts import services as posts
from posts.models import Channel, ManualPostingTodo, Post, Publication, RemovalTodo
from posts.publishing import services as publishing
from tests.factories import ChannelFactory
from tests.posts.factories import draft

pytestmark = pytest.mark.django_db
P = Publication.Status


@pytest.fixture
def nextdoor(author):
    """The author is authorized for all channels (tests/conftest.py)."""
    return ChannelFactory(name="Nextdoor (by hand)", slug="nextdoor-hand", kind=Channel.Kind.MANUAL)


def _approved(author, supervisor, channel, django_capture_on_commit_callbacks):
    post = draft(author, [channel], title="Road closed", body="Monroe St. is closed until 6 pm.")
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=post)
    return Publication.objects.get(post=post, channel=channel)


def test_the_approved_text_waits_on_the_smos_list_and_is_confirmed_with_its_address(
    author, supervisor, smo, nextdoor, signed_in, django_capture_on_commit_callbacks
):
    publication = _approved(author, supervisor, nextdoor, django_capture_on_commit_callbacks)
    assert publication.status == P.AWAITING_HAND and publication.last_error_code == ""
    todo = ManualPostingTodo.objects.get(publication=publication)
    assert todo.text == "Road closed\n\nMonroe St. is closed until 6 pm."
    assert Notification.objects.filter(event="publication.awaiting_hand", recipient=smo).count() == 1
    assert publishing.publish_publication(publication.pk) == (publishing.Outcome.SKIPPED, None)  # once only

    client = signed_in(smo)
    page = client.get("/removals/").content.decode()
    assert "Monroe St. is closed until 6 pm." in page and "Confirm posted" in page
    client.post("/removals/", {"posting": todo.pk, "url": "https://nextdoor.com/p/abc123"})
    publication.refresh_from_db()
    assert (publication.status, publication.url) == (P.PUBLISHED, "https://nextdoor.com/p/abc123")
    assert AuditEvent.objects.get(verb="publication.posted_by_hand").actor == smo
    assert "Nothing to post by hand" in client.get("/removals/").content.decode()


def test_confirming_refuses_a_script_address_a_stranger_and_a_second_time(
    author, supervisor, smo, member, nextdoor, django_capture_on_commit_callbacks
):
    publication = _approved(author, supervisor, nextdoor, django_capture_on_commit_callbacks)
    todo = ManualPostingTodo.objects.get(publication=publication)
    with pytest.raises(InvalidInput) as bad:
        publishing.confirm_manual_posting(actor=smo, todo=todo, url="javascript:alert(1)")
    assert bad.value.field == "url"
    with pytest.raises(PermissionRefused):
        publishing.confirm_manual_posting(actor=member, todo=todo)
    publishing.confirm_manual_posting(actor=smo, todo=todo)
    with pytest.raises(InvalidTransition):
        publishing.confirm_manual_posting(actor=smo, todo=todo)


def test_a_post_removed_before_it_was_posted_by_hand_leaves_no_task(
    author, supervisor, smo, nextdoor, django_capture_on_commit_callbacks
):
    publication = _approved(author, supervisor, nextdoor, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        posts.remove_from_public_view(actor=supervisor, post=publication.post, reason="Wrong street")
    publication.refresh_from_db()
    assert publication.status == P.REMOVED
    assert not RemovalTodo.objects.exists()
    with pytest.raises(InvalidTransition):
        publishing.confirm_manual_posting(actor=smo, todo=ManualPostingTodo.objects.get())
    assert Post.objects.get(pk=publication.post_id).status == Post.Status.REMOVED
