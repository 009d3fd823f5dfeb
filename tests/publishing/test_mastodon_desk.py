"""The Social Media Officer's Mastodon desk, adapter side: photos and short video with alt text, comments reported to
the instance's moderators (and their authors blocked), and the account's own posts read back with their edits."""

from datetime import UTC, datetime, timedelta

import pytest
import requests

from posts.publishing.base import AdapterError, CommentRef, MediaItem, RemoteMedia

from .helpers import version

pytestmark = pytest.mark.django_db


def stored(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / "media" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return name


def posted_json(fake, path="/api/v1/statuses", method="POST"):
    return [r.json() for r in fake.requests if r.path == path and r.method == method]


# Media ---------------------------------------------------------------------------------------------------------


def test_two_images_reach_the_status_with_both_descriptions(mastodon, mastodon_fake, tmp_path):
    media = (
        MediaItem("gate.png", "image/png", stored(tmp_path, "gate.png", b"\x89PNG gate"), "The park gate at dusk"),
        MediaItem("grill.jpg", "image/jpeg", stored(tmp_path, "grill.jpg", b"\xff\xd8 grill"), "Officers at a grill"),
    )
    result = mastodon.publish(version(media=media))

    [body] = posted_json(mastodon_fake)
    uploads = list(mastodon_fake.media.values())
    assert [m["description"] for m in uploads] == ["The park gate at dusk", "Officers at a grill"]
    assert body["media_ids"] == [m["id"] for m in uploads]
    status = mastodon_fake.statuses[result.external_id]
    assert [(m["type"], m["description"]) for m in status["media_attachments"]] == [
        ("image", "The park gate at dusk"),
        ("image", "Officers at a grill"),
    ]


def test_a_short_video_is_uploaded_waited_for_and_attached(mastodon, mastodon_fake, tmp_path):
    clip = MediaItem("clip.mp4", "video/mp4", stored(tmp_path, "clip.mp4", b"\x00\x00\x00 ftypmp42"), "Officer waves")
    mastodon_fake.video_processing_polls = 3
    result = mastodon.publish(version(media=(clip,)))

    [upload] = [(r, a) for r, a in mastodon_fake.exchanges if r.path == "/api/v2/media"]
    assert upload[1].status == 202 and upload[1].body["url"] is None  # accepted, still processing
    [media] = mastodon_fake.media.values()
    polls = [a.status for r, a in mastodon_fake.exchanges if r.path == f"/api/v1/media/{media['id']}"]
    assert polls == [206, 206, 206, 200]
    [attached] = mastodon_fake.statuses[result.external_id]["media_attachments"]
    assert (attached["type"], attached["description"], attached["id"]) == ("video", "Officer waves", media["id"])


def test_a_video_that_never_finishes_is_retried_later_not_posted_without_it(mastodon, mastodon_fake, tmp_path):
    clip = MediaItem("clip.mp4", "video/mp4", stored(tmp_path, "clip.mp4", b"\x00 video"), "Officer waves")
    mastodon_fake.video_processing_polls = 50
    mastodon.video_poll_attempts = 3
    with pytest.raises(AdapterError) as raised:
        mastodon.publish(version(media=(clip,)))
    assert (raised.value.code, raised.value.permanent) == ("server", False)
    assert "the video clip.mp4 is still being processed" in raised.value.message
    assert mastodon_fake.statuses == {}


def test_without_the_wait_the_instance_refuses_an_unprocessed_video(mastodon_fake):
    """The fake holds the adapter to Mastodon's rule: media still processing cannot be attached."""
    headers = {"Authorization": f"Bearer {mastodon_fake.token}"}
    upload = requests.post(
        f"{mastodon_fake.url}/api/v2/media",
        headers=headers,
        files={"file": ("clip.mp4", b"\x00 video", "video/mp4")},
        timeout=5,
    ).json()
    answer = requests.post(
        f"{mastodon_fake.url}/api/v1/statuses",
        headers=headers,
        json={"status": "Watch", "media_ids": [upload["id"]]},
        timeout=5,
    )
    assert answer.status_code == 422 and "not finished processing" in answer.json()["error"]


# Comments of other accounts --------------------------------------------------------------------------------------


def comment_ref(notification) -> CommentRef:
    status = notification["status"]
    return CommentRef(
        external_id=status["id"], author_handle=f"@{status['account']['acct']}", url=status["url"], in_reply_to=""
    )


@pytest.mark.parametrize("action", ["hide", "remove"])
def test_hiding_or_removing_a_comment_reports_it_and_leaves_a_to_do(mastodon, mastodon_fake, action):
    mention = mastodon_fake.add_mention("You are all idiots", acct="troll@other.example")

    outcome = mastodon.moderate_comment(comment_ref(mention), action, "personal_attack")

    [report] = mastodon_fake.state()["reports"]
    assert report["target_account"]["id"] == mention["account"]["id"]
    assert report["status_ids"] == [mention["status"]["id"]]
    assert report["category"] == "other"
    assert "a personal attack" in report["comment"]
    assert report["forwarded"] is True  # the author's own instance is the one that can take it down
    host = mastodon_fake.url.split("//")[1].split(":")[0]
    assert outcome.done is False
    assert outcome.summary.startswith(f"Reported to {host}'s moderators and forwarded to other.example (report ")
    assert "stays up until" in outcome.todo and "@troll@other.example" in outcome.todo
    assert "block it" in outcome.todo and "Confirm here once it is gone" in outcome.todo
    assert mention["status"]["id"] in mastodon_fake.others  # nothing was deleted: the API cannot


def test_spam_is_reported_as_spam(mastodon, mastodon_fake):
    mention = mastodon_fake.add_mention("Buy followers at example.biz")
    mastodon.moderate_comment(comment_ref(mention), "remove", "spam")
    [report] = mastodon_fake.reports
    assert report["category"] == "spam"


def test_a_comment_already_gone_is_done_without_a_report(mastodon, mastodon_fake):
    mention = mastodon_fake.add_mention("Something regrettable")
    del mastodon_fake.others[mention["status"]["id"]]  # its author deleted it
    outcome = mastodon.moderate_comment(comment_ref(mention), "remove", "obscenity")
    assert outcome.done is True and outcome.todo == ""
    assert "no longer on" in outcome.summary
    assert mastodon_fake.reports == []


def test_showing_again_has_nothing_to_undo_on_mastodon(mastodon, mastodon_fake):
    mention = mastodon_fake.add_mention("A fair question after all")
    before = len(mastodon_fake.requests)
    outcome = mastodon.moderate_comment(comment_ref(mention), "show", "")
    assert outcome.done is True and outcome.todo == ""
    assert outcome.summary.startswith("Nothing to undo on Mastodon")
    assert len(mastodon_fake.requests) == before


def test_a_refused_report_is_an_error_not_a_to_do(mastodon, mastodon_fake):
    mention = mastodon_fake.add_mention("Whatever")
    mastodon_fake.fail_next("server_error", path="/api/v1/reports")
    with pytest.raises(AdapterError) as raised:
        mastodon.moderate_comment(comment_ref(mention), "remove", "threat")
    assert (raised.value.code, raised.value.permanent) == ("server", False)
    assert mastodon_fake.reports == []


def test_blocking_the_author_of_a_comment(mastodon, mastodon_fake):
    mention = mastodon_fake.add_mention("Again and again", acct="troll@other.example")
    said = mastodon.block_account(comment_ref(mention))
    assert mastodon_fake.state()["blocks"] == [mention["account"]["id"]]
    assert said.startswith("Blocked @troll@other.example on ")


def test_blocking_the_author_of_a_comment_already_deleted_finds_them_by_address(mastodon, mastodon_fake):
    mention = mastodon_fake.add_mention("Deleted it myself", acct="troll@other.example")
    del mastodon_fake.others[mention["status"]["id"]]
    mastodon.block_account(comment_ref(mention))
    assert mastodon_fake.blocks == [mention["account"]["id"]]
    assert any(r.path == "/api/v1/accounts/lookup" for r in mastodon_fake.requests)


# The account's own posts -----------------------------------------------------------------------------------------


def test_own_posts_made_anywhere_with_their_edit_history(mastodon, mastodon_fake):
    start = datetime.now(UTC) - timedelta(days=3)
    published = mastodon.publish(version())
    direct = mastodon_fake.post_directly(
        "Road closed on Main St.",
        media=({"type": "image", "description": "Barriers across Main St."},),
        created_at=start + timedelta(hours=1),
    )
    mastodon_fake.edit_status(direct["id"], "Road closed on Main St. until 6 pm.", at=start + timedelta(hours=2))
    mastodon_fake.edit_status(direct["id"], "Main St. is open again.", at=start + timedelta(hours=5))
    other = mastodon_fake.add_mention("Great work").get("status")
    mastodon_fake.boost(other)

    posts = mastodon.fetch_own_posts(start)

    assert [p.external_id for p in posts] == [published.external_id, direct["id"]]  # newest first, no boost
    socialgov, edited = posts
    assert socialgov.text.startswith("Join us for National Night Out") and socialgov.history == ()
    assert socialgov.edited_at is None and socialgov.raw["application"] == "socialgov"
    assert edited.text == "Main St. is open again."
    assert edited.edited_at == start.replace(microsecond=0) + timedelta(hours=5)
    assert [v.text for v in edited.history] == ["Road closed on Main St.", "Road closed on Main St. until 6 pm."]
    assert edited.history[0].edited_at == start.replace(microsecond=0) + timedelta(hours=1)
    assert edited.media == (RemoteMedia(url=edited.media[0].url, kind="image", description="Barriers across Main St."),)
    assert edited.media[0].url.startswith(mastodon_fake.url)
    assert edited.raw["application"] == "Mastodon for iOS"
    assert edited.url == f"{mastodon_fake.url}/@police/{direct['id']}"


def test_own_posts_page_back_to_the_time_asked_and_no_further(mastodon, mastodon_fake):
    now = datetime.now(UTC)
    mastodon_fake.post_directly("Too old", created_at=now - timedelta(days=40))
    for n in range(45):
        mastodon_fake.post_directly(f"Update {n}", created_at=now - timedelta(days=20, minutes=-n))

    posts = mastodon.fetch_own_posts(now - timedelta(days=30))

    assert [p.text for p in posts] == [f"Update {n}" for n in reversed(range(45))]
    pages = [r for r in mastodon_fake.requests if r.path.endswith("/statuses") and r.method == "GET"]
    assert len(pages) == 2 and pages[1].query["max_id"] == [posts[39].external_id]


def test_a_content_warning_is_part_of_what_readers_see(mastodon, mastodon_fake):
    mastodon_fake.post_directly("Details of the crash.", spoiler_text="Traffic collision")
    [post] = mastodon.fetch_own_posts(datetime.now(UTC) - timedelta(days=1))
    assert post.text == "Traffic collision\n\nDetails of the crash."


def test_the_account_id_is_asked_of_the_instance_when_the_channel_has_none(mastodon, mastodon_fake):
    mastodon_fake.post_directly("Hello")
    assert len(mastodon.fetch_own_posts(datetime.now(UTC) - timedelta(days=1))) == 1
    assert len(mastodon.fetch_own_posts(datetime.now(UTC) - timedelta(days=1))) == 1
    paths = [r.path for r in mastodon_fake.requests]
    assert paths[0] == "/api/v1/accounts/verify_credentials" and paths.count(paths[0]) == 1


def test_the_account_id_set_on_the_channel_is_used_as_is(connect, mastodon_fake):
    mastodon_fake.post_directly("Hello from a known account")
    adapter = connect(
        "mastodon",
        api_base_url=mastodon_fake.url,
        external_account_id=mastodon_fake.account["id"],
        access_token=mastodon_fake.token,
    )
    [post] = adapter.fetch_own_posts(datetime.now(UTC) - timedelta(days=1))
    assert post.text == "Hello from a known account"
    assert [r.path for r in mastodon_fake.requests] == [f"/api/v1/accounts/{mastodon_fake.account['id']}/statuses"]


def test_a_status_deleted_on_the_instance_is_missing_from_the_list(mastodon, mastodon_fake):
    kept = mastodon_fake.post_directly("Stays")
    gone = mastodon_fake.post_directly("Goes")
    answer = requests.delete(
        f"{mastodon_fake.url}/api/v1/statuses/{gone['id']}",
        headers={"Authorization": f"Bearer {mastodon_fake.token}"},
        timeout=5,
    )
    assert answer.status_code == 200 and answer.json()["text"] == "Goes"
    assert [p.external_id for p in mastodon.fetch_own_posts(datetime.now(UTC) - timedelta(days=1))] == [kept["id"]]


def test_the_fake_edits_through_the_documented_put_and_keeps_history(mastodon_fake):
    status = mastodon_fake.post_directly("First wording")
    headers = {"Authorization": f"Bearer {mastodon_fake.token}"}
    answer = requests.put(
        f"{mastodon_fake.url}/api/v1/statuses/{status['id']}", headers=headers, json={"status": "Second"}, timeout=5
    )
    assert answer.status_code == 200 and answer.json()["edited_at"]
    history = requests.get(f"{mastodon_fake.url}/api/v1/statuses/{status['id']}/history", headers=headers, timeout=5)
    assert [h["content"] for h in history.json()] == ["<p>First wording</p>", "<p>Second</p>"]
    mention = mastodon_fake.add_mention("not yours")
    refused = requests.put(
        f"{mastodon_fake.url}/api/v1/statuses/{mention['status']['id']}",
        headers=headers,
        json={"status": "x"},
        timeout=5,
    )
    assert (refused.status_code, refused.json()) == (404, {"error": "Record not found"})


def test_reading_own_posts_with_a_revoked_token_is_an_auth_error(mastodon, mastodon_fake):
    mastodon_fake.fail_next("expired_token", path="/api/v1/accounts")
    with pytest.raises(AdapterError) as raised:
        mastodon.fetch_own_posts(datetime.now(UTC) - timedelta(days=1))
    assert raised.value.code == "auth" and mastodon_fake.token not in raised.value.message
