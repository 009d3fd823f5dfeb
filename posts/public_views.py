"""The department website channel: public pages (no login), feeds and the comment form.

Readable without JavaScript; conditional GET (ETag / Last-Modified) so browsers and caches revalidate cheaply.
"""

import hashlib

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import condition, require_http_methods

from core.errors import DomainError

from .forms import PublicCommentForm
from .models import Channel, Comment, Post, Publication
from .publishing.adapters.website import public_slug
from .publishing.intake import count_view, receive_comment, visitor_key

PAGE_SIZE = 20


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
    """When anything on the website last changed. Cached; every change to a post, publication or comment
    clears it (posts.apps), and it is recomputed from the database when missing."""
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        channel = website_channel()
        # Removals and edits change updated_at of posts that were on the site, so include every post released.
        found = Publication.objects.filter(channel=channel).aggregate(t=Max("post__updated_at"), p=Max("published_at"))
        values = [v for v in found.values() if v]
        stamp = max(values) if values else timezone.now()
        cache.set(STAMP_KEY, stamp, timeout=300)
    return stamp


def clear_site_stamp(*args, **kwargs):
    cache.delete(STAMP_KEY)


def _list_last_modified(request, *args, **kwargs):
    return site_stamp()


def _list_etag(request, *args, **kwargs):
    stamp = _list_last_modified(request)
    return hashlib.sha256(f"list|{stamp}|{request.GET.get('page', '1')}".encode()).hexdigest()[:32]


@condition(etag_func=_list_etag, last_modified_func=_list_last_modified)
def news_list(request):
    channel = website_channel()
    number = request.GET.get("page", "1")
    number = int(number) if number.isdigit() and 0 < int(number) < 10_000 else 1
    # No total count: "older" and "newer" links are all a reader needs, and counting would scan every post.
    window = list(published_posts(channel)[(number - 1) * PAGE_SIZE : number * PAGE_SIZE + 1])
    rows = [{"post": p, "slug": public_slug(p.pk, p.title)} for p in window[:PAGE_SIZE]]
    response = render(
        request,
        "public/news_list.html",
        {
            "channel": channel,
            "rows": rows,
            "number": number,
            "has_older": len(window) > PAGE_SIZE,
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
    stamps = [t for t in (post_time, comments["c"]) if t]
    return max(stamps)


def _post_etag(request, slug):
    stamp = _post_last_modified(request, slug)
    return hashlib.sha256(f"post|{slug}|{stamp}".encode()).hexdigest()[:32] if stamp else None


@require_http_methods(["GET", "HEAD", "POST"])
def news_post(request, slug):
    if request.method == "POST":
        return _comment(request, slug)
    return _news_post_get(request, slug)


@condition(etag_func=_post_etag, last_modified_func=_post_last_modified)
def _news_post_get(request, slug):
    post = _post_from_slug(slug)
    canonical = public_slug(post.pk, post.title)
    if slug != canonical:
        return redirect("public:post", slug=canonical, permanent=True)
    if request.method == "GET":
        count_view(post)
    return _render_post(request, post, PublicCommentForm())


def _render_post(request, post, form, status=200):
    channel = website_channel()
    comments = list(
        Comment.objects.filter(post=post, status=Comment.Status.VISIBLE)
        .order_by("created_at", "pk")
        .only("author_name", "text", "created_at")
    )
    response = render(
        request,
        "public/news_post.html",
        {
            "channel": channel,
            "post": post,
            "comments": comments,
            "form": form,
            "slug": public_slug(post.pk, post.title),
        },
        status=status,
    )
    # The comment form carries a per-visitor CSRF token: browsers may keep and revalidate it, shared caches not.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _comment(request, slug):
    post = _post_from_slug(slug)
    form = PublicCommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("website"):  # a field people never see: only robots fill it in
            return redirect("public:post", slug=public_slug(post.pk, post.title))
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
            form.add_error(field if field != "author_name" else "name", error.message)
        else:
            if comment.status == Comment.Status.VISIBLE:
                messages.success(request, "Thank you. Your comment is published below.")
            else:
                messages.success(request, "Thank you. Your comment will appear once the team has reviewed it.")
            return redirect(f"/news/{public_slug(post.pk, post.title)}/#comments")
    return _render_post(request, post, form, status=400)


class LatestPostsFeed(Feed):
    title = "Police Department news"
    link = "/news/"
    description = "Announcements, safety information and updates from the department."

    def items(self):
        return published_posts(website_channel())[:30]

    def item_title(self, item):
        if item.incident_id:
            return f"{item.title} — Update {item.update_number}"
        return item.title

    def item_description(self, item):
        return item.body

    def item_link(self, item):
        return f"/news/{public_slug(item.pk, item.title)}/"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = Atom1Feed
    subtitle = LatestPostsFeed.description
