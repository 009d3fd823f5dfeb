"""A visitor whose browser speaks Spanish reads an investigative request on the department website in real Chromium:
sent to the Spanish pages, the translation and the photo (a rendition, with its alt text), the switch to English, then
an anonymous tip and its reference. The tip never appears on the public pages; only investigators read it."""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from moderation import services as review
from moderation.monitoring import moderate_comment
from moderation.tips import REFERENCE_ALPHABET
from posts import services as posts
from posts.models import Attachment, Channel, Comment
from posts.publishing.adapters.website import public_slug
from posts.publishing.intake import receive_comment
from tests.posts.factories import draft

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.policy("385.5.1(a)", "385.5.3(c)"),
]

TITLE = "Help us find a silver sedan"
ENGLISH_BODY = "Detectives ask anyone who saw a silver sedan near Miles Avenue Park on Friday evening to send a tip."
SPANISH_BODY = (
    "Los detectives piden a quien haya visto un sedán plateado cerca del parque Miles Avenue el viernes por la "
    "noche que envíe un aviso."
)
ALT = "A silver sedan parked beside the Miles Avenue Park picnic tables"
COMMENT = "I walk my dog there every evening; I will keep an eye out."
TIP = "The silver sedan was parked behind the laundromat on Oasis Street every night last week, after ten."
REFUSAL = "Tips are read only by investigators and supervisors."
REFERENCE = re.compile(rf"T-[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}")
MEDIA_RENDITION = re.compile(r"^/news/media/\d+/[0-9a-f]{16}/\d+\.webp$")


def photo_jpeg(width=1800, height=1200) -> bytes:
    image = Image.new("RGB", (width, height), (150, 155, 160))
    image.paste((90, 95, 100), (width // 4, height // 3, width * 3 // 4, height * 2 // 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def publish_investigative_request(*, with_comment: bool = True):
    """The post as the department would publish it, through the real services (seed_demo's users and channels):
    bilingual, a photo with alt text, and one comment the team has shown."""
    users = get_user_model().objects
    smo, supervisor = users.get(username="smo"), users.get(username="supervisor")
    website = Channel.objects.get(kind=Channel.Kind.WEBSITE, slug="news")
    post = draft(
        smo,
        [website],
        title=TITLE,
        body=ENGLISH_BODY,
        category="investigative_request",
        translation_language="es",
        translation_body=SPANISH_BODY,
    )
    posts.add_attachment(
        actor=smo, post=post, uploaded=SimpleUploadedFile("sedan.jpg", photo_jpeg(), "image/jpeg"), alt_text=ALT
    )
    post.refresh_from_db()
    review.submit_for_review(actor=smo, post=post)
    review.approve_post(actor=supervisor, post=post)
    posts.publish_post(actor=smo, post=post)
    post.refresh_from_db()
    assert post.status == "published", "the website adapter delivered the post"
    if with_comment:
        comment = receive_comment(channel=website, post=post, author_name="Pat Neighbor", text=COMMENT)
        if comment.status != Comment.Status.VISIBLE:
            moderate_comment(actor=smo, comment=comment, action="show")
    return post


def post_path(post, *, language="en") -> str:
    namespace = "public" if language == "en" else "public_es"
    return reverse(f"{namespace}:post", kwargs={"slug": public_slug(post.pk, post.title)})


def watch(page, errors, *, refusals=None):
    """Collect the page's script errors and console errors. Chromium reports a page answered 4xx as a console error
    of its own; for `refusals` ({address: status}), where that answer is what the test expects, it is not one."""
    refusals = refusals or {}

    def on_console(message):
        if message.type != "error":
            return
        status = refusals.get(urlsplit(message.location.get("url", "")).path)
        expected = status is not None and message.text.startswith(
            f"Failed to load resource: the server responded with a status of {status}"
        )
        if not expected:
            errors.append(message.text)

    page.set_default_timeout(15000)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", on_console)
    return page


def visitor_context(browser, live_server, errors, *, refusals=None, **options):
    """A visitor's own browser (no sign-in)."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, **options)
    return context, watch(context.new_page(), errors, refusals=refusals)


def test_a_spanish_speaking_visitor_reads_the_request_and_sends_a_tip_only_investigators_read(
    as_user, browser, live_server
):
    call_command("seed_demo", verbosity=0)
    post = publish_investigative_request()
    errors, requested = [], []
    context, visitor = visitor_context(
        browser,
        live_server,
        errors,
        refusals={"/tips/": 403},
        locale="es-ES",
        extra_http_headers={"Accept-Language": "es"},
    )
    visitor.on("request", lambda request: requested.append(request.url))

    # The browser asks for Spanish: the English address sends it to the Spanish list.
    visitor.goto("/news/")
    assert visitor.url == f"{live_server.url}/es/news/"
    expect(visitor.locator("html")).to_have_attribute("lang", "es")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Noticias")

    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    assert visitor.url == f"{live_server.url}{post_path(post, language='es')}"
    expect(visitor.locator("html")).to_have_attribute("lang", "es")
    expect(visitor.get_by_text(SPANISH_BODY)).to_be_visible()
    expect(visitor.get_by_text(ENGLISH_BODY)).to_have_count(0)
    # The headline is written once, in English, and marked so.
    expect(visitor.locator("#post-title span[lang=en]")).to_have_text(TITLE)

    # The photo: a rendition under /news/media/ (never the original upload, which keeps the camera's metadata),
    # really drawn by the browser, with its alt text.
    photo = visitor.get_by_role("img", name=ALT)
    photo.scroll_into_view_if_needed()
    expect(photo).to_have_attribute("alt", ALT)
    visitor.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert photo.evaluate("img => img.naturalWidth") > 0
    assert MEDIA_RENDITION.match(photo.get_attribute("src")), photo.get_attribute("src")
    shown_from = photo.evaluate("img => new URL(img.currentSrc).pathname")
    assert MEDIA_RENDITION.match(shown_from), shown_from
    assert not [url for url in requested if "/media/" in url and "/news/media/" not in url], requested
    original = Attachment.objects.get(post=post).file
    assert original.url not in visitor.content() and original.name not in visitor.content()

    # The switch, named in the language it leads to, keeps the visitor on the same post.
    visitor.get_by_role("navigation", name="Idioma").get_by_role("link", name="English").click()
    expect(visitor.locator("html")).to_have_attribute("lang", "en")
    assert visitor.url == f"{live_server.url}{post_path(post)}"
    expect(visitor.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(visitor.get_by_text(ENGLISH_BODY)).to_be_visible()
    expect(visitor.get_by_role("img", name=ALT)).to_have_count(1)

    # The tip form, from the post page; sent anonymously (the form's default).
    visitor.get_by_role("link", name="Send a tip").click()
    expect(visitor.get_by_role("heading", level=1, name="Send a tip to investigators")).to_be_visible()
    expect(visitor.get_by_label("Send anonymously")).to_be_checked()
    visitor.get_by_label("What you know").fill(TIP)
    visitor.get_by_role("button", name="Send tip").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Thank you. Your tip was sent.")
    reference = REFERENCE.search(visitor.get_by_role("status").inner_text())
    assert reference, "the visitor is given the tip's reference number"
    reference = reference.group(0)
    assert reference not in visitor.url

    # The tip is never public: not on the post's page in either language, not among its comments.
    for path in (post_path(post), post_path(post, language="es")):
        visitor.goto(path)
        expect(visitor.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
        comments = visitor.get_by_role("region", name=re.compile("^(Comments|Comentarios)$"))
        expect(comments).to_contain_text(COMMENT)
        expect(comments).not_to_contain_text(TIP)
        assert TIP not in visitor.content() and reference not in visitor.content(), path
    assert not Comment.objects.filter(post=post, text__icontains="laundromat").exists()

    # An anonymous visitor asking for the queue is refused with the reason.
    response = visitor.goto("/tips/")
    assert response.status == 403
    expect(visitor.get_by_role("alert")).to_contain_text(REFUSAL)
    expect(visitor.get_by_text(reference)).to_have_count(0)
    context.close()

    investigator = as_user("investigator")
    investigator.goto("/tips/")
    expect(investigator.get_by_role("heading", level=1)).to_contain_text("Tips to investigators")
    investigator.get_by_role("link", name=reference).click()
    expect(investigator.get_by_role("heading", level=1)).to_contain_text(f"Tip {reference}")
    expect(investigator.get_by_text(TIP)).to_be_visible()
    expect(investigator.locator("dl.facts")).to_contain_text("Anonymous: no name or contact was kept")

    for username in ("member", "team"):
        # Signed in through the fixture (which watches the sign-in); the refusals in a tab of the same session.
        staff = watch(
            as_user(username).context.new_page(), errors, refusals={"/tips/": 403, f"/tips/{reference}/": 403}
        )
        response = staff.goto("/tips/")
        assert response.status == 403, username
        expect(staff.get_by_role("alert")).to_contain_text(REFUSAL)
        expect(staff.get_by_text(reference)).to_have_count(0)
        response = staff.goto(f"/tips/{reference}/")
        assert response.status == 403, username
        expect(staff.get_by_text(TIP)).to_have_count(0)

    assert not errors, f"browser reported errors: {errors}"
