"""The department website channel: public pages (no login), feeds, the comment form and the posts' media, in English
at /news/ (the addresses other programs rely on) and in Spanish at /es/news/.

Readable without JavaScript; conditional GET (ETag / Last-Modified) so browsers and caches revalidate cheaply.
Each page's language is its address's. The English address sends a visitor whose browser prefers Spanish to the
Spanish one unless they chose English with the switch (a cookie). Only these pages change language: there is no
LocaleMiddleware, so staff pages stay in English whatever the browser asks.
"""

import hashlib
import re
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db.models import Exists, Max, OuterRef
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_http_methods

from core.errors import DomainError

from . import page_cache, renditions
from .forms import PublicCommentForm
from .models import Attachment, Channel, Comment, Post, Publication
from .notices import current_notices
from .publishing.adapters.website import public_slug
from .publishing.intake import MAX_COMMENT_CHARS, count_view, receive_comment, visitor_key

PAGE_SIZE = 20

# The URL namespace of each language's pages (socialgov.urls mounts posts.public_urls twice).
LANGUAGE_OF_NAMESPACE = {"public": "en", "public_es": "es"}
NAMESPACE_OF = {language: namespace for namespace, language in LANGUAGE_OF_NAMESPACE.items()}
LANGUAGE_NAMES = {"en": "English", "es": "Español"}  # each in its own language: the switch speaks the target's
OG_LOCALES = {"en": "en_US", "es": "es_US"}
# The switch is a plain link carrying ?language=xx: the page remembers the choice in a cookie and drops the parameter.
SWITCH_PARAM = "language"
CHOICE_MAX_AGE = 365 * 24 * 3600
# Media answers are addressed by content (the hash is in the address), so browsers keep them for a year; shared caches
# revalidate every time (s-maxage=0), so a proxy stops serving a removed post's images as soon as it is removed.
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable, s-maxage=0, proxy-revalidate"


# Languages ----------------------------------------------------------------------------------------------------


def page_language(request) -> str:
    match = getattr(request, "resolver_match", None)
    return LANGUAGE_OF_NAMESPACE.get(match.namespace if match else "", "en")


def address_in(request, language: str) -> str:
    """This page's address in `language` (with its page number, nothing else from the query)."""
    match = request.resolver_match
    path = reverse(f"{NAMESPACE_OF[language]}:{match.url_name}", kwargs=match.kwargs)
    number = request.GET.get("page", "")
    return f"{path}?page={number}" if number.isdigit() and number != "1" else path


def _varies_by_preference(response):
    # What /news/ answers depends on the browser's languages and the switch's cookie: caches must keep them apart.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def _remember_choice(request, language: str):
    response = HttpResponseRedirect(address_in(request, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=CHOICE_MAX_AGE,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    add_never_cache_headers(response)
    return response


def public_page(view=None, *, follows_preference: bool = True):
    """Runs a public view in its address's language. Pages (not feeds, which readers subscribe to by address) follow
    the visitor's preference: the switch's choice, else Accept-Language."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            language = page_language(request)
            if follows_preference and request.method in ("GET", "HEAD"):
                chosen = request.GET.get(SWITCH_PARAM)
                if chosen in NAMESPACE_OF:
                    return _remember_choice(request, chosen)
                if language == "en":
                    wanted = translation.get_language_from_request(request)
                    if wanted in NAMESPACE_OF and wanted != language:
                        response = HttpResponseRedirect(address_in(request, wanted))
                        patch_cache_control(response, no_cache=True)
                        return _varies_by_preference(response)
            with translation.override(language):
                request.LANGUAGE_CODE = language
                response = view(request, *args, **kwargs)
            response.headers.setdefault("Content-Language", language)
            if follows_preference and language == "en":
                _varies_by_preference(response)
            return response

        return wrapper

    return decorate(view) if view is not None else decorate


def _language_context(request) -> dict:
    language = request.LANGUAGE_CODE
    other = "es" if language == "en" else "en"
    switch = QueryDict(mutable=True)
    switch[SWITCH_PARAM] = other
    target = address_in(request, other)
    notices = current_notices()
    return {
        "page_language": language,
        "alternates": [
            {"hreflang": code, "href": settings.SITE_URL + address_in(request, code)} for code in NAMESPACE_OF
        ]
        + [{"hreflang": "x-default", "href": settings.SITE_URL + address_in(request, "en")}],
        "switch": {
            "href": f"{target}{'&' if '?' in target else '?'}{switch.urlencode()}",
            "language": other,
            "name": LANGUAGE_NAMES[other],
        },
        "notices": notices.in_language(language),
    }


def shown_text(post: Post, language: str) -> dict:
    """What a page in `language` shows of a post: its text in that language when the post has it, otherwise the
    English original marked as English (so screen readers and translation tools treat it as English), with any
    other translation after it. The headline is written once, in English."""
    own = language != "en" and post.translation_language == language and bool(post.translation_body)
    foreign = "" if language == "en" else "en"
    return {
        "title_lang": foreign,
        "body": post.translation_body if own else post.body,
        "body_lang": "" if own else foreign,
        "untranslated": bool(foreign) and not own,
        "extra": None
        if own or not post.translation_body
        else {"body": post.translation_body, "lang": post.translation_language},
    }


def website_channel() -> Channel:
    channel = Channel.objects.filter(kind=Channel.Kind.WEBSITE, is_active=True).order_by("pk").first()
    if channel is None:
        raise Http404("The department website channel is not set up.")
    return channel


def published_posts(channel):
    """Posts live on the website: published, not removed, delivered to this channel. Walks the partial index
    on published posts newest first and stops after a page."""
    delivered = Publication.objects.filter(post=OuterRef("pk"), channel=channel, status=Publication.Status.PUBLISHED)
    return (
        Post.objects.filter(Exists(delivered), status=Post.Status.PUBLISHED)
        .only(
            "pk",
            "title",
            "body",
            "published_at",
            "updated_at",
            "category",
            "translation_language",
            "translation_body",
            "incident_id",
            "update_number",
        )
        .order_by("-published_at", "-pk")
    )


STAMP_KEY = "public:website-stamp"


def site_stamp():
    """When anything on the website last changed. Cached under the page cache's generation, so it ends with it:
    every change to a post, publication or comment clears that (posts.apps, and again on commit), and the stamp is
    recomputed from the database when missing. The generation is read before the database, so a stamp computed from
    what the database held before a change commits is never read once the change has committed."""
    key = f"{STAMP_KEY}:{page_cache.generation()}"
    stamp = cache.get(key)
    if stamp is None:
        channel = website_channel()
        # Removals and edits change updated_at of posts that were on the site, so include every post released.
        found = Publication.objects.filter(channel=channel).aggregate(t=Max("post__updated_at"), p=Max("published_at"))
        values = [v for v in found.values() if v]
        stamp = max(values) if values else timezone.now()
        cache.set(key, stamp, timeout=300)
    return stamp


def clear_site_stamp(*args, **kwargs):
    page_cache.forget_pages_now_and_on_commit()


def _list_last_modified(request, *args, **kwargs):
    notices = current_notices()
    return max(t for t in (site_stamp(), notices.created_at) if t)


def _list_etag(request, *args, **kwargs):
    stamp = _list_last_modified(request)
    # The language and the notices' version are part of what the page says, so part of its validator: a browser
    # holding the English list never gets "not modified" for the Spanish one, nor for a list with new notices.
    version = current_notices().version
    key = f"list|{request.LANGUAGE_CODE}|{version}|{stamp}|{request.GET.get('page', '1')}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@public_page
@page_cache.cached_page(conditional=True)
@condition(etag_func=_list_etag, last_modified_func=_list_last_modified)
def news_list(request):
    channel = website_channel()
    number = request.GET.get("page", "1")
    number = int(number) if number.isdigit() and 0 < int(number) < 10_000 else 1
    # No total count: "older" and "newer" links are all a reader needs, and counting would scan every post.
    window = list(published_posts(channel)[(number - 1) * PAGE_SIZE : number * PAGE_SIZE + 1])
    rows = [
        {"post": p, "slug": public_slug(p.pk, p.title), "text": shown_text(p, request.LANGUAGE_CODE)}
        for p in window[:PAGE_SIZE]
    ]
    response = render(
        request,
        "public/news_list.html",
        {
            "channel": channel,
            "rows": rows,
            "number": number,
            "has_older": len(window) > PAGE_SIZE,
            **_language_context(request),
        },
    )
    # Revalidated on every request (the ETag makes that cheap): a post removed from public view (385.5) is not
    # served again from a browser or proxy cache once the removal commits.
    patch_cache_control(response, public=True, no_cache=True)
    return response


def _post_from_slug(slug: str) -> Post:
    head = slug.split("-", 1)[0]
    if not head.isdigit():
        raise Http404("No such post.")
    channel = website_channel()
    post = published_posts(channel).filter(pk=int(head)).first()
    if post is None:
        raise Http404("This post is not on the website.")
    return post


def _post_last_modified(request, slug):
    """None for a post that is not on the website, so no validator can answer 304 for it: the view answers 404."""
    head = slug.split("-", 1)[0]
    if not head.isdigit():
        return None
    post_time = published_posts(website_channel()).filter(pk=int(head)).values_list("updated_at", flat=True).first()
    if post_time is None:
        return None
    comments = Comment.objects.filter(post_id=int(head)).aggregate(c=Max("updated_at"))
    stamps = [t for t in (post_time, comments["c"], current_notices().created_at) if t]
    return max(stamps)


def _post_etag(request, slug):
    stamp = _post_last_modified(request, slug)
    if not stamp:
        return None
    key = f"post|{request.LANGUAGE_CODE}|{current_notices().version}|{slug}|{stamp}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@public_page
@require_http_methods(["GET", "HEAD", "POST"])
def news_post(request, slug):
    if request.method == "POST":
        return _comment(request, slug)
    return _news_post_get(request, slug)


def _post_address(request, post: Post) -> str:
    namespace = NAMESPACE_OF[request.LANGUAGE_CODE]
    return reverse(f"{namespace}:post", kwargs={"slug": public_slug(post.pk, post.title)})


def _count_cached_view(request, slug):
    # Only a live post's canonical address is cached, so the slug's number is the post's.
    count_view(Post(pk=int(slug.split("-", 1)[0])))


@page_cache.cached_page(conditional=True, per_visitor_csrf=True, on_hit=_count_cached_view)
@condition(etag_func=_post_etag, last_modified_func=_post_last_modified)
def _news_post_get(request, slug):
    post = _post_from_slug(slug)
    canonical = public_slug(post.pk, post.title)
    if slug != canonical:
        return HttpResponsePermanentRedirect(_post_address(request, post))
    if request.method == "GET":
        count_view(post)
    return _render_post(request, post, _comment_form())


def _comment_form(data=None) -> PublicCommentForm:
    """The public comment form with its labels in the page's language (the form class itself speaks English)."""
    form = PublicCommentForm(data)
    fields = form.fields
    fields["name"].label, fields["name"].help_text = _("Name"), _("Shown with your comment.")
    fields["email"].label, fields["email"].help_text = _("E-mail (optional)"), _("Not published.")
    fields["text"].label = _("Comment")
    fields["website"].label = _("Leave this field empty")
    return form


def _refusal_in_page_language(message: str) -> str:
    """The comment service's refusals, said in the page's language; any other message is shown as it comes."""
    known = {
        "Write a comment.": _("Write a comment."),
        f"Comments are limited to {MAX_COMMENT_CHARS} characters.": _("Comments are limited to %(limit)s characters.")
        % {"limit": MAX_COMMENT_CHARS},
        "Give a name (it is shown with your comment).": _("Give a name (it is shown with your comment)."),
        "You have sent several comments in the last hour. Please try again later.": _(
            "You have sent several comments in the last hour. Please try again later."
        ),
        "This post is no longer open for comments.": _("This post is no longer open for comments."),
    }
    return known.get(message, message)


def _post_meta(request, post: Post, text: dict, images: list) -> dict:
    """Open Graph and Twitter card fields: what a platform shows when someone shares the post's address."""
    summary = Truncator(" ".join(text["body"].split())).chars(200)
    meta = {
        "title": post.title,
        "description": summary,
        "url": settings.SITE_URL + _post_address(request, post),
        "locale": OG_LOCALES[request.LANGUAGE_CODE],
        "locale_alternate": [OG_LOCALES[c] for c in OG_LOCALES if c != request.LANGUAGE_CODE],
        "card": "summary",
        "image": None,
    }
    if images:
        largest = images[0]["largest"]
        meta["card"] = "summary_large_image"
        meta["image"] = {**largest, "url": settings.SITE_URL + largest["src"], "alt": images[0]["alt"]}
    return meta


def _media_of(post: Post) -> tuple[list, list]:
    """The post's images (with their renditions) and videos (with captions, if any), in upload order."""
    images, videos = [], []
    attachments = Attachment.objects.filter(post=post, kind__in=(Attachment.Kind.IMAGE, Attachment.Kind.VIDEO)).only(
        "pk", "kind", "file", "sha256", "alt_text", "content_type", "captions", "original_name"
    )
    for attachment in attachments:
        code = renditions.digest(attachment)
        if attachment.kind == Attachment.Kind.IMAGE:
            sizes = renditions.plan(attachment)
            if not sizes:
                continue
            srcs = [
                {"src": media_address("rendition", attachment, width=r.width), "width": r.width, "height": r.height}
                for r in sizes
            ]
            middle = srcs[min(1, len(srcs) - 1)]
            images.append(
                {
                    "alt": attachment.alt_text,
                    "src": middle["src"],
                    "width": middle["width"],
                    "height": middle["height"],
                    "srcset": ", ".join(f"{s['src']} {s['width']}w" for s in srcs),
                    "largest": srcs[-1],
                }
            )
        else:
            videos.append(
                {
                    "src": media_address("video", attachment),
                    "type": attachment.content_type,
                    "captions": media_address("captions", attachment) if attachment.captions else "",
                    "name": attachment.original_name,
                    "digest": code,
                }
            )
    return images, videos


def _render_post(request, post, form, status=200):
    channel = website_channel()
    comments = list(
        Comment.objects.filter(post=post, status=Comment.Status.VISIBLE)
        .order_by("created_at", "pk")
        .only("author_name", "text", "created_at")
    )
    text = shown_text(post, request.LANGUAGE_CODE)
    images, videos = _media_of(post)
    response = render(
        request,
        "public/news_post.html",
        {
            "channel": channel,
            "post": post,
            "text": text,
            "images": images,
            "videos": videos,
            "meta": _post_meta(request, post, text, images),
            "comments": comments,
            "form": form,
            "slug": public_slug(post.pk, post.title),
            **_language_context(request),
            # A page kept for every visitor is drawn with a marker where the CSRF token goes (posts.page_cache).
            **({"csrf_token": marker} if (marker := page_cache.csrf_marker(request)) else {}),
        },
        status=status,
    )
    # The comment form carries a per-visitor CSRF token: browsers may keep and revalidate it, shared caches not.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _comment(request, slug):
    post = _post_from_slug(slug)
    form = _comment_form(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("website"):  # a field people never see: only robots fill it in
            return HttpResponseRedirect(_post_address(request, post))
        try:
            comment = receive_comment(
                channel=website_channel(),
                post=post,
                author_name=data["name"],
                author_email=data["email"],
                text=data["text"],
                ip=request.client_ip,
                visitor=visitor_key(request.client_ip, request.session.session_key),
            )
        except DomainError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field if field != "author_name" else "name", _refusal_in_page_language(error.message))
        else:
            if comment.status == Comment.Status.VISIBLE:
                messages.success(request, _("Thank you. Your comment is published below."))
            else:
                messages.success(request, _("Thank you. Your comment will appear once the team has reviewed it."))
            return redirect(f"{_post_address(request, post)}#comments")
    return _render_post(request, post, form, status=400)


# Media ---------------------------------------------------------------------------------------------------------

_DIGEST = re.compile(r"^[0-9a-f]{16}$")


def media_address(kind: str, attachment: Attachment, **kwargs) -> str:
    # One address per file whatever the page's language, so browsers and caches keep a single copy.
    return reverse(
        f"public:{kind}", kwargs={"attachment_id": attachment.pk, "digest": renditions.digest(attachment), **kwargs}
    )


def _public_attachment(attachment_id: int, digest: str, kind: str) -> Attachment:
    """The attachment, if its post is on the website now: the same answer (404) for "no such file", "not published
    yet" and "removed from public view" (385.5), checked on every request."""
    if not _DIGEST.match(digest):
        raise Http404("No such file.")
    channel = website_channel()
    live = published_posts(channel).filter(pk=OuterRef("post_id"))
    attachment = (
        Attachment.objects.filter(Exists(live), pk=attachment_id, kind=kind)
        .only("pk", "post_id", "kind", "file", "sha256", "content_type", "captions", "original_name")
        .first()
    )
    if attachment is None or renditions.digest(attachment) != digest:
        raise Http404("No such file.")
    return attachment


def _media_response(request, response, etag: str):
    response["ETag"] = etag
    response["Cache-Control"] = MEDIA_CACHE_CONTROL
    response["Content-Disposition"] = "inline"
    return response


def _not_modified(request, etag: str):
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        return _media_response(request, HttpResponseNotModified(), etag)
    return None


@require_http_methods(["GET", "HEAD"])
def rendition(request, attachment_id: int, digest: str, width: int):
    attachment = _public_attachment(attachment_id, digest, Attachment.Kind.IMAGE)
    wanted = next((r for r in renditions.plan(attachment) if r.width == width), None)
    if wanted is None:
        raise Http404("No such size.")
    etag = f'"{digest}-{width}"'
    not_modified = _not_modified(request, etag)
    if not_modified:
        return not_modified
    name = renditions.ensure(attachment, wanted)
    response = FileResponse(default_storage.open(name, "rb"), content_type=renditions.CONTENT_TYPE)
    return _media_response(request, response, etag)


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
RANGE_MAX_BYTES = 8 * 1024 * 1024  # one answer's share of a video: players ask again for the rest


@require_http_methods(["GET", "HEAD"])
def video(request, attachment_id: int, digest: str):
    """The video as uploaded less its metadata (where it was filmed; the website does not re-encode video), with
    single byte ranges so players can seek."""
    attachment = _public_attachment(attachment_id, digest, Attachment.Kind.VIDEO)
    etag = f'"{digest}-video"'
    not_modified = _not_modified(request, etag)
    if not_modified:
        return not_modified
    try:
        name = renditions.ensure_video(attachment)
    except OSError:
        raise Http404("This video cannot be served.") from None
    size = default_storage.size(name)
    found = _RANGE.match(request.headers.get("Range", ""))
    if found and (found[1] or found[2]):
        start, end = found[1], found[2]
        first = int(start) if start else max(0, size - int(end))
        last = min(int(end), size - 1) if start and end else size - 1
        last = min(last, first + RANGE_MAX_BYTES - 1)
        if first > last or first >= size:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        with default_storage.open(name, "rb") as handle:
            handle.seek(first)
            chunk = handle.read(last - first + 1)
        response = HttpResponse(chunk, status=206, content_type=attachment.content_type)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=attachment.content_type)
    response["Accept-Ranges"] = "bytes"
    return _media_response(request, response, etag)


@require_http_methods(["GET", "HEAD"])
def captions(request, attachment_id: int, digest: str):
    attachment = _public_attachment(attachment_id, digest, Attachment.Kind.VIDEO)
    if not attachment.captions:
        raise Http404("No captions.")
    etag = f'"{digest}-captions-{attachment.captions.name.rsplit("/", 1)[-1]}"'
    not_modified = _not_modified(request, etag)
    if not_modified:
        return not_modified
    response = FileResponse(attachment.captions.open("rb"), content_type="text/vtt; charset=utf-8")
    return _media_response(request, response, etag)


# Feeds ---------------------------------------------------------------------------------------------------------


class LatestPostsFeed(Feed):
    """The news, one feed per language; the language is the address's (public_page sets it), and Django's feed
    declares it (RSS <language>, Atom xml:lang)."""

    def __call__(self, request, *args, **kwargs):
        render_feed = super().__call__
        return page_cache.cached_page()(render_feed)(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return request.LANGUAGE_CODE

    def title(self, language):
        return _("Police Department news")

    def link(self, language):
        return reverse(f"{NAMESPACE_OF[language]}:list")

    def description(self, language):
        return _("Announcements, safety information and updates from the department.")

    subtitle = description

    def items(self, language):
        return published_posts(website_channel())[:30]

    def item_title(self, item):
        if item.incident_id:
            return _("%(title)s — Update %(number)s") % {"title": item.title, "number": item.update_number}
        return item.title

    def item_description(self, item):
        return shown_text(item, translation.get_language())["body"]

    def item_link(self, item):
        namespace = NAMESPACE_OF.get(translation.get_language(), "public")
        return reverse(f"{namespace}:post", kwargs={"slug": public_slug(item.pk, item.title)})

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = Atom1Feed


def not_found(request) -> HttpResponse | None:
    """The answer to an address under the website that leads nowhere: the website's own page, in the language of
    the address, with its notices; None for an address outside the website (the staff pages answer it)."""
    if request.path.startswith("/es/news/"):
        language = "es"
    elif request.path.startswith("/news/"):
        language = "en"
    else:
        return None
    with translation.override(language):
        request.LANGUAGE_CODE = language
        response = render(
            request,
            "public/404.html",
            {"page_language": language, "notices": current_notices().in_language(language)},
            status=404,
        )
    response.headers["Content-Language"] = language
    return response
