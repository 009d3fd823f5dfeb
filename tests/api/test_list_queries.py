"""List endpoints read in a fixed number of queries, whether there are 10 items or 1,000."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation.models import Review
from posts.models import Post

pytestmark = pytest.mark.django_db

# The token (find it, note its use), the member's roles, then the page: the posts and their channels; the queue
# annotates its counts in the same query.
EXPECTED = {"/api/v1/posts/": 5, "/api/v1/review-queue/": 5}


def _posts(author, channel, count: int, *, status="draft", start=0):
    """`count` posts made in bulk: the volume is what is measured here, not the drafting path."""
    now = timezone.now()
    made = Post.objects.bulk_create(
        Post(
            title=f"Road work {start + i}",
            body=f"Lane closures on Route {start + i} this week.",
            category="traffic",
            author=author,
            status=status,
            submitted_at=now if status == "in_review" else None,
        )
        for i in range(count)
    )
    Post.channels.through.objects.bulk_create(
        Post.channels.through(post_id=post.pk, channel_id=channel.pk) for post in made
    )
    if status == "in_review":
        Review.objects.bulk_create(
            Review(post=post, route=Review.Route.SUPERVISOR, post_version=1, submitted_by=author) for post in made
        )
    return made


def _queries(client, path) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["results"] if isinstance(response.json(), dict) else response.json())


@pytest.mark.parametrize(
    ("path", "scopes", "status"),
    [("/api/v1/posts/", ("posts:read",), "draft"), ("/api/v1/review-queue/", ("review",), "in_review")],
)
def test_list_queries_do_not_grow_from_10_to_1000_items(api_as, supervisor, author, channel, path, scopes, status):
    reader = api_as(supervisor, *scopes)
    _posts(author, channel, 10, status=status)
    at_10, shown_10 = _queries(reader, path)
    _posts(author, channel, 990, status=status, start=10)
    at_1000, shown_1000 = _queries(reader, path)
    assert shown_10 == 10 and shown_1000 == (50 if path == "/api/v1/posts/" else 1000)
    assert (at_10, at_1000) == (EXPECTED[path], EXPECTED[path]), (at_10, at_1000)
