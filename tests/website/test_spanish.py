"""The department website in Spanish: chosen from Accept-Language, switched by a plain link, with hreflang
alternates, Spanish feeds, and the 385.5.1(a) notices in the department's Spanish (worded by the Chief, versioned)."""

import re

import feedparser
import pytest
from django.test import Client

from core.audit import AuditEvent
from moderation import services as review
from posts import services as posts
from posts.models import Publication, WebsiteNotices
from posts.notices import DEFAULTS, FIELDS, current_notices, revise_website_notices
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5.1(a)")]

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
SPANISH_NOTICES = [
    "Las opiniones expresadas por los visitantes no reflejan las opiniones del departamento.",
    "Los comentarios se supervisan. El departamento se reserva el derecho de eliminar obscenidades, comentarios "
    "fuera de tema y ataques personales.",
    "Todo contenido publicado o enviado para su publicación está sujeto a divulgación pública.",
    "En caso de emergencia, llame al 911.",
]
ENGLISH_NOTICES = [
    "Opinions expressed by visitors do not reflect the opinions of the department.",
    "Comments are monitored. The department reserves the right to remove obscenities, off-topic comments and "
    "personal attacks.",
    "Any content posted or submitted for posting is subject to public disclosure.",
    "In an emergency call 911.",
]
CHECKPOINT = "Control de alcoholemia en la calle Miles el sábado."


@pytest.fixture
def live(author, channel, supervisor, django_capture_on_commit_callbacks):
    def publish(**overrides):
        post = draft(author, [channel], **overrides)
        review.submit_for_review(actor=author, post=post)
        review.approve_post(actor=supervisor, post=post)
        with django_capture_on_commit_callbacks(execute=True):
            posts.publish_post(actor=author, post=post)
        post.refresh_from_db()
        return post

    return publish


def path_of(post):
    return Publication.objects.get(post=post, channel__kind="website").url.split("8000")[-1]


def html_lang(html):
    return re.search(r"<html lang=\"([a-z-]+)\"", html).group(1)


def test_a_browser_that_prefers_spanish_is_sent_to_the_spanish_pages(live):
    post = live()
    listing = Client().get("/news/?page=1", **SPANISH)
    assert listing.status_code == 302 and listing["Location"] == "/es/news/"
    assert "Accept-Language" in listing["Vary"] and "Cookie" in listing["Vary"]
    page = Client().get(path_of(post), **SPANISH)
    assert page.status_code == 302 and page["Location"] == f"/es{path_of(post)}"
    # English-preferring browsers, and those that say nothing, stay on the contract's addresses.
    for headers in (ENGLISH, {}):
        english = Client().get("/news/", **headers)
        assert english.status_code == 200 and html_lang(english.content.decode()) == "en"
        assert "Accept-Language" in english["Vary"]
    spanish = Client().get("/es/news/", **ENGLISH)
    assert spanish.status_code == 200 and html_lang(spanish.content.decode()) == "es"
    assert spanish["Content-Language"] == "es"


def test_the_switch_is_a_plain_link_that_keeps_the_page_and_is_remembered(live):
    post = live()
    client = Client()
    spanish = client.get(f"/es{path_of(post)}", **SPANISH).content.decode()
    switch = re.search(r'<a href="([^"]+)" hreflang="en" lang="en">English</a>', spanish)
    assert switch, "the Spanish page links to itself in English, named in English"
    chose = client.get(switch.group(1).replace("&amp;", "&"), **SPANISH)
    assert chose.status_code == 302 and chose["Location"] == path_of(post)
    assert chose.cookies["django_language"].value == "en" and chose.cookies["django_language"]["httponly"]
    # Chosen English: the Spanish-preferring browser now reads /news/ in English.
    english = client.get(path_of(post), **SPANISH)
    assert english.status_code == 200 and html_lang(english.content.decode()) == "en"
    back = re.search(r'<a href="([^"]+)" hreflang="es" lang="es">Español</a>', english.content.decode())
    assert client.get(back.group(1).replace("&amp;", "&"))["Location"] == f"/es{path_of(post)}"
    # Chosen Spanish: even an English-preferring browser is sent to the Spanish pages.
    assert client.get("/news/", **ENGLISH)["Location"] == "/es/news/"


def test_every_public_page_names_its_language_and_its_alternates(live):
    post = live()
    for path in ("/news/", path_of(post), "/es/news/", f"/es{path_of(post)}"):
        html = Client().get(path).content.decode()
        english = path.removeprefix("/es")
        assert f'<link rel="alternate" hreflang="en" href="http://127.0.0.1:8000{english}">' in html, path
        assert f'<link rel="alternate" hreflang="es" href="http://127.0.0.1:8000/es{english}">' in html, path
        assert f'<link rel="alternate" hreflang="x-default" href="http://127.0.0.1:8000{english}">' in html, path
        assert html_lang(html) == ("es" if path.startswith("/es/") else "en")


def test_a_spanish_translation_is_shown_on_the_spanish_pages(live):
    post = live(
        title="DUI checkpoint",
        body="DUI checkpoint on Miles Ave on Saturday.",
        translation_language="es",
        translation_body=CHECKPOINT,
    )
    page = Client().get(f"/es{path_of(post)}").content.decode()
    assert f"<p>{CHECKPOINT}</p>" in page and "DUI checkpoint on Miles Ave" not in page
    assert '<span lang="en">DUI checkpoint</span>' in page  # the headline is written once, in English
    assert "no tiene traducción" not in page
    listing = Client().get("/es/news/").content.decode()
    assert CHECKPOINT in listing
    # The English page is unchanged: the original, then the translation marked as Spanish.
    english = Client().get(path_of(post)).content.decode()
    assert "DUI checkpoint on Miles Ave" in english and f'lang="es"><p>{CHECKPOINT}' in english


def test_without_a_translation_the_spanish_page_shows_the_english_marked_as_english(live):
    post = live()
    page = Client().get(f"/es{path_of(post)}").content.decode()
    assert '<div class="post-body" lang="en"><p>Join us for National Night Out' in page
    assert "Esta publicación todavía no tiene traducción al español" in page
    listing = Client().get("/es/news/").content.decode()
    assert '<p lang="en">Join us for National Night Out' in listing


def test_the_spanish_pages_speak_spanish_around_the_post(live):
    post = live()
    page = Client().get(f"/es{path_of(post)}").content.decode()
    for text in (
        "Todas las noticias",
        "Comentarios",
        "Deje un comentario",
        "Publicar comentario",
        "Nombre",
        "(obligatorio)",
        "Ir al contenido principal",
        " de 20",
    ):
        assert text in page, text
    for text in ("All news", "Leave a comment", "Post comment", "(required)"):
        assert text not in page, text
    refused = Client().post(f"/es{path_of(post)}", {"name": "Ana", "text": "<p></p>"}, REMOTE_ADDR="203.0.113.20")
    assert refused.status_code == 400 and "Escriba un comentario." in refused.content.decode()
    sent = Client().post(
        f"/es{path_of(post)}",
        {"name": "Ana", "text": "¿Habrá estacionamiento?"},
        REMOTE_ADDR="203.0.113.21",
        follow=True,
    )
    assert sent.redirect_chain[0][0] == f"/es{path_of(post)}#comments"
    assert "Su comentario aparecerá cuando el equipo lo haya revisado." in sent.content.decode()


@pytest.mark.policy("385.5.1(a)")
def test_the_notices_are_on_every_page_in_the_pages_language(live):
    post = live()
    for path, expected, absent in (
        ("/news/", ENGLISH_NOTICES, SPANISH_NOTICES),
        (path_of(post), ENGLISH_NOTICES, SPANISH_NOTICES),
        ("/es/news/", SPANISH_NOTICES, ENGLISH_NOTICES),
        (f"/es{path_of(post)}", SPANISH_NOTICES, ENGLISH_NOTICES),
    ):
        footer = Client().get(path).content.decode().split('role="contentinfo"')[1]
        assert all(text in footer for text in expected), path
        assert not any(text in footer for text in absent), path


@pytest.mark.policy("385.5.1(a)")
def test_the_chief_rewords_the_notices_as_a_new_version(live, chief, signed_in, django_capture_on_commit_callbacks):
    post = live()
    client = signed_in(chief)
    form = client.get("/website/notices/")
    assert form.status_code == 200 and 'lang="es"' in form.content.decode()
    before_list = Client().get("/es/news/")
    before_post = Client().get(f"/es{path_of(post)}")
    data = {
        **DEFAULTS,
        "emergency_es": "En caso de emergencia, llame al 911. Para otros asuntos, llame al 760-391-4051.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post("/website/notices/", data)
    assert saved.status_code == 302
    latest = WebsiteNotices.objects.order_by("-version").first()
    assert latest.version == 2 and latest.created_by == chief and latest.emergency_es.endswith("760-391-4051.")
    assert WebsiteNotices.objects.get(version=1).emergency_es == "En caso de emergencia, llame al 911."
    event = AuditEvent.objects.filter(verb="website_notices.revised").get()
    assert event.actor == chief and event.details == {"version": 2, "changed": ["emergency_es"]}
    # The pages carry it at once, and their validators changed with it (no "not modified" for old wording).
    again = Client().get("/es/news/", HTTP_IF_NONE_MATCH=before_list["ETag"])
    assert again.status_code == 200 and "760-391-4051" in again.content.decode()
    again = Client().get(f"/es{path_of(post)}", HTTP_IF_NONE_MATCH=before_post["ETag"])
    assert again.status_code == 200 and "760-391-4051" in again.content.decode()
    assert "760-391-4051" not in Client().get("/news/").content.decode()
    # Saving the same wording again is refused: versions record changes.
    assert client.post("/website/notices/", data).status_code == 400
    assert WebsiteNotices.objects.count() == 2


@pytest.mark.policy("385.5.1(a)")
def test_only_the_chief_or_designee_words_the_notices(member, supervisor, designee, signed_in):
    for person in (member, supervisor):
        client = signed_in(person)
        for response in (
            client.get("/website/notices/"),
            client.post("/website/notices/", {**DEFAULTS, "opinions_es": "X"}),
        ):
            assert response.status_code == 403
            html = response.content.decode()
            assert (
                "Only the Chief of Police or the authorized designee words the notices" in html and "385.5.1(a)" in html
            )
        with pytest.raises(Exception, match="Only the Chief of Police"):
            revise_website_notices(actor=person, **{**DEFAULTS, "opinions_es": "X"})
    assert WebsiteNotices.objects.count() == 1 and current_notices().texts == DEFAULTS
    assert not AuditEvent.objects.filter(verb="website_notices.revised").exists()
    revision = revise_website_notices(
        actor=designee, **{**DEFAULTS, "opinions_es": "Las opiniones de los visitantes no son las del departamento."}
    )
    assert revision.version == 2


def test_every_notice_needs_its_wording(chief):
    from core.errors import InvalidInput

    for field in FIELDS:
        with pytest.raises(InvalidInput) as refused:
            revise_website_notices(actor=chief, **{**DEFAULTS, field: "   "})
        assert refused.value.field == field
    assert WebsiteNotices.objects.count() == 1


def test_the_validators_differ_per_language(live):
    post = live()
    for english, spanish in (("/news/", "/es/news/"), (path_of(post), f"/es{path_of(post)}")):
        en, es = Client().get(english), Client().get(spanish)
        assert en["ETag"] != es["ETag"]
        # A browser offering the English page's validator for the Spanish address gets the Spanish page.
        assert Client().get(spanish, HTTP_IF_NONE_MATCH=en["ETag"]).status_code == 200
        assert Client().get(spanish, HTTP_IF_NONE_MATCH=es["ETag"]).status_code == 304
        # ...and a Spanish-preferring browser revalidating /news/ is redirected, never told "not modified".
        assert Client().get(english, HTTP_IF_NONE_MATCH=en["ETag"], **SPANISH).status_code == 302


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_per_language_declare_it(live, kind):
    translated = live(
        title="DUI checkpoint",
        body="DUI checkpoint on Miles Ave.",
        translation_language="es",
        translation_body=CHECKPOINT,
    )
    plain = live(title="Food drive")
    english = feedparser.parse(Client().get(f"/news/feed/{kind}/").content)
    spanish = feedparser.parse(Client().get(f"/es/news/feed/{kind}/").content)
    assert not english.bozo and not spanish.bozo
    assert english.feed.language == "en" and spanish.feed.language == "es"
    assert spanish.feed.title == "Noticias del Departamento de Policía"
    by_title = {entry.title: entry for entry in spanish.entries}
    assert CHECKPOINT in by_title["DUI checkpoint"].summary
    assert by_title["DUI checkpoint"].link.endswith(f"/es{path_of(translated)}")
    assert by_title["Food drive"].link.endswith(f"/es{path_of(plain)}")
    assert "Join us for National Night Out" in by_title["Food drive"].summary  # the English text, untranslated
    assert all("/es/" not in entry.link for entry in english.entries)


def test_staff_pages_stay_in_english_whatever_the_browser_asks(supervisor, signed_in):
    login = Client().get("/accounts/login/", **SPANISH)
    assert login.status_code == 200 and 'lang="en"' in login.content.decode() and "Log in" in login.content.decode()
    refused = Client().post("/accounts/login/", {"username": "", "password": ""}, **SPANISH)
    assert (
        "This field is required." in refused.content.decode()
        and "Este campo es obligatorio" not in refused.content.decode()
    )
    client = signed_in(supervisor)
    client.cookies["django_language"] = "es"
    dashboard = client.get("/", **SPANISH)
    assert dashboard.status_code == 200 and 'lang="en"' in dashboard.content.decode()
    assert "Content-Language" not in dashboard


def test_an_address_under_the_website_that_leads_nowhere_answers_with_the_websites_page_in_its_language():
    from django.test import Client

    spanish = Client().get("/es/news/no-such-post/")
    page = spanish.content.decode()
    assert spanish.status_code == 404 and '<html lang="es">' in page and "No encontrado" in page
    assert "En caso de emergencia, llame al 911." in page  # the website's footer, not the staff layout
    english = Client().get("/news/no-such-post/")
    assert english.status_code == 404 and "Not found" in english.content.decode()
    assert "Police Department News" in english.content.decode() and "call 911" in english.content.decode()
    staff = Client().get("/records/no-such-page/")
    assert staff.status_code == 404 and "Police Department News" not in staff.content.decode()
