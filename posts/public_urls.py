from django.urls import path

from . import public_views

app_name = "public"

# The pages and feeds, mounted once per language (socialgov.urls: /news/ in English, /es/news/ in Spanish).
page_patterns = [
    path("", public_views.news_list, name="list"),
    path("feed/rss/", public_views.public_page(public_views.LatestPostsFeed(), follows_preference=False), name="rss"),
    path(
        "feed/atom/",
        public_views.public_page(public_views.LatestPostsAtomFeed(), follows_preference=False),
        name="atom",
    ),
    path("<slug:slug>/", public_views.news_post, name="post"),
]

# The posts' media, at one address whatever the page's language (under /news/media/ only).
media_patterns = [
    path(
        "media/<int:attachment_id>/<str:digest>/<int:width>.webp",
        public_views.rendition,
        name="rendition",
    ),
    path("media/<int:attachment_id>/<str:digest>/video", public_views.video, name="video"),
    path("media/<int:attachment_id>/<str:digest>/captions.vtt", public_views.captions, name="captions"),
]

urlpatterns = media_patterns + page_patterns
