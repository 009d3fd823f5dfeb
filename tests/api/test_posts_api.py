"""Drafting, review and publishing through the API: the same services, refusals and audit trail as the pages."""

import pytest

from core.models import AuditEvent
from posts.models import Post

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.3")]

DRAFT = {
    "title": "Monroe Street closed for the parade",
    "body": "Monroe Street is closed between 1st and 5th from 9 am to noon on Saturday for the parade.",
    "category": "traffic",
    "channels": ["news"],
}


def test_draft_submit_approve_and_publish_with_two_tokens(
    api_as, author, supervisor, channel, django_capture_on_commit_callbacks
):
    writer = api_as(author, "posts:read", "posts:write", "review")
    reviewer = api_as(supervisor, "posts:read", "review")

    created = writer.post("/api/v1/posts/", DRAFT)
    assert created.status_code == 201, created.json()
    post_id = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["channels"][0]["slug"] == "news"

    submitted = writer.post(f"/api/v1/posts/{post_id}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "in_review"

    # The author's own token cannot approve: the service refuses it as the page does, and says why.
    refused = writer.post(f"/api/v1/posts/{post_id}/approve/", {"note": "Looks fine"})
    assert refused.status_code == 403
    assert refused.json()["section"] == "385.3" and refused.json()["code"] and refused.json()["detail"]
    assert Post.objects.get(pk=post_id).status == "in_review"

    queue = reviewer.get("/api/v1/review-queue/")
    assert queue.status_code == 200, queue.json()
    assert [item["id"] for item in queue.json()] == [post_id]

    approved = reviewer.post(f"/api/v1/posts/{post_id}/approve/", {"note": "Approved for the weekend."})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    with django_capture_on_commit_callbacks(execute=True):
        published = writer.post(f"/api/v1/posts/{post_id}/publish/")
    assert published.status_code == 200, published.json()
    post = Post.objects.get(pk=post_id)
    assert post.status == "published" and post.published_at is not None

    # The audit trail names both tokens, each on the writes made with it.
    events = AuditEvent.objects.filter(object_type="posts.post", object_id=str(post_id))
    by_token = {}
    for event in events:
        by_token.setdefault(event.details.get("api_token"), set()).add(event.actor_repr)
    assert by_token[writer.token.pk] == {author.username}
    assert by_token[reviewer.token.pk] == {supervisor.username}
    assert AuditEvent.objects.filter(details__api_token=reviewer.token.pk, verb__contains="approve").exists()


def test_a_token_without_the_scope_is_refused_and_nothing_changes(api_as, author, channel):
    reader = api_as(author, "posts:read")
    response = reader.post("/api/v1/posts/", DRAFT)
    assert response.status_code == 403 and "posts:write" in response.json()["detail"]
    assert not Post.objects.exists()


def test_no_token_or_a_wrong_one_is_401_in_the_same_shape(client, api_as, author):
    assert client.get("/api/v1/posts/").status_code == 401
    good = api_as(author, "posts:read")
    forged = good.secret[:-4] + "AAAA"
    response = client.get("/api/v1/posts/", HTTP_AUTHORIZATION=f"Bearer {forged}")
    assert response.status_code == 401 and set(response.json()) >= {"code", "section", "detail"}


def test_bad_input_names_the_field(api_as, author, channel):
    writer = api_as(author, "posts:write")
    response = writer.post("/api/v1/posts/", {**DRAFT, "category": "gossip"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "category" in body["fields"]
    assert not Post.objects.exists()


def test_an_id_that_is_not_a_number_is_404(api_as, author):
    reader = api_as(author, "posts:read", "posts:write")
    assert reader.get("/api/v1/posts/abc/").status_code == 404
    assert reader.post("/api/v1/posts/1e3/submit/").status_code == 404
