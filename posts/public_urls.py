from django.urls import path

from . import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.news_list, name="list"),
    path("feed/rss/", public_views.LatestPostsFeed(), name="rss"),
    path("feed/atom/", public_views.LatestPostsAtomFeed(), name="atom"),
    path("<slug:slug>/", public_views.news_post, name="post"),
]
