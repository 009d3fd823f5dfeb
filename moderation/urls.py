from django.urls import path

from .views import monitoring, post_pages, reports, review

app_name = "moderation"

urlpatterns = [
    path("posts/", post_pages.my_posts, name="post_list"),
    path("posts/new/", post_pages.post_create, name="post_create"),
    path("posts/<int:pk>/", post_pages.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", post_pages.post_edit, name="post_edit"),
    path("posts/<int:pk>/submit/", post_pages.post_submit, name="post_submit"),
    path("posts/<int:pk>/publish/", post_pages.post_publish, name="post_publish"),
    path("posts/<int:pk>/withdraw/", post_pages.post_withdraw, name="post_withdraw"),
    path("posts/<int:pk>/remove/", post_pages.post_remove, name="post_remove"),
    path("posts/<int:pk>/attachments/", post_pages.attachment_add, name="attachment_add"),
    path(
        "posts/<int:pk>/attachments/<int:attachment_pk>/remove/", post_pages.attachment_remove, name="attachment_remove"
    ),
    path("incidents/<int:incident_pk>/updates/new/", post_pages.post_create, name="incident_update_create"),
    path(
        "posts/<int:pk>/publications/<int:publication_pk>/retry/",
        post_pages.publication_retry,
        name="publication_retry",
    ),
    path("monitoring/", monitoring.monitoring_queue, name="monitoring"),
    path("monitoring/comments/<int:pk>/", monitoring.comment_page, name="comment_detail"),
    path("monitoring/alerts/<int:pk>/acknowledge/", monitoring.alert_acknowledge, name="alert_acknowledge"),
    path("reports/", reports.report_list, name="report_list"),
    path("reports/new/", reports.report_create, name="report_create"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("review/", review.review_queue, name="queue"),
    path("review/<int:pk>/", review.review_post, name="review"),
]
