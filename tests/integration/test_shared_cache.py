"""The website's change stamp lives in the cache every process shares (Redis, or the embedded default's files):
when a worker changes what the site shows, a web process answers with the change at once, not with "not modified"
for the page it had before."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from moderation import services as review
from posts import services as posts
from posts.models import Post, Publication
from posts.tasks import sweep_publications_task
from tests.core.test_queueing import warm_up_screening
from tests.posts.factories import draft
from tests.workers import celery_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def on_the_website(post) -> bool:
    return Publication.objects.filter(post=post, channel__kind="website", status=Publication.Status.PUBLISHED).exists()


def swept_until_published(post) -> bool:
    """Beat's sweep, sent more often than its minute: the worker publishes what is due. As in production, a sweep
    that cannot publish the post (the embedded default's database busy with the worker's other writes) leaves it for
    the next one."""
    if on_the_website(post):
        return True
    sweep_publications_task.apply_async(ignore_result=True)
    return wait_for(lambda: on_the_website(post), timeout=8)


def test_a_post_the_worker_publishes_on_schedule_is_on_the_web_process_pages_at_once(
    author, channel, supervisor, settings
):
    warm_up_screening()
    with celery_worker():
        first = draft(author, [channel], title="Water main repair")
        review.submit_for_review(actor=author, post=first)
        review.approve_post(actor=supervisor, post=first)
        posts.publish_post(actor=author, post=first)
        assert wait_for(lambda: on_the_website(first), timeout=60)

        due = timezone.now() + timedelta(seconds=4)
        later = draft(author, [channel], title="Parade route", scheduled_for=due)
        review.submit_for_review(actor=author, post=later)
        review.approve_post(actor=supervisor, post=later)
        assert Post.objects.get(pk=later.pk).status == Post.Status.SCHEDULED

        before = Client().get("/news/")
        assert "Water main repair" in before.content.decode() and "Parade route" not in before.content.decode()

        assert wait_for(lambda: timezone.now() > due, timeout=10)
        assert wait_for(lambda: swept_until_published(later), timeout=90, interval=10), "not published"

    # The browser revalidates the page it has; the stamp the worker cleared must not answer "not modified".
    after = Client().get("/news/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and "Parade route" in after.content.decode()
