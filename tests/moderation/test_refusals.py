"""A refused review, edit, monitoring or report action shows its reason and section, with the right status."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import services as review
from moderation.models import ConfidentialTerm, ContentReport
from moderation.reports import file_report
from posts.models import Comment, Post
from posts.publishing.intake import receive_comment
from tests.posts.factories import draft

pytestmark = pytest.mark.django_db
S = Post.Status


def test_a_rejected_post_cannot_be_edited_now(signed_in, author, supervisor, channel):
    post = draft(author, [channel])
    review.submit_for_review(actor=author, post=post)
    review.reject_post(actor=supervisor, post=post, reason="Not for our page")
    client = signed_in(author)
    assert client.get(f"/posts/{post.pk}/edit/").status_code == 409
    response = client.post(
        f"/posts/{post.pk}/edit/",
        {"title": "A", "body": "Changed", "category": "announcement", "channels": [channel.pk], "version": 99},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Not possible now" in page and "This post is rejected: it cannot be edited now." in page
    post.refresh_from_db()
    assert post.status == S.REJECTED and post.body != "Changed"


def test_a_reader_of_posts_is_told_who_edits_them(signed_in, author, custodian, channel):
    post = draft(author, [channel])
    response = signed_in(custodian).get(f"/posts/{post.pk}/edit/")
    assert response.status_code == 403
    assert "Only the author, the social media team or a supervisor edits a post." in response.content.decode()


@pytest.mark.policy("385.5")
def test_removal_refused_on_the_post_page_names_its_section(signed_in, author, custodian, channel):
    post = draft(author, [channel])
    response = signed_in(custodian).post(f"/posts/{post.pk}/remove/", {"reason": "Wrong"}, follow=True)
    page = response.content.decode()
    assert "Only a supervisor or the Social Media Officer removes content from public view. (385.5)" in page
    post.refresh_from_db()
    assert post.status == S.DRAFT


@pytest.mark.policy("385.3")
def test_the_review_queue_says_who_it_is_for(signed_in, member):
    response = signed_in(member).get("/review/")
    assert response.status_code == 403
    assert "The review queue is for supervisors and Incident Commanders." in response.content.decode()


@pytest.mark.policy("385.5.1")
def test_monitoring_is_refused_with_its_section(signed_in, member, channel):
    comment = receive_comment(channel=channel, post=None, author_name="Visitor", text="Hello", ip=None)
    client = signed_in(member)
    for url in ("/monitoring/", f"/monitoring/comments/{comment.pk}/"):
        response = client.get(url)
        assert response.status_code == 403, url
        page = response.content.decode()
        assert "Monitoring is for the social media team and supervisors." in page
        assert '<strong class="section">385.5.1</strong>' in page
    response = client.post(
        f"/monitoring/comments/{comment.pk}/", {"action": "hide", "reason": "spam", "next": "/"}, follow=True
    )
    assert "Only the social media team and supervisors moderate comments. (385.5.1)" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


@pytest.mark.policy("385.5")
def test_the_reporter_cannot_act_on_their_own_report(signed_in, member, author, channel):
    post = draft(author, [channel])
    report = file_report(actor=member, section="385.5(a)", description="Rude", post=post)
    client = signed_in(member)
    assert client.get(f"/reports/{report.pk}/").status_code == 200
    response = client.post(f"/reports/{report.pk}/", {"action": "remove", "reason": "Rude"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only a supervisor handles content reports." in page
    assert '<strong class="section">385.5</strong>' in page
    report.refresh_from_db()
    post.refresh_from_db()
    assert report.status == ContentReport.Status.OPEN and post.status == S.DRAFT


@pytest.mark.policy("385.5(c)")
def test_the_confidential_terms_registry_is_refused_with_its_section(signed_in, smo):
    client = signed_in(smo)
    expires = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(
        "/screening/terms/new/",
        {"term": "Marcus Delgado", "kind": "suspect", "case_number": "24-1", "expires_on": expires},
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "keeps the confidential-terms registry." in page
    assert '<strong class="section">385.5(c)</strong>' in page
    assert not ConfidentialTerm.objects.exists()
