from django.urls import path

from . import calendar_views, desk_views, notices, preview_views, views
from .publishing import credential_views

app_name = "posts"

urlpatterns = [
    path("channels/", views.channel_list, name="channel_list"),
    path("channels/new/", views.channel_edit, name="channel_create"),
    path("channels/<slug:slug>/", views.channel_detail, name="channel_detail"),
    path("channels/<slug:slug>/edit/", views.channel_edit, name="channel_edit"),
    path("channels/<slug:slug>/credentials/", credential_views.channel_credentials, name="channel_credentials"),
    path("removals/", views.removal_todos, name="removal_todos"),
    path("account-posts/", desk_views.account_posts, name="account_posts"),
    path("account-posts/<int:pk>/", desk_views.account_post_detail, name="account_post_detail"),
    path("guidelines/", views.guideline_list, name="guideline_list"),
    path("guidelines/new/", views.guideline_edit, name="guideline_create"),
    path("guidelines/settings/", views.posting_settings, name="posting_settings"),
    path("guidelines/<slug:slug>/edit/", views.guideline_edit, name="guideline_edit"),
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/close/", views.incident_close, name="incident_close"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("media-permissions/", views.media_permissions, name="media_permissions"),
    path("website/notices/", notices.edit_website_notices, name="website_notices"),
    path("posts/preview/", preview_views.preview, name="preview"),
    path(
        "posts/<int:pk>/attachments/<int:attachment_pk>/preview.webp",
        preview_views.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("calendar/feed/", calendar_views.feed_page, name="calendar_feed"),
    path("calendar/feed/<str:token>.ics", calendar_views.feed_ics, name="calendar_feed_ics"),
]
