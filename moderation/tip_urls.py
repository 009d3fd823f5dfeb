"""Tip pages, public and staff, at their full paths: included at the root ahead of "news/" and "es/news/", so
"news/tip/" is the general tip page and not a post whose slug is "tip". The public pages are in English under
/news/ and in Spanish under /es/news/, as the news pages are."""

from django.urls import path

from . import tip_views

app_name = "tips"

urlpatterns = [
    path("news/tip/", tip_views.general_tip, name="general"),
    path("news/<slug:slug>/tip/", tip_views.post_tip, name="post"),
    path("es/news/tip/", tip_views.general_tip, {"language": "es"}, name="general_es"),
    path("es/news/<slug:slug>/tip/", tip_views.post_tip, {"language": "es"}, name="post_es"),
    path("tips/", tip_views.tip_queue, name="queue"),
    path("tips/settings/", tip_views.tip_settings, name="settings"),
    path("tips/<str:reference>/", tip_views.tip_detail, name="detail"),
]
