"""The routes of /api/v1/, area by area."""

from django.urls import include, path

urlpatterns = [
    path("", include("api.posts_urls")),
    path("", include("api.incidents_urls")),
    path("", include("api.comments_urls")),
    path("", include("api.records_urls")),
]
