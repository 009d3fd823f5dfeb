"""The Mastodon account through socialgov's own services: a comment removed in socialgov is reported to the
instance's moderators and left as a to-do (Mastodon lets no account delete another's post), its author can be
blocked from the to-do, and what happens on the account outside socialgov (a status posted in Mastodon itself, an
approved status edited there) is captured and told."""

import pytest

from core.models import Notification
from moderation.monitoring import moderate_comment
from posts.models import AccountPost, AccountPostVersion, Comment, PlatformCommentAction
from posts.publishing import account_watch, comment_actions, intake
from retention.models import Record, RecordKind

from .helpers import published_on

pytestmark = pytest.mark.django_db


# Comments ------------------------------------------------------------------------------------------------------


def taken_in_reply(mastodon, mastodon_fake, author, text: str):
    _, publication = published_on(mastodon, author, "Road closed on Miles Ave until 5 pm.")
    said = mastodon_fake.add_mention(text, acct="troll@other.example", in_reply_to_id=publication.external_id)
    assert intake.fetch_platform_comments() == 1
    return said, Comment.objects.get(external_id=said["status"]["id"])


def test_a_comment_removed_in_socialgov_is_reported_on_mastodon_and_left_to_do(
    mastodon, mastodon_fake, author, supervisor
):
    said, comment = taken_in_reply(mastodon, mastodon_fake, author, "You are all idiots")

    moderate_comment(actor=author, comment=comment, action="remove", reason="personal_attack")
    entry = comment.platform_actions.get()
    assert mastodon_fake.reports == []  # not before the work is carried out

    assert comment_actions.carry_out(entry.pk) == PlatformCommentAction.Status.TODO

    [report] = mastodon_fake.state()["reports"]
    assert report["target_account"]["acct"] == "troll@other.example"
    assert report["status_ids"] == [said["status"]["id"]]
    assert (report["category"], report["forwarded"]) == ("other", True)
    assert "a personal attack" in report["comment"]
    entry.refresh_from_db()
    assert entry.summary.startswith("Reported to 127.0.0.1's moderators")
    assert "stays up until" in entry.todo and "Confirm here once it is gone" in entry.todo
    assert entry.done_at is None
    assert list(comment_actions.open_todos()) == [entry]
    assert said["status"]["id"] in mastodon_fake.others  # still up: only the instance or its author can take it down


def test_the_author_of_a_reported_comment_is_blocked_from_the_to_do_which_stays_open(mastodon, mastodon_fake, author):
    said, comment = taken_in_reply(mastodon, mastodon_fake, author, "Buy followers now")
    moderate_comment(actor=author, comment=comment, action="remove", reason="spam")
    entry = comment.platform_actions.get()
    comment_actions.carry_out(entry.pk)
    assert mastodon_fake.reports[0]["category"] == "spam"
    assert comment_actions.can_block(entry)

    said_back = comment_actions.block_author(actor=author, action=entry)

    assert mastodon_fake.state()["blocks"] == [said["account"]["id"]]
    entry.refresh_from_db()
    assert entry.status == PlatformCommentAction.Status.TODO
    assert said_back in entry.summary and said_back.startswith("Blocked @troll@other.example")


def test_a_comment_shown_again_has_nothing_to_undo_on_mastodon(mastodon, mastodon_fake, author):
    _, comment = taken_in_reply(mastodon, mastodon_fake, author, "A fair question after all")
    moderate_comment(actor=author, comment=comment, action="hide", reason="off_topic")
    comment_actions.carry_out(comment.platform_actions.get().pk)

    moderate_comment(actor=author, comment=comment, action="show")
    shown = comment.platform_actions.get(action="show")
    assert comment_actions.carry_out(shown.pk) == PlatformCommentAction.Status.DONE

    shown.refresh_from_db()
    assert shown.summary.startswith("Nothing to undo on Mastodon") and shown.todo == ""
    assert len(mastodon_fake.reports) == 1


# The account's own statuses --------------------------------------------------------------------------------------


def test_a_status_posted_directly_on_mastodon_is_captured_and_told(mastodon, mastodon_fake, author, supervisor):
    made = mastodon_fake.post_directly(
        "Checkpoint on Route 9 tonight, typed straight into Mastodon.",
        media=({"type": "image", "description": "Cones on Route 9"},),
    )

    counts = account_watch.read_account(mastodon.channel)

    assert counts["outside"] == 1
    seen = AccountPost.objects.get(channel=mastodon.channel, external_id=made["id"])
    assert seen.outside and seen.publication is None
    [wording] = seen.versions.all()
    assert wording.flagged and wording.text == made["_text"]
    assert [m["description"] for m in wording.media] == ["Cones on Route 9"]
    record = Record.objects.get(kind=RecordKind.ACCOUNT_POST, source_id=seen.pk)
    assert record.content["posted_outside_socialgov"] is True
    told = Notification.objects.filter(event="account_post.flagged")
    assert {n.recipient for n in told} >= {author, supervisor}


def test_a_boost_by_the_account_is_not_taken_for_a_post_of_its_own(mastodon, mastodon_fake, author):
    mastodon_fake.boost(mastodon_fake.add_mention("Great work, everyone")["status"])
    assert account_watch.read_account(mastodon.channel)["outside"] == 0
    assert not AccountPost.objects.exists()


def test_an_edit_made_on_mastodon_to_a_published_status_is_a_new_flagged_version(
    mastodon, mastodon_fake, author, supervisor
):
    _, publication = published_on(mastodon, author, "Road closed on Miles Ave until 5 pm.")
    account_watch.read_account(mastodon.channel)
    seen = AccountPost.objects.get(external_id=publication.external_id)
    assert not seen.outside and [v.flagged for v in seen.versions.all()] == [False]

    mastodon_fake.edit_status(publication.external_id, "Road closed on Miles Ave until 9 pm.")
    counts = account_watch.read_account(mastodon.channel)

    assert counts["edited"] == 1
    latest = seen.versions.order_by("-number").first()
    assert (latest.number, latest.change, latest.flagged) == (2, AccountPostVersion.Change.EDITED, True)
    assert latest.text == "Road closed on Miles Ave until 9 pm."
    record = Record.objects.get(kind=RecordKind.ACCOUNT_POST, source_id=seen.pk, source_version="v2")
    assert record.content["flagged"] is True
    assert Notification.objects.filter(event="account_post.flagged", recipient=supervisor).exists()

    assert account_watch.read_account(mastodon.channel)["edited"] == 0  # read again: nothing new
    assert seen.versions.count() == 2


def test_a_status_edited_before_socialgov_first_read_it_keeps_every_wording(mastodon, mastodon_fake, author):
    made = mastodon_fake.post_directly("Lost dog near the park.")
    mastodon_fake.edit_status(made["id"], "Lost dog near the park. Found!")

    account_watch.read_account(mastodon.channel)

    seen = AccountPost.objects.get(external_id=made["id"])
    assert [(v.change, v.text) for v in seen.versions.order_by("number")] == [
        (AccountPostVersion.Change.CREATED, "Lost dog near the park."),
        (AccountPostVersion.Change.EDITED, "Lost dog near the park. Found!"),
    ]
    assert Record.objects.filter(kind=RecordKind.ACCOUNT_POST, source_id=seen.pk).count() == 2
