"""385.4: only appropriate content may be posted, and a post names which of the policy's examples (a)-(i) it is. Each
category is accepted, stored, shown with its letter on the post page and published to the website; anything
else is refused naming the field, and nothing is saved."""

import re

import pytest
from django.test import Client
from django.utils.html import escape

from core.errors import InvalidInput
from core.models import AuditEvent
from moderation import services as review
from oversight.coverage import read_policy
from oversight.policy import SHIPPED_TEXT
from posts import services as posts
from posts.models import Category, Post
from tests.posts.factories import draft

pytestmark = pytest.mark.django_db

ITEMS = ("385.4(a)", "385.4(b)", "385.4(c)", "385.4(d)", "385.4(e)", "385.4(f)", "385.4(g)", "385.4(h)", "385.4(i)")

# One ordinary post of each kind, as the team writes them.
EXAMPLES = {
    Category.ANNOUNCEMENT: ("National Night Out", "Join us for National Night Out on August 4 at Miles Avenue Park."),
    Category.CRIME_PREVENTION: ("Lock it up", "Lock your car, take your keys and keep valuables out of sight."),
    Category.INVESTIGATIVE_REQUEST: (
        "Video of Sunday's crash",
        "Detectives ask anyone with video of Sunday's crash at Jackson St and Avenue 46 to contact the department.",
    ),
    Category.COMMUNITY_PROJECT: (
        "Plant a tree with us",
        "Help us plant trees at the Indio Teen Center on Saturday morning. Gloves and water provided.",
    ),
    Category.REAL_TIME_SAFETY: (
        "Brush fire on Highway 111",
        "Brush fire near Highway 111 and Golf Center Parkway. Avoid the area while crews work.",
    ),
    Category.TRAFFIC: (
        "Monroe Street closed",
        "Monroe Street is closed between Avenue 44 and Avenue 45 until 3 p.m. Please use Jackson Street.",
    ),
    Category.PRESS_RELEASE: (
        "Annual traffic safety report",
        "The department has released its annual report on traffic safety. Read it on the city website.",
    ),
    Category.RECRUITMENT: (
        "Now hiring officer trainees",
        "The department is hiring police officer trainees. Applications are open until March 1.",
    ),
    Category.COMMUNITY_OUTREACH: (
        "Coffee with a Cop",
        "Coffee with a Cop at the Indio Senior Center on Thursday at 9 a.m. Everyone is welcome.",
    ),
}
LETTER = re.compile(r" — (385\.4\([a-z]\))$")


def counts():
    return Post.objects.count(), AuditEvent.objects.count()


@pytest.mark.policy(
    "385.4", "385.4(a)", "385.4(b)", "385.4(c)", "385.4(d)", "385.4(e)", "385.4(f)", "385.4(g)", "385.4(h)", "385.4(i)"
)
def test_the_categories_are_the_policys_examples_of_appropriate_content_each_with_its_letter():
    policy = {c.id: c for c in read_policy(SHIPPED_TEXT) if c.parent == "385.4"}
    letters = [LETTER.search(label).group(1) for label in Category.labels]
    assert letters == list(policy) == list(ITEMS)  # one category per item, in the policy's order
    for label, clause in zip(Category.labels, policy.values(), strict=True):
        # The label is the item in other words: it shares a word with the policy's text, so letters are not swapped.
        words = {w for w in re.findall(r"[a-z-]{5,}", label.lower())}
        assert words & set(re.findall(r"[a-z-]{5,}", clause.text.lower())), (label, clause.text)
    assert set(EXAMPLES) == set(Category)


@pytest.mark.policy(
    "385.4", "385.4(a)", "385.4(b)", "385.4(c)", "385.4(d)", "385.4(e)", "385.4(f)", "385.4(g)", "385.4(h)", "385.4(i)"
)
@pytest.mark.parametrize("category", list(Category), ids=[c.value for c in Category])
def test_a_post_of_each_category_is_stored_shown_with_its_letter_and_published(
    category, author, channel, supervisor, signed_in, django_capture_on_commit_callbacks
):
    title, body = EXAMPLES[category]
    post = draft(author, [channel], title=title, body=body, category=category.value)
    stored = Post.objects.get(pk=post.pk)
    assert stored.category == category.value
    assert stored.get_category_display() == category.label
    letter = LETTER.search(category.label).group(1)

    page = signed_in(author).get(f"/posts/{post.pk}/").content.decode()
    assert f"<dt>Category</dt><dd>{category.label}</dd>" in page and letter in page

    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=post)
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and post.category == category.value
    assert escape(title) in Client().get("/news/").content.decode()


@pytest.mark.policy(
    "385.4", "385.4(a)", "385.4(b)", "385.4(c)", "385.4(d)", "385.4(e)", "385.4(f)", "385.4(g)", "385.4(h)", "385.4(i)"
)
def test_the_drafting_form_offers_exactly_the_nine_categories(signed_in, author):
    form = signed_in(author).get("/posts/new/").content.decode()
    select = re.search(r'<select name="category"[^>]*>(.*?)</select>', form, re.S).group(1)
    offered = re.findall(r'<option value="([^"]+)"', select)
    assert offered == Category.values
    for label in Category.labels:
        assert label in select


@pytest.mark.policy("385.4")
@pytest.mark.parametrize("category", ["", "gossip", "Announcement", "opinion", "385.4(j)", "personal"])
def test_a_category_that_is_not_one_of_them_is_refused_naming_the_field_and_nothing_is_saved(category, author, channel):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        draft(author, [channel], category=category)
    assert refused.value.field == "category"
    assert refused.value.message.startswith("Choose a category from 385.4")
    assert counts() == before


@pytest.mark.policy("385.4")
def test_an_edit_to_a_category_that_is_not_one_of_them_is_refused_and_the_post_is_unchanged(author, channel):
    post = draft(author, [channel], category=Category.TRAFFIC)
    before = (Post.objects.filter(pk=post.pk).values_list("category", "version").get(), AuditEvent.objects.count())
    with pytest.raises(InvalidInput) as refused:
        posts.update_post(
            actor=author,
            post=post,
            expected_version=post.version,
            title=post.title,
            body=post.body,
            category="opinion",
            channels=[channel],
        )
    assert refused.value.field == "category"
    after = (Post.objects.filter(pk=post.pk).values_list("category", "version").get(), AuditEvent.objects.count())
    assert after == before == ((Category.TRAFFIC.value, post.version), before[1])


@pytest.mark.policy("385.4")
def test_the_form_refuses_an_unknown_category_on_its_field(signed_in, author, channel):
    data = {"title": "Hello", "body": "Hello, Indio.", "category": "gossip", "channels": [channel.pk], "action": "save"}
    response = signed_in(author).post("/posts/new/", data)
    assert response.status_code == 200
    assert "category" in response.context["form"].errors
    assert Post.objects.count() == 0
