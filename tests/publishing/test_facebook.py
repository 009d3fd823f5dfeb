"""The Facebook adapter against a fake Graph API for one Page."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from posts.models import Publication
from posts.publishing.base import AdapterError, Capability, MediaItem, Metrics
from tests.posts.factories import draft

from .helpers import version

pytestmark = pytest.mark.django_db


def test_capabilities(facebook):
    assert facebook.capabilities == {
        Capability.PUBLISH,
        Capability.REMOVE,
        Capability.LOOKUP,
        Capability.FETCH_COMMENTS,
        Capability.FETCH_METRICS,
        Capability.MODERATE_COMMENTS,
        Capability.FETCH_OWN_POSTS,
        Capability.RENEW_CREDENTIALS,
    }


def test_publish_posts_the_message_to_the_page_feed(facebook, facebook_fake):
    result = facebook.publish(version())
    [post] = facebook_fake.posts.values()
    assert result.external_id == post["id"] and post["id"].startswith(f"{facebook_fake.page_id}_")
    assert result.url == post["permalink_url"]
    assert post["message"] == "Join us for National Night Out on August 4 at Miles Avenue Park."
    feed = facebook_fake.requests[0]
    assert feed.path == f"/v19.0/{facebook_fake.page_id}/feed"
    assert feed.form()["access_token"] == [facebook_fake.token]


def test_a_failed_permalink_lookup_does_not_fail_the_publish(facebook, facebook_fake):
    facebook_fake.fail_next("server_error", path="_")  # the GET of the new post, not the feed
    result = facebook.publish(version())
    assert result.url == f"https://www.facebook.com/{result.external_id}"
    assert len(facebook_fake.posts) == 1


def test_attachments_other_than_images_and_video_are_refused_not_posted_without_them(facebook, facebook_fake, tmp_path):
    leaflet = tmp_path / "media" / "leaflet.pdf"
    leaflet.parent.mkdir(parents=True, exist_ok=True)
    leaflet.write_bytes(b"%PDF-1.4")
    with pytest.raises(AdapterError) as raised:
        facebook.publish(version(media=(MediaItem("leaflet.pdf", "application/pdf", leaflet.name),)))
    assert (raised.value.code, raised.value.permanent) == ("invalid", True)
    assert "leaflet.pdf" in raised.value.message
    assert facebook_fake.posts == {} and facebook_fake.photos == {}


@pytest.mark.parametrize(
    ("mode", "code", "permanent", "retry_after", "said"),
    [
        ("expired_token", "auth", True, None, "Session has expired"),
        ("rate_limited", "rate_limited", False, 120.0, "Page request limit reached"),
        ("duplicate", "duplicate", True, None, "Duplicate status message"),
        ("server_error", "server", False, None, "Please retry your request later"),
        ("invalid", "invalid", True, None, "(#100) Invalid parameter"),
    ],
)
def test_graph_errors_map_to_adapter_errors(facebook, facebook_fake, mode, code, permanent, retry_after, said):
    facebook_fake.fail_next(mode)
    with pytest.raises(AdapterError) as raised:
        facebook.publish(version())
    error = raised.value
    assert (error.code, error.permanent, error.retry_after) == (code, permanent, retry_after)
    assert said in error.message
    assert facebook_fake.token not in error.message


def test_a_wrong_token_is_code_190(connect, facebook_fake):
    adapter = connect(
        "facebook",
        api_base_url=facebook_fake.graph_url,
        external_account_id=facebook_fake.page_id,
        access_token="EAAB-wrong-token-xyz",
    )
    with pytest.raises(AdapterError) as raised:
        adapter.fetch_metrics(f"{facebook_fake.page_id}_1")  # a GET: the token travels in the query
    assert raised.value.code == "auth" and "code 190" in raised.value.message
    assert "EAAB-wrong-token-xyz" not in raised.value.message


def test_the_default_graph_url_is_https_and_carries_the_configured_version(connect, settings):
    settings.FACEBOOK_GRAPH_VERSION = "v22.0"
    adapter = connect("facebook", external_account_id="1", access_token="t" * 20)
    assert adapter.base_url() == "https://graph.facebook.com/v22.0"
    assert adapter.video_base_url() == "https://graph-video.facebook.com/v22.0"


@pytest.fixture
def publication(author, channel):
    def make(facebook, text="Road closed on Miles Ave until 5 pm.", **fields):
        post = draft(author, channels=[channel], body=text)
        return Publication.objects.create(
            post=post, channel=facebook.channel, post_version=post.version, idempotency_key=f"key-{post.pk}", **fields
        )

    return make


def test_find_matches_the_exact_message_posted_since_the_publication_was_created(facebook, facebook_fake, publication):
    mine = publication(facebook)
    facebook_fake.add_post(
        "Road closed on Miles Ave until 5 pm.", created_time=datetime.now(UTC) - timedelta(days=3)
    )  # an older, identical post
    facebook_fake.add_post("Something else")
    posted = facebook_fake.add_post("Road closed on Miles Ave until 5 pm.")

    found = facebook.find(mine.idempotency_key)

    assert found.external_id == posted["id"]
    assert found.url == posted["permalink_url"]


def test_find_returns_none_when_nothing_matches(facebook, facebook_fake, publication):
    mine = publication(facebook)
    facebook_fake.add_post("Road closed on Miles Ave until 6 pm.")
    assert facebook.find(mine.idempotency_key) is None
    assert facebook.find("no-such-key") is None


def test_find_reads_further_pages(facebook, facebook_fake, publication):
    mine = publication(facebook)
    posted = facebook_fake.add_post("Road closed on Miles Ave until 5 pm.")
    for n in range(120):
        facebook_fake.add_post(f"filler {n}")
    assert facebook.find(mine.idempotency_key).external_id == posted["id"]


def test_remove_deletes_and_tolerates_already_deleted(facebook, facebook_fake):
    result = facebook.publish(version())
    facebook.remove(result.external_id)
    facebook.remove(result.external_id)
    assert facebook_fake.deleted == [result.external_id]


def test_fetch_comments_reads_each_recent_publication(facebook, facebook_fake, publication):
    result = facebook.publish(version())
    publication(
        facebook,
        external_id=result.external_id,
        url=result.url,
        status=Publication.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    facebook_fake.add_comment(result.external_id, "Old", created_time=datetime.now(UTC) - timedelta(hours=3))
    fresh = facebook_fake.add_comment(result.external_id, "Is the park open?", name="Dana")

    [comment] = facebook.fetch_comments(datetime.now(UTC) - timedelta(hours=1))

    assert (comment.external_id, comment.text, comment.author_name) == (fresh["id"], "Is the park open?", "Dana")
    assert comment.in_reply_to == result.external_id
    assert comment.url == fresh["permalink_url"]
    assert len(facebook.fetch_comments(None)) == 2


def test_fetch_metrics(facebook, facebook_fake):
    result = facebook.publish(version())
    facebook_fake.posts[result.external_id].update(shares=3, reactions=11)
    facebook_fake.add_comment(result.external_id, "Thanks")
    assert facebook.fetch_metrics(result.external_id) == Metrics(
        shares=3, reactions=11, replies=1, raw={"shares": 3, "reactions": 11, "comments": 1}
    )
    facebook_fake.posts[result.external_id].update(shares=0)
    assert facebook.fetch_metrics(result.external_id).shares == 0


def test_a_missing_page_id_is_refused_clearly(connect, facebook_fake):
    adapter = connect("facebook", api_base_url=facebook_fake.graph_url, access_token=facebook_fake.token)
    with pytest.raises(AdapterError) as raised:
        adapter.publish(version())
    assert raised.value.code == "invalid" and "Page ID" in raised.value.message
