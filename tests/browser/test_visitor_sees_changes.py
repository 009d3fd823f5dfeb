"""A visitor's browser that already has /news/ open sees a post the moment the worker has published it, and stops
seeing it the moment its removal (385.5) is done: web server and worker share one cache, so the worker's change
reaches the page the visitor revalidates. Real Chromium, a real worker process, on whichever mode the suite runs
(the embedded default's file cache or Redis)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from posts.models import Post, Publication
from tests.core.test_queueing import warm_up_screening
from tests.workers import celery_worker, held_in_queue, wait_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.policy("385.5"),
]
P = Publication.Status


def _on_website(post, status) -> bool:
    return Publication.objects.filter(post=post, channel__kind="website", status=status).exists()


def test_a_visitor_who_has_the_news_open_sees_publication_and_removal_on_reload(as_user, browser, live_server):
    call_command("seed_demo", verbosity=0)
    warm_up_screening()
    post = Post.objects.get(title="National Night Out", status="approved")

    visitor_context = browser.new_context(base_url=live_server.url)
    visitor = visitor_context.new_page()
    first = visitor.goto("/news/")
    assert first.status == 200 and first.headers.get("etag")
    expect(visitor.get_by_role("link", name="National Night Out")).to_have_count(0)

    smo = as_user("smo")
    with held_in_queue() as queue:
        smo.goto(f"/posts/{post.pk}/")
        smo.get_by_role("button", name="Publish now").click()
        expect(smo.get_by_role("status")).to_contain_text("Published")
        # Until the worker has delivered it, the website does not list it, and the visitor's page says so.
        visitor.reload()
        expect(visitor.get_by_role("link", name="National Night Out")).to_have_count(0)
        assert _on_website(post, P.PENDING)

    with celery_worker(queue=queue):
        assert wait_for(lambda: _on_website(post, P.PUBLISHED), timeout=60), "the worker did not deliver it"
        # The browser revalidates the page it holds (If-None-Match); the answer must be the new list, not
        # "not modified" from a web process that never heard of the worker's change.
        visitor.reload()
        expect(visitor.get_by_role("link", name="National Night Out")).to_be_visible()

        smo.get_by_label("Reason for removal (385.5)").fill("Wrong date; a corrected post follows.")
        smo.get_by_role("button", name="Remove from public view").click()
        expect(smo.get_by_role("status")).to_contain_text("Removed from public view")
        visitor.reload()
        expect(visitor.get_by_role("link", name="National Night Out")).to_have_count(0)
        assert wait_for(lambda: _on_website(post, P.REMOVED), timeout=60), "the worker did not take it down"
        visitor.reload()
        expect(visitor.get_by_role("link", name="National Night Out")).to_have_count(0)
    visitor_context.close()
