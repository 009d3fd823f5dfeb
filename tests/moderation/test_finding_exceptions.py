"""Reviewed exceptions: a supervisor who is not the author marks one finding on one text "reviewed: not a
violation", with a reason; it shows in the review, stays in the record and the audit trail, and an edit brings
the finding back. The rule stays as strict for every other post."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import InvalidInput, PolicyViolation
from core.models import AuditEvent
from moderation import services as review
from moderation.models import ConfidentialTerm, FindingException, ReviewFinding
from moderation.screening.rules import registry as registry_rule
from posts import services as posts
from posts.models import Post
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5.2(b)")]

# A made-up event whose name trips the political rule: the kind of false alarm an exception is for.
BODY = "Join the Vote for Harris Park cleanup this Saturday at 9 a.m.; gloves and bags provided."


@pytest.fixture
def flagged(author, channel):
    post = draft(author, [channel], title="Park cleanup", body=BODY)
    r = review.submit_for_review(actor=author, post=post)
    finding = r.findings.get(rule_id="conduct.political")
    assert finding.blocks
    post.refresh_from_db()
    return post, finding


def counts():
    return FindingException.objects.count(), AuditEvent.objects.filter(verb="screening.finding_cleared").count()


def test_a_supervisor_clears_a_finding_and_may_then_approve(flagged, supervisor):
    post, finding = flagged
    with pytest.raises(PolicyViolation):
        review.approve_post(actor=supervisor, post=post)
    exception = review.clear_finding(actor=supervisor, post=post, finding_id=finding.pk,
                                     reason="Harris Park is the park's name; no candidate is involved.")  # fmt: skip
    finding.refresh_from_db()
    assert finding.exception == exception and not finding.blocks
    event = AuditEvent.objects.get(verb="screening.finding_cleared")
    assert event.details["rule_id"] == "conduct.political" and "park's name" in event.details["reason"]
    assert review.approve_post(actor=supervisor, post=post).status == Post.Status.APPROVED


def test_the_author_cannot_clear_their_own_finding(flagged, author):
    post, finding = flagged
    before = counts()
    with pytest.raises(PolicyViolation) as refused:
        review.clear_finding(actor=author, post=post, finding_id=finding.pk, reason="It is fine, trust me.")
    assert refused.value.section == "385.3" and counts() == before
    finding.refresh_from_db()
    assert finding.exception is None


def test_a_reason_is_required(flagged, supervisor):
    post, finding = flagged
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        review.clear_finding(actor=supervisor, post=post, finding_id=finding.pk, reason="   ")
    assert refused.value.field == "reason" and counts() == before


def test_an_edit_brings_the_finding_back_and_other_posts_stay_strict(flagged, supervisor, author, channel):
    post, finding = flagged
    review.clear_finding(actor=supervisor, post=post, finding_id=finding.pk, reason="It is the park's name.")
    # Resubmitting the same text keeps the review's decision...
    review.request_changes(actor=supervisor, post=post, note="Add the meeting point.")
    post.refresh_from_db()
    again = review.submit_for_review(actor=author, post=post)
    assert again.findings.get(rule_id="conduct.political").exception is not None
    # ...but any edit of the text brings the finding back.
    review.request_changes(actor=supervisor, post=post, note="Add the meeting point.")
    post.refresh_from_db()
    posts.update_post(actor=author, post=post, expected_version=post.version, title=post.title,
                      body=BODY + " Meet at the north gate.", category=post.category,
                      channels=list(post.channels.all()))  # fmt: skip
    post.refresh_from_db()
    edited = review.submit_for_review(actor=author, post=post)
    back = edited.findings.get(rule_id="conduct.political")
    assert back.exception is None and back.blocks
    # Another post with the same words is screened as strictly as ever.
    other = draft(author, [channel], title="Park cleanup", body=BODY)
    assert review.submit_for_review(actor=author, post=other).findings.get(rule_id="conduct.political").blocks


@pytest.mark.policy("385.5(c)")
def test_a_registry_finding_is_cleared_by_a_registry_keeper(author, channel, supervisor):
    ConfidentialTerm.objects.create(
        term="Harriet Moss",
        kind="witness",
        case_number="24-1",
        expires_on=timezone.localdate() + timedelta(days=9),
        created_by=supervisor,
    )
    registry_rule._cache.update(key=None, terms=())
    post = draft(author, [channel], body="Congratulations to Harriet Moss on 30 years with the Indio library.")
    r = review.submit_for_review(actor=author, post=post)
    finding = r.findings.get(rule_id="investigation.registry")
    review.clear_finding(
        actor=supervisor,
        post=post,
        finding_id=finding.pk,
        reason="Another Harriet Moss: the librarian, not the witness (checked with the detective).",
    )
    assert ReviewFinding.objects.get(pk=finding.pk).exception is not None


def test_the_exception_is_kept_in_the_record(flagged, supervisor, author, django_capture_on_commit_callbacks):
    from retention.models import Record

    post, finding = flagged
    review.clear_finding(actor=supervisor, post=post, finding_id=finding.pk, reason="It is the park's name.")
    review.approve_post(actor=supervisor, post=post)
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=post)
    record = Record.objects.filter(source_type="posts.post", source_id=post.pk).latest("pk")
    (kept,) = [f for r in record.content["reviews"] for f in r["findings"] if f["rule"] == "conduct.political"]
    assert kept["reviewed_not_a_violation"]["reason"] == "It is the park's name."
    assert kept["reviewed_not_a_violation"]["by"] == "supervisor" and kept["field"] == "body"


# The review page ---------------------------------------------------------------------------------------


def test_the_review_page_offers_and_shows_the_exception(flagged, supervisor, author, signed_in):
    post, finding = flagged
    client = signed_in(supervisor)
    page = client.get(f"/review/{post.pk}/").content.decode()
    assert "Mark reviewed: not a violation" in page and "(in the body)" in page
    response = client.post(
        f"/review/{post.pk}/",
        {"action": "clear_finding", "finding": finding.pk, "reason": "Harris Park is <b>the park</b>."},
        follow=True,
    )
    page = response.content.decode()
    assert "Reviewed: not a violation" in page and "Harris Park is &lt;b&gt;the park&lt;/b&gt;." in page
    assert "Mark reviewed: not a violation" not in page


def test_the_author_is_not_offered_it_and_a_forged_post_is_refused_with_its_section(flagged, author, signed_in):
    post, finding = flagged
    client = signed_in(author)
    assert "Mark reviewed: not a violation" not in client.get(f"/review/{post.pk}/").content.decode()
    before = counts()
    response = client.post(f"/review/{post.pk}/", {"action": "clear_finding", "finding": finding.pk,
                                                   "reason": "Fine."}, follow=True)  # fmt: skip
    page = response.content.decode()
    assert "separation of duties" in page and "385.3" in page
    assert counts() == before
