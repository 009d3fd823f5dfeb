from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("posts/", views.my_posts, name="post_list"),
    path("posts/new/", views.post_create, name="post_create"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/submit/", views.post_submit, name="post_submit"),
    path("posts/<int:pk>/publish/", views.post_publish, name="post_publish"),
    path("posts/<int:pk>/withdraw/", views.post_withdraw, name="post_withdraw"),
    path("posts/<int:pk>/remove/", views.post_remove, name="post_remove"),
    path("posts/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("posts/<int:pk>/attachments/<int:attachment_pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("incidents/<int:incident_pk>/updates/new/", views.post_create, name="incident_update_create"),
    path("posts/<int:pk>/publications/<int:publication_pk>/retry/", views.publication_retry, name="publication_retry"),
    path("monitoring/", views.monitoring_queue, name="monitoring"),
    path("monitoring/comments/<int:pk>/", views.comment_page, name="comment_detail"),
    path("monitoring/alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("review/", views.review_queue, name="queue"),
    path("review/<int:pk>/", views.review_post, name="review"),
]
