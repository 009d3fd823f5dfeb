"""The routes of /api/v1/, area by area."""

from django.urls import include, path

urlpatterns = [
    path("", include("api.posts_urls")),
]
