"""Tip pages (385.5.3(c)): the public forms on the website, the investigators' queue and a tip's page, and the
Chief's switch for the general tip page. Thin: the decisions are moderation.tips'."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from members.forms import add_domain_error
from posts.models import Category, Post
from posts.public_views import published_posts, website_channel
from posts.publishing.adapters.website import public_slug
from posts.publishing.intake import visitor_key

from . import tips
from .models import Tip, TipSettings

# Forms ------------------------------------------------------------------------------------------------------


class TipForm(forms.Form):
    text = forms.CharField(
        label="What you know",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": tips.MAX_TIP_CHARS}),
        help_text="What you saw or heard, where and when. Only investigators read it.",
    )
    anonymous = forms.BooleanField(
        label="Send anonymously",
        required=False,
        initial=True,
        help_text="We keep no name, contact or internet address with an anonymous tip. Untick it to give your name.",
    )
    name = forms.CharField(
        label="Your name (optional)",
        max_length=tips.MAX_NAME_CHARS,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text="Not kept when you send anonymously.",
    )
    contact = forms.CharField(
        label="Phone or e-mail (optional)",
        max_length=tips.MAX_CONTACT_CHARS,
        required=False,
        help_text="So an investigator can reach you. Not kept when you send anonymously.",
    )
    # Left empty by people (hidden from view and from assistive technology, as on the comment form); robots fill it.
    website = forms.CharField(
        label="Leave this field empty",
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


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def post_tip(request, slug):
    post = _investigative_request(slug)
    canonical = public_slug(post.pk, post.title)
    if request.method != "POST" and slug != canonical:
        return redirect("tips:post", slug=canonical, permanent=True)
    return _tip_page(request, post=post, slug=canonical)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def general_tip(request):
    if not tips.general_tips_open():
        return render(request, "moderation/tips/closed.html", status=404)
    return _tip_page(request, post=None, slug=None)


def _tip_page(request, *, post, slug):
    form = TipForm(request.POST) if request.method == "POST" else TipForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                form.add_error(None, "This tip could not be sent.")
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
                    add_domain_error(form, error)
                else:
                    # Shown in this response, not after a redirect: the reference is never in an address (which
                    # servers log beside the sender's), nor in the session.
                    return render(request, "moderation/tips/sent.html", {"tip": tip, "post": post, "slug": slug})
    return render(request, "moderation/tips/form.html", {"form": form, "post": post, "slug": slug}, status=status)


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
