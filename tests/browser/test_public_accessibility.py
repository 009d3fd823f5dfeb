"""Every public page of the department website, in English and in Spanish, on a phone (320 px) and a wide screen
(1280 px): axe-core finds nothing serious or critical, the page's HTML, CSS and scripts together weigh under 100 KB,
and nothing is fetched from another host (no CDN: a visitor's reading is nobody else's business)."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from moderation.tips import set_general_tips
from tests.browser.test_public_site import TIP, post_path, publish_investigative_request, watch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.policy("385.5.1(a)", "385.5.3(c)"),
]

BLOCKING = {"serious", "critical"}
WEIGHT_LIMIT = 100 * 1024
# What a page weighs "before images": the photos are sized per screen (srcset) and counted apart.
NOT_WEIGHED = {"image", "media"}


def violations_report(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {' '.join(node['target'])}: {node.get('failureSummary', '')}" for node in violation["nodes"])
    return "\n".join(lines)


def send_tip(page):
    page.get_by_label("What you know").fill(TIP)
    page.get_by_role("button", name="Send tip").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you. Your tip was sent.")


def public_pages(post):
    """(name, address, the status it answers with, what the visitor then does there), in both languages. Feeds are
    not HTML, so they are not here."""
    english, spanish = post_path(post), post_path(post, language="es")
    return [
        ("news list", "/news/", 200, None),
        ("news list (es)", "/es/news/", 200, None),
        ("post with photo and comments", english, 200, None),
        ("post with photo and comments (es)", spanish, 200, None),
        ("tip form", f"{english}tip/", 200, None),
        ("tip sent", f"{english}tip/", 200, send_tip),
        ("tip form (es)", f"{spanish}tip/", 200, None),
        ("general tip page", "/news/tip/", 200, None),
        ("general tip page (es)", "/es/news/tip/", 200, None),
        ("not found", "/news/no-such-post/", 404, None),
        ("not found (es)", "/es/news/no-such-post/", 404, None),
    ]


@pytest.mark.parametrize("width", [320, 1280])
def test_every_public_page_is_accessible_light_and_served_from_the_department_alone(browser, live_server, width):
    call_command("seed_demo", verbosity=0)
    post = publish_investigative_request()
    set_general_tips(actor=get_user_model().objects.get(username="chief"), general_tips_open=True)
    pages = public_pages(post)
    site = urlsplit(live_server.url).netloc
    errors, problems = [], []

    # English-speaking visitors (the default), so the English addresses stay English.
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    missing = {address: 404 for _name, address, status, _then in pages if status == 404}
    page = watch(context.new_page(), errors, refusals=missing)
    responses, requested = [], []
    page.on("response", lambda response: responses.append(response))
    page.on("request", lambda request: requested.append(request.url))
    axe = Axe()
    try:
        for name, address, status, then in pages:
            responses.clear()
            answer = page.goto(address)
            assert answer.status == status, f"{name}: {address} answered {answer.status}"
            if then:
                then(page)
            page.wait_for_load_state("load")
            # The page is its last document and what came after it; a late answer to the page before (its icon)
            # belongs to that one.
            documents = [
                i
                for i, r in enumerate(responses)
                if r.request.resource_type == "document" and r.frame == page.main_frame
            ]
            loaded = responses[documents[-1] :]

            found = axe.run(page).response["violations"]
            blocking = [v for v in found if v["impact"] in BLOCKING]
            if blocking:
                problems.append(f"{name} at {width}px, {page.url}:\n{violations_report(blocking)}")

            # Reflow (WCAG 1.4.10): a phone held upright must not have to scroll sideways to read.
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                problems.append(f"{name} at {width}px scrolls sideways: {scroll_width}px wide")

            weighed = {}
            for response in loaded:
                if response.request.resource_type in NOT_WEIGHED or 300 <= response.status < 400:
                    continue
                weighed[response.url] = len(response.body())
            total = sum(weighed.values())
            if total >= WEIGHT_LIMIT:
                problems.append(f"{name} at {width}px weighs {total} bytes before images: {weighed}")
            assert any(urlsplit(url).path.endswith(".css") for url in weighed), f"{name}: no stylesheet was loaded"

        # A negative control: the same run on a page given an unlabelled image and faint text does report them, so
        # an empty report above means axe looked and found nothing.
        page.goto("/news/")
        page.evaluate(
            """() => {
                const main = document.querySelector("main");
                main.insertAdjacentHTML("beforeend", '<img src="/static/favicon.svg" width="40" height="40">');
                const faint = document.createElement("p");
                faint.textContent = "Faint";
                faint.style.color = "#bbb";  // set through the CSSOM: the site's CSP refuses style attributes
                main.append(faint);
            }"""
        )
        caught = {v["id"]: v["impact"] for v in axe.run(page).response["violations"]}
        assert caught.get("image-alt") == "critical" and caught.get("color-contrast") == "serious", caught
    finally:
        context.close()

    elsewhere = [url for url in requested if urlsplit(url).scheme != "data" and urlsplit(url).netloc != site]
    assert not elsewhere, f"fetched from another host: {elsewhere}"
    assert not problems, "\n\n".join(problems)
    assert not errors, f"browser reported errors: {errors}"
