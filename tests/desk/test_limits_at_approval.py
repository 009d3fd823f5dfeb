"""A post that does not fit one of its platforms is not approved (385.5(g)): what appeared would be cut or refused,
so it would not be what was approved."""

import pytest

from core.errors import PolicyViolation
from moderation import services as review
from posts.models import Post
from posts.publishing import limits
from tests.factories import ChannelFactory
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5(g)")]

LONG = (
    "Traffic advisory: Miles Avenue closes between Oasis and Towne from 7 a.m. to 5 p.m. on Saturday for repaving. " * 3
)[:300]


@pytest.fixture
def x_channel(db):
    return ChannelFactory(name="X account", slug="x", kind="x")


@pytest.fixture
def mastodon_channel(db):
    return ChannelFactory(name="Mastodon", slug="mastodon", kind="mastodon")


def test_x_counts_its_own_way_and_mastodon_has_room():
    x, mastodon, facebook = limits.limits_for("x"), limits.limits_for("mastodon"), limits.limits_for("facebook")
    assert limits.measure(x, LONG) == 300
    link = "https://www.indio.example.gov/news/2026/12/a-very-long-address-for-the-repaving-notice-on-miles-avenue"
    assert limits.measure(x, f"Read {link}") == 5 + 23
    assert limits.measure(mastodon, f"Read {link}") == 5 + 23
    assert limits.measure(x, "中文") == 4  # CJK counts two on X
    assert limits.measure(facebook, LONG) == 300
    assert limits.limits_for("website") is None


def test_approval_refuses_a_post_longer_than_x_allows_and_names_the_channel(
    author, supervisor, x_channel, mastodon_channel
):
    post = draft(author, [x_channel, mastodon_channel], body=LONG)
    review.submit_for_review(actor=author, post=post)
    with pytest.raises(PolicyViolation) as refused:
        review.approve_post(actor=supervisor, post=post)
    assert refused.value.section == "385.5(g)"
    assert "X account: X allows 280 characters and this post counts 300" in str(refused.value)
    assert "Mastodon" not in str(refused.value).split("X account:")[0]
    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW


def test_the_same_words_fit_mastodon_alone(author, supervisor, mastodon_channel):
    post = draft(author, [mastodon_channel], body=LONG)
    review.submit_for_review(actor=author, post=post)
    assert review.approve_post(actor=supervisor, post=post).status in {Post.Status.APPROVED, Post.Status.PUBLISHED}


def test_too_many_images_for_x_are_named(author, x_channel):
    class Item:
        def __init__(self, n):
            self.kind, self.content_type, self.size = "image", "image/png", 1000
            self.original_name, self.alt_text = f"photo-{n}.png", "A patrol car at the fair."

    problems = limits.media_problems(limits.limits_for("x"), [Item(n) for n in range(5)])
    assert problems == ["X takes at most 4 images in a post; this one has 5."]
    gif = Item(9)
    gif.content_type, gif.size = "image/tiff", 6 * 1024 * 1024
    problems = limits.media_problems(limits.limits_for("x"), [gif])
    assert "X does not take image/tiff images (photo-9.png)." in problems
    assert any("takes images up to" in p for p in problems)
