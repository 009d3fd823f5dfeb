"""The tip pages in Spanish (385.5.3(c)) at /es/news/<slug>/tip/ and /es/news/tip/: the same form and the same
keeping of tips as in English (an anonymous tip keeps nothing of its sender), every word in Spanish, the reference
shown in Spanish, reached from the Spanish post page, with the language switch and hreflang alternates; the English
pages stay as they were."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from moderation import tips
from moderation.models import Tip
from tests.moderation.test_tips import ADDRESS, REFERENCE, TIP_TEXT, every_stored_value, page_of, send, tip_url

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5.3(c)", "385.4(c)")]

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def spanish_tip_url(post) -> str:
    return f"/es{tip_url(post)}"


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([a-z-]+)"', html).group(1)


def test_the_spanish_post_page_links_to_the_spanish_tip_form(live):
    post = live()
    spanish = Client().get(f"/es{page_of(post)}").content.decode()
    assert f'href="{spanish_tip_url(post)}">Enviar un aviso</a>' in spanish
    english = Client().get(page_of(post)).content.decode()
    assert f'href="{tip_url(post)}">Send a tip</a>' in english


def test_the_spanish_tip_form_is_in_spanish(live):
    post = live()
    response = Client().get(spanish_tip_url(post))
    html = response.content.decode()
    assert response.status_code == 200 and html_lang(html) == "es" and response["Content-Language"] == "es"
    assert "<strong>En caso de emergencia, llame al 911.</strong>" in html
    assert "<h1>Enviar un aviso a los investigadores</h1>" in html
    for label in ("Lo que sabe", "Enviar de forma anónima", "Su nombre (opcional)", "Teléfono o correo electrónico"):
        assert f">{label}" in html
    assert "(obligatorio)" in html and "Enviar aviso</button>" in html
    # The post's headline is written once, in English, and marked so.
    assert f'<strong lang="en">{post.title}</strong>' in html
    for english in ("For emergencies", "What you know", "Send anonymously", "(required)", "Send tip", "Back to"):
        assert english not in html
    assert re.search(r'<input type="checkbox" name="anonymous"[^>]*checked', html)
    assert f'action="{spanish_tip_url(post)}"' in html and f'href="/es{page_of(post)}">Volver a la publicación' in html
    assert 'name="csrfmiddlewaretoken"' in html and "<script" not in html
    assert "no-store" in response["Cache-Control"]


def test_both_tip_forms_name_their_alternates_and_switch_to_each_other(live):
    post = live()
    spanish = Client().get(spanish_tip_url(post)).content.decode()
    english = Client().get(tip_url(post)).content.decode()
    for html in (spanish, english):
        assert f'<link rel="alternate" hreflang="en" href="{settings.SITE_URL}{tip_url(post)}">' in html
        assert f'<link rel="alternate" hreflang="es" href="{settings.SITE_URL}{spanish_tip_url(post)}">' in html
        assert f'<link rel="alternate" hreflang="x-default" href="{settings.SITE_URL}{tip_url(post)}">' in html
    assert f'href="{tip_url(post)}?language=en" hreflang="en" lang="en">English</a>' in spanish
    assert f'href="{spanish_tip_url(post)}?language=es" hreflang="es" lang="es">Español</a>' in english


def test_the_tip_pages_carry_no_footer_notices(live):
    """The 385.5.1(a) notices speak of comments and of content submitted for posting; a tip is neither."""
    post = live()
    for url in (tip_url(post), spanish_tip_url(post)):
        html = Client().get(url).content.decode()
        assert "site-footer" not in html
    assert "site-footer" in Client().get(f"/es{page_of(post)}").content.decode()


def test_the_switch_is_remembered_and_the_english_form_follows_the_browser(live):
    post = live()
    switched = Client().get(f"{spanish_tip_url(post)}?language=en")
    assert switched.status_code == 302 and switched["Location"] == tip_url(post)
    assert switched.cookies["django_language"].value == "en" and "no-store" in switched["Cache-Control"]

    sent_on = Client(**SPANISH).get(tip_url(post))
    assert sent_on.status_code == 302 and sent_on["Location"] == spanish_tip_url(post)
    assert "Accept-Language" in sent_on["Vary"]

    chose_english = Client(**SPANISH)
    chose_english.cookies["django_language"] = "en"
    stays = chose_english.get(tip_url(post))
    assert stays.status_code == 200 and html_lang(stays.content.decode()) == "en"
    # A sent form is answered where it was sent, whatever the browser prefers.
    answered = Client(REMOTE_ADDR=ADDRESS, **SPANISH).post(tip_url(post), {"text": TIP_TEXT, "anonymous": "on"})
    assert answered.status_code == 200 and "Thank you. Your tip was sent." in answered.content.decode()


def test_an_anonymous_spanish_tip_is_kept_as_an_english_one_is_and_keeps_nothing_of_its_sender(
    live, django_capture_on_commit_callbacks
):
    post = live()
    response = send(
        spanish_tip_url(post), name="Juana Pérez", contact="760-555-0142", capture=django_capture_on_commit_callbacks
    )
    html = response.content.decode()
    assert response.status_code == 200 and html_lang(html) == "es"
    tip = Tip.objects.get()
    assert REFERENCE.fullmatch(tip.reference)
    assert tip.anonymous and tip.name == "" and tip.contact == "" and tip.text == TIP_TEXT and tip.post == post
    stored = every_stored_value()
    assert ADDRESS not in stored and "Juana Pérez" not in stored and "760-555-0142" not in stored
    assert tips.rate_key(ADDRESS) not in stored

    # The reference, and what happens next, in Spanish.
    assert "<h1>Gracias. Su aviso fue enviado.</h1>" in html and "Su número de referencia es" in html
    assert f"<strong>{tip.reference}</strong>" in html and "Qué pasa ahora" in html
    assert "Lo envió de forma anónima" in html and f"mencione {tip.reference}." in html
    assert "En caso de emergencia, llame al 911." in html and f'href="/es{page_of(post)}">Volver' in html
    for english in ("Thank you", "reference number", "What happens next", "For emergencies"):
        assert english not in html


def test_a_named_spanish_tip_keeps_the_name_and_contact(live):
    response = send(spanish_tip_url(live()), anonymous=None, name="Juana Pérez", contact="juana@example.com")
    assert response.status_code == 200
    tip = Tip.objects.get()
    assert not tip.anonymous and tip.name == "Juana Pérez" and tip.contact == "juana@example.com"
    assert "Un investigador puede comunicarse con usted" in response.content.decode()
    assert ADDRESS not in every_stored_value()


def test_the_spanish_form_refuses_in_spanish(live):
    post = live()
    empty = send(spanish_tip_url(post), text="   ")
    assert empty.status_code == 400 and not Tip.objects.exists()
    html = empty.content.decode()
    assert "Este campo es obligatorio." in html and "Corrija los campos señalados abajo" in html
    for _ in range(tips.TIPS_PER_DAY):
        assert send(spanish_tip_url(post)).status_code == 200
    refused = send(spanish_tip_url(post))
    assert refused.status_code == 400 and Tip.objects.count() == tips.TIPS_PER_DAY
    assert "Hoy ya envió varios avisos. Vuelva a intentarlo mañana o llame al departamento." in refused.content.decode()


def test_the_spanish_form_is_only_for_investigative_requests_and_at_its_own_address(live):
    post = live()
    moved = Client().get(f"/es/news/{post.pk}-old-title/tip/")
    assert moved.status_code == 301 and moved["Location"] == spanish_tip_url(post)
    announcement = live(title="National Night Out", body="Join us at Miles Avenue Park.", category="announcement")
    assert Client().get(spanish_tip_url(announcement)).status_code == 404
    assert send(spanish_tip_url(announcement)).status_code == 404 and not Tip.objects.exists()


def test_the_spanish_general_tip_page_follows_the_chiefs_switch(chief):
    closed = Client().get("/es/news/tip/")
    html = closed.content.decode()
    assert closed.status_code == 404 and html_lang(html) == "es"
    assert "Esta página no recibe avisos por ahora" in html and "En caso de emergencia, llame al 911." in html
    assert 'href="/es/news/">Todas las noticias</a>' in html
    assert send("/es/news/tip/").status_code == 404 and not Tip.objects.exists()

    tips.set_general_tips(actor=chief, general_tips_open=True)
    page = Client().get("/es/news/tip/").content.decode()
    assert "<h1>Informar de algo que no es una emergencia</h1>" in page and 'action="/es/news/tip/"' in page
    assert send("/es/news/tip/").status_code == 200 and Tip.objects.get().post is None


def test_the_english_tip_pages_stay_english(live, chief):
    post = live()
    html = Client().get(tip_url(post)).content.decode()
    assert html_lang(html) == "en" and "<strong>For emergencies call 911.</strong>" in html
    assert f'action="{tip_url(post)}"' in html and f'href="{page_of(post)}">Back to the post</a>' in html
    assert '<span class="required">(required)</span>' in html and "aviso" not in html
    tips.set_general_tips(actor=chief, general_tips_open=True)
    general = Client().get("/news/tip/").content.decode()
    assert "<h1>Report a non-emergency</h1>" in general and 'href="/news/">All news</a>' in general
    sent = send(tip_url(post)).content.decode()
    assert "<h1>Thank you. Your tip was sent.</h1>" in sent and "You sent it anonymously" in sent
