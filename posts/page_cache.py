"""The website's pages kept whole in the shared cache, so a reload storm during an emergency costs no database work.

Every entry is filed under the current *generation*, a random token in the shared cache. Anything that changes what
the site shows deletes the token (posts.public_views.clear_site_stamp, on save and again when the change commits):
the next request draws a new one, and every entry filed under the old token is never read again, in every process.
A timestamp read from the database could not serve as the key: a request that read the database just before a
removal committed would file the old page under a key that stays current. A token read before the database is
either deleted by the commit (its entries die with it) or drawn after it (its entries were rendered after it).

What differs per visitor stays out of the entry: the comment form's CSRF token is drawn with a marker in its place
and put in for each answer (the form keeps working without JavaScript), and requests of a signed-in user or with
messages to show are rendered afresh.
"""

import re
import secrets
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe
from django.utils.module_loading import import_string

from .notices import CACHE_KEY as NOTICES_CACHE_KEY
from .notices import current_notices

GENERATION_KEY = "public:page-generation"
# Entries also end with their generation; the timeout only bounds what a quiet site keeps in memory.
PAGE_TIMEOUT = 300
# The headers an answer is made of (the rest, such as Vary and Content-Language, public_page adds to every answer).
KEPT_HEADERS = ("Content-Type", "Cache-Control", "ETag", "Last-Modified")
PAGE_PARAM = "page"


def generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        # add, then read back: processes that find it missing at once all end up with the first one's token.
        cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        token = cache.get(GENERATION_KEY) or secrets.token_hex(8)
    return token


def forget_pages(*args, **kwargs) -> None:
    cache.delete(GENERATION_KEY)


def forget_pages_now_and_on_commit() -> None:
    """Now, so no page from before the change is served while it commits; and once more when it has committed, for
    the pages rendered meanwhile from what the database showed before the commit."""
    forget_pages()
    transaction.on_commit(forget_pages)


def _key(request) -> str | None:
    """The entry's key, or None for a request not answered from the cache. Only the page number of the query is
    part of what the pages say; other parameters must not multiply the entries."""
    number = request.GET.get(PAGE_PARAM, "")
    if len(number) > 4 or (number and not number.isdigit()):
        return None
    return f"public:page:{generation()}:{request.LANGUAGE_CODE}:{current_notices().version}:{request.path}|{number}"


def _personal(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated) or bool(len(messages.get_messages(request)))


def csrf_marker(request) -> str | None:
    """What a page being cached puts where the comment form's CSRF token goes, or None to draw the real token."""
    return getattr(request, "_page_cache_csrf_marker", None)


def _answer(entry: dict, request) -> HttpResponse:
    content = entry["content"]
    marker = entry.get("csrf_marker")
    if marker:
        # The visitor's own token (get_token also has the middleware set its cookie), as on a page drawn for them.
        content = content.replace(marker.encode(), get_token(request).encode())
    response = HttpResponse(content, status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    if getattr(request, FRONT_ATTRIBUTE, False):
        # The front of the stack keeps this page, with the marker still in it, under the headers it leaves with.
        response._front_entry = entry
    return response


def _not_modified(entry: dict, request):
    """The answer the `condition` decorator would give for these validators: 304 with them, or None."""
    headers = dict(entry["headers"])
    etag, modified = headers.get("ETag"), headers.get("Last-Modified")
    last_modified = parse_http_date_safe(modified) if modified else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        return None
    if last_modified and not response.has_header("Last-Modified"):
        response.headers["Last-Modified"] = http_date(last_modified)
    if etag:
        response.headers.setdefault("ETag", etag)
    return response


def cached_page(*, conditional: bool = False, per_visitor_csrf: bool = False, on_hit=None):
    """Serves the view's 200 answers to GET and HEAD from the shared cache. `conditional`: the view answers
    conditional GETs (ETag / Last-Modified), and so does its cached copy. `per_visitor_csrf`: the page carries a
    CSRF token (the view draws `csrf_marker(request)` in its place). `on_hit(request, *args, **kwargs)`: what the
    view does on every GET besides drawing the page (counting a view)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") or _personal(request):
                return view(request, *args, **kwargs)
            key = _key(request)
            if key is None:
                return view(request, *args, **kwargs)
            entry = cache.get(key)
            if entry is not None:
                if conditional:
                    not_modified = _not_modified(entry, request)
                    if not_modified is not None:
                        return not_modified
                if on_hit is not None and request.method == "GET":
                    on_hit(request, *args, **kwargs)
                return _answer(entry, request)
            if on_hit is not None:
                request._page_cache_on_hit = (f"{on_hit.__module__}.{on_hit.__qualname__}", args, kwargs)
            marker = secrets.token_hex(16) if per_visitor_csrf else None
            request._page_cache_csrf_marker = marker
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                if marker and not response.streaming:
                    response.content = response.content.replace(marker.encode(), get_token(request).encode())
                return response
            entry = {
                "status": response.status_code,
                "content": response.content,
                "headers": [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)],
                "csrf_marker": marker,
                "on_hit": getattr(request, "_page_cache_on_hit", None),
            }
            cache.set(key, entry, timeout=PAGE_TIMEOUT)
            return _answer(entry, request)

        return wrapper

    return decorate


# The front of the stack ------------------------------------------------------------------------------------------

FRONT_ATTRIBUTE = "_page_cache_front"
FRONT_PATHS = ("/news/", "/es/news/")
# Not the tip pages (confidential forms) nor media (answered by their own validators).
FRONT_EXCLUDED = re.compile(r"^/(?:es/)?news/(?:.*/)?(?:tip/|media/)")
# A visitor with a session may be signed in or have a message waiting: the whole stack answers them.
_PERSONAL_COOKIES = ("messages",)
# What the answer carries besides the page: the whole stack's headers, less those drawn per answer.
_NOT_KEPT = {"content-length", "set-cookie", "date"}


class FrontPageCacheMiddleware:
    """Answers the website's cached pages (the list, post pages, feeds, in both languages) ahead of sessions,
    authentication, two-factor and the rest of the stack, which a reload storm would otherwise run for every request.

    It keeps only what `cached_page` itself caches, with the headers the whole stack added on the way out, under the
    same generation (so a removal forgets it at once, in every process), the address's language, the notices' version,
    the path and the page number. Only visitors without a session or a waiting message are answered here; a visitor
    whose browser prefers the other language is sent on as before (the whole stack redirects them). Each answer gets
    the visitor's own CSRF token and cookie, and a post page's view is counted, as the stack would."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Only its cookie handling is used: reading the visitor's token, and setting the cookie when it is new.
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        # One round trip: the page kept for this address, the current generation and the notices' version. The page
        # is served only if it was kept under both; a removal deletes the generation, so it is not.
        found = cache.get_many([key, GENERATION_KEY, NOTICES_CACHE_KEY])
        entry, current, notices = found.get(key), found.get(GENERATION_KEY), found.get(NOTICES_CACHE_KEY)
        if entry is not None and current is not None and notices is not None:
            if entry["generation"] == current and entry["notices"] == notices.version:
                return self._answer(entry, request)
        # Read before the page is drawn: a change committed while it is drawn leaves it under a generation gone.
        kept_under = (generation(), current_notices().version)
        setattr(request, FRONT_ATTRIBUTE, True)
        response = self.get_response(request)
        self._keep(key, kept_under, request, response)
        return response

    def _key(self, request) -> str | None:
        if request.method not in ("GET", "HEAD") or not request.path.startswith(FRONT_PATHS):
            return None
        if FRONT_EXCLUDED.match(request.path) or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        if any(name in request.COOKIES for name in _PERSONAL_COOKIES):
            return None
        number = request.GET.get(PAGE_PARAM, "")
        if len(number) > 4 or (number and not number.isdigit()) or "language" in request.GET:
            return None
        language = "es" if request.path.startswith("/es/") else "en"
        if language == "en" and translation.get_language_from_request(request) not in ("en", None):
            return None  # the whole stack sends this visitor to the Spanish page
        return f"public:front:{language}:{request.path}|{number}"

    def _keep(self, key: str, kept_under: tuple[str, int], request, response) -> None:
        entry = getattr(response, "_front_entry", None)
        if entry is None or response.status_code != 200 or request.method != "GET":
            return
        if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
            return
        front = {
            "generation": kept_under[0],
            "notices": kept_under[1],
            "content": entry["content"],
            "csrf_marker": entry.get("csrf_marker"),
            "on_hit": entry.get("on_hit"),
            "headers": [(name, value) for name, value in response.items() if name.lower() not in _NOT_KEPT],
        }
        cache.set(key, front, timeout=PAGE_TIMEOUT)

    def _answer(self, entry: dict, request) -> HttpResponse:
        headers = dict(entry["headers"])
        etag, modified = headers.get("ETag"), headers.get("Last-Modified")
        last_modified = parse_http_date_safe(modified) if modified else None
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            content = entry["content"]
            marker = entry.get("csrf_marker")
            if marker:
                self.csrf.process_request(request)  # the visitor's token from their cookie, if they have one
                content = content.replace(marker.encode(), get_token(request).encode())
            response = HttpResponse(b"" if request.method == "HEAD" else content)
            response["Content-Length"] = str(len(content))
            if entry.get("on_hit") and request.method == "GET":
                path, args, kwargs = entry["on_hit"]
                import_string(path)(request, *args, **kwargs)
        for name, value in entry["headers"]:
            if response.status_code == 304 and name.lower() in ("content-type", "content-language"):
                continue
            response[name] = value
        if response.status_code == 200:
            self.csrf.process_response(request, response)
        return response
