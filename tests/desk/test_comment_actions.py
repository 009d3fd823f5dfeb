"""A hide or removal decided in socialgov is carried to the comment's platform; where the platform's API cannot do
it, it is a to-do on /removals/ until a person confirms it (385.5, 385.5.1(a)). The platforms' own answers are tested
against their local servers in tests/publishing/test_*_desk.py."""

import pytest

from core.errors import InvalidInput, PermissionRefused
from core.models import AuditEvent
from moderation.monitoring import moderate_comment
from posts.models import Comment, PlatformCommentAction
from posts.publishing import comment_actions
from tests.factories import ChannelFactory

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5.1(a)")]
S = PlatformCommentAction.Status


@pytest.fixture
def hand_channel(db):
    # A platform socialgov reaches for nothing but text: no API for comments at all.
    return ChannelFactory(name="Nextdoor", slug="nextdoor", kind="nextdoor")


def platform_comment(channel, **kw):
    return Comment.objects.create(
        channel=channel,
        external_id=kw.pop("external_id", "c-1001"),
        author_name="Dana",
        author_handle="@dana",
        text="You people are worthless and everyone knows it",
        url="https://nextdoor.example/p/1001",
        status=kw.pop("status", Comment.Status.VISIBLE),
        **kw,
    )


def test_a_removal_a_platform_cannot_do_is_a_to_do_until_confirmed(
    hand_channel, author, signed_in, django_capture_on_commit_callbacks
):
    comment = platform_comment(hand_channel)
    with django_capture_on_commit_callbacks(execute=True):
        moderate_comment(actor=author, comment=comment, action="remove", reason="personal_attack")
    entry = PlatformCommentAction.objects.get(comment=comment)
    assert (entry.action, entry.status, entry.reason) == ("remove", S.TODO, "personal_attack")
    assert "cannot remove comments on Nextdoor" in entry.todo

    page = signed_in(author).get("/removals/").content.decode()
    assert "Comment decisions to finish on the platform" in page and entry.todo in page
    response = signed_in(author).post("/removals/", {"comment_action": entry.pk, "note": ""})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == S.TODO  # a confirmation says what was done
    signed_in(author).post("/removals/", {"comment_action": entry.pk, "note": "Deleted it from the Nextdoor post."})
    entry.refresh_from_db()
    assert (entry.status, entry.confirmed_by, entry.confirmation_note) == (
        S.CONFIRMED,
        author,
        "Deleted it from the Nextdoor post.",
    )
    assert AuditEvent.objects.filter(verb="comment.platform_action_confirmed", object_id=str(comment.pk)).exists()
    assert "Nothing to finish by hand." in signed_in(author).get("/removals/").content.decode()


def test_only_a_supervisor_or_the_smo_confirms(hand_channel, author, team):
    comment = platform_comment(hand_channel)
    moderate_comment(actor=author, comment=comment, action="hide", reason="off_topic")
    entry = PlatformCommentAction.objects.get(comment=comment)
    with pytest.raises(PermissionRefused):
        comment_actions.confirm_by_hand(actor=team, action=entry, note="done")
    with pytest.raises(InvalidInput):
        comment_actions.confirm_by_hand(actor=author, action=entry, note="  ")
    entry.refresh_from_db()
    assert entry.status == S.TODO


def test_website_comments_need_nothing_on_a_platform(channel, author):
    comment = Comment.objects.create(channel=channel, author_name="Visitor", text="Spam spam", status="visible")
    moderate_comment(actor=author, comment=comment, action="remove", reason="spam")
    assert not PlatformCommentAction.objects.exists()


def test_showing_again_what_was_never_hidden_asks_nothing_of_the_platform(hand_channel, author):
    comment = platform_comment(hand_channel, status=Comment.Status.PENDING)
    moderate_comment(actor=author, comment=comment, action="show")
    assert not PlatformCommentAction.objects.exists()


def test_a_lost_message_is_found_again_by_the_sweeper(hand_channel, author, settings):
    comment = platform_comment(hand_channel)
    entry = PlatformCommentAction.objects.create(comment=comment, action="hide", requested_by=author, status=S.PENDING)
    PlatformCommentAction.objects.filter(pk=entry.pk).update(
        created_at=entry.created_at - comment_actions.SWEEP_AFTER * 2
    )
    assert comment_actions.sweep() == 1
    # The platform has no comment API: carrying it out turns it into a to-do, once.
    assert comment_actions.carry_out(entry.pk) == S.TODO
    entry.refresh_from_db()
    assert entry.status == S.TODO and "refused to hide" in entry.todo
    assert comment_actions.carry_out(entry.pk) == S.TODO
    assert comment_actions.sweep() == 0
