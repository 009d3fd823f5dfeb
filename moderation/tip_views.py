"""Tip pages (385.5.3(c)): the public forms on the website, the investigators' queue and a tip's page, and the
Chief's switch for the general tip page. Thin: the decisions are moderation.tips'."""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from members.forms import add_domain_error
from posts.models import Category, Post
from posts.public_views import (
    CHOICE_MAX_AGE,
    LANGUAGE_NAMES,
    NAMESPACE_OF,
    SWITCH_PARAM,
    published_posts,
    website_channel,
)
from posts.publishing.adapters.website import public_slug
from posts.publishing.intake import visitor_key

from . import tips
from .models import Tip, TipSettings

# Forms ------------------------------------------------------------------------------------------------------


class TipForm(forms.Form):
    # Lazy: the public form is drawn in the page's language, English or Spanish.
    text = forms.CharField(
        label=gettext_lazy("What you know"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": tips.MAX_TIP_CHARS}),
        help_text=gettext_lazy("What you saw or heard, where and when. Only investigators read it."),
    )
    anonymous = forms.BooleanField(
        label=gettext_lazy("Send anonymously"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "We keep no name, contact or internet address with an anonymous tip. Untick it to give your name."
        ),
    )
    name = forms.CharField(
        label=gettext_lazy("Your name (optional)"),
        max_length=tips.MAX_NAME_CHARS,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=gettext_lazy("Not kept when you send anonymously."),
    )
    contact = forms.CharField(
        label=gettext_lazy("Phone or e-mail (optional)"),
        max_length=tips.MAX_CONTACT_CHARS,
        required=False,
        help_text=gettext_lazy("So an investigator can reach you. Not kept when you send anonymously."),
    )
    # Left empty by people (hidden from view and from assistive technology, as on the comment form); robots fill it.
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class CloseTipForm(forms.Form):
    reason = forms.CharField(
        label="Why it is closed",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="E.g. passed to case 24-01234; no further action; a duplicate of another tip.",
    )


class TipSettingsForm(forms.Form):
    general_tips_open = forms.BooleanField(
        label="Open the general tip page (/news/tip/) for tips that are not about a particular post",
        required=False,
    )


# The public pages -------------------------------------------------------------------------------------------


def _investigative_request(slug: str) -> Post:
    head = slug.split("-", 1)[0]
    if not head.isdigit():
        raise Http404("No such post.")
    post = (
        published_posts(website_channel())
        .filter(pk=int(head), category=Category.INVESTIGATIVE_REQUEST)
        .only("pk", "title", "status", "category", "published_at")
        .first()
    )
    if post is None:
        raise Http404("This post does not ask for tips.")
    return post


# The tip pages of each language: English under /news/, Spanish under /es/news/ (tip_urls).
TIP_ROUTES = {"en": ("tips:post", "tips:general"), "es": ("tips:post_es", "tips:general_es")}


def _tip_address(language: str, slug: str | None) -> str:
    post_route, general_route = TIP_ROUTES[language]
    return reverse(post_route, kwargs={"slug": slug}) if slug else reverse(general_route)


def _language_context(language: str, slug: str | None) -> dict:
    """What public/base.html needs besides the page: its language, the hreflang alternates and the switch. No
    `notices`: the 385.5.1(a) notices speak of comments and of content "submitted for posting", and a tip is
    neither; it is confidential. The tip pages carry the emergency line in their own text instead."""
    other = "es" if language == "en" else "en"
    public = NAMESPACE_OF[language]
    return {
        "page_language": language,
        "tip_action": _tip_address(language, slug),
        "back_address": reverse(f"{public}:post", kwargs={"slug": slug}) if slug else reverse(f"{public}:list"),
        "alternates": [{"hreflang": code, "href": settings.SITE_URL + _tip_address(code, slug)} for code in TIP_ROUTES]
        + [{"hreflang": "x-default", "href": settings.SITE_URL + _tip_address("en", slug)}],
        "switch": {
            "href": f"{_tip_address(other, slug)}?{SWITCH_PARAM}={other}",
            "language": other,
            "name": LANGUAGE_NAMES[other],
        },
    }


def _in_language(view):
    """Runs a tip page in its address's language, choosing the page's language as the news pages do
    (posts.public_views.public_page, which knows only the news pages' own addresses): the switch's choice is
    remembered in the same cookie, and the English address sends a browser that prefers Spanish to the Spanish
    page unless English was chosen. A sent form is answered where it was sent, in that page's language."""

    @wraps(view)
    def wrapper(request, *args, language="en", **kwargs):
        slug = kwargs.get("slug")
        if request.method in ("GET", "HEAD"):
            chosen = request.GET.get(SWITCH_PARAM)
            if chosen in TIP_ROUTES:
                response = HttpResponseRedirect(_tip_address(chosen, slug))
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    chosen,
                    max_age=CHOICE_MAX_AGE,
                    samesite="Lax",
                    secure=request.is_secure(),
                    httponly=True,
                )
                return response
            if language == "en":
                wanted = translation.get_language_from_request(request)
                if wanted in TIP_ROUTES and wanted != language:
                    return _varies_by_preference(HttpResponseRedirect(_tip_address(wanted, slug)))
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, language=language, **kwargs)
        response.headers.setdefault("Content-Language", language)
        return _varies_by_preference(response) if language == "en" else response

    return wrapper


def _varies_by_preference(response):
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_in_language
def post_tip(request, slug, *, language):
    post = _investigative_request(slug)
    canonical = public_slug(post.pk, post.title)
    if request.method != "POST" and slug != canonical:
        return redirect(TIP_ROUTES[language][0], slug=canonical, permanent=True)
    return _tip_page(request, post=post, slug=canonical, language=language)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_in_language
def general_tip(request, *, language):
    if not tips.general_tips_open():
        return render(request, "moderation/tips/closed.html", _language_context(language, None), status=404)
    return _tip_page(request, post=None, slug=None, language=language)


def _refusal_in_page_language(error) -> str:
    """The tip service's refusals, said in the page's language (with their section); any other is shown as it comes."""
    known = {
        f"A tip is limited to {tips.MAX_TIP_CHARS} characters.": _("A tip is limited to %(limit)s characters.")
        % {"limit": tips.MAX_TIP_CHARS},
        "Write what you know.": _("Write what you know."),
        "The department is not taking general tips on its website now.": _(
            "The department is not taking general tips on its website now."
        ),
        "This post does not ask for tips.": _("This post does not ask for tips."),
        "You have sent several tips today. Please try again tomorrow, or call the department.": _(
            "You have sent several tips today. Please try again tomorrow, or call the department."
        ),
    }
    message = known.get(error.message, error.message)
    return f"{message} ({error.section})" if error.section else message


def _tip_page(request, *, post, slug, language):
    form = TipForm(request.POST) if request.method == "POST" else TipForm()
    context = {"form": form, "post": post, "slug": slug, **_language_context(language, slug)}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                form.add_error(None, _("This tip could not be sent."))
            else:
                try:
                    tip = tips.receive_tip(
                        post=post,
                        text=data["text"],
                        anonymous=data["anonymous"],
                        name=data["name"],
                        contact=data["contact"],
                        visitor=visitor_key(request.client_ip, request.session.session_key),
                    )
                except DomainError as error:
                    field = error.field if error.field in form.fields else None
                    form.add_error(field, _refusal_in_page_language(error))
                else:
                    # Shown in this response, not after a redirect: the reference is never in an address (which
                    # servers log beside the sender's), nor in the session.
                    return render(request, "moderation/tips/sent.html", {**context, "tip": tip})
    return render(request, "moderation/tips/form.html", context, status=status)


# The investigators' pages -----------------------------------------------------------------------------------
# No login_required: whoever may not read tips (signed in or not) is refused with the reason (RefusalMiddleware).


def tip_queue(request):
    status = request.GET.get("status", "")
    page = tips.view_tip_queue(actor=request.user, status=status, page=request.GET.get("page"))
    return render(
        request,
        "moderation/tips/queue.html",
        {"page": page, "status": status, "statuses": Tip.Status.choices},
    )


@require_http_methods(["GET", "POST"])
def tip_detail(request, reference):
    close_form = CloseTipForm()
    if request.method == "POST":
        tip = tips.find_tip(actor=request.user, reference=reference)
        if tip is None:
            raise Http404("No such tip.")
        action = request.POST.get("action")
        try:
            if action == "read":
                tips.mark_tip_read(actor=request.user, tip=tip)
                messages.success(request, f"Tip {tip.reference} marked read.")
                return redirect("tips:detail", reference=tip.reference)
            if action == "close":
                close_form = CloseTipForm(request.POST)
                if close_form.is_valid():
                    tips.close_tip(actor=request.user, tip=tip, reason=close_form.cleaned_data["reason"])
                    messages.success(request, f"Tip {tip.reference} closed.")
                    return redirect("tips:detail", reference=tip.reference)
            else:
                messages.error(request, "Choose mark read or close.")
        except DomainError as error:
            if action == "close":
                add_domain_error(close_form, error)
            else:
                messages.error(request, str(error))
    tip = tips.view_tip(actor=request.user, reference=reference)
    if tip is None:
        raise Http404("No such tip.")
    return render(
        request,
        "moderation/tips/detail.html",
        {"tip": tip, "close_form": close_form},
        status=400 if close_form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def tip_settings(request):
    tips.require_general_tips_keeper(request.user)
    current = TipSettings.load()
    form = TipSettingsForm(
        request.POST if request.method == "POST" else None, initial={"general_tips_open": current.general_tips_open}
    )
    if request.method == "POST" and form.is_valid():
        try:
            tips.set_general_tips(actor=request.user, general_tips_open=form.cleaned_data["general_tips_open"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Tip settings saved.")
            return redirect("tips:settings")
    return render(request, "moderation/tips/settings.html", {"form": form, "settings": current})
