from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.audit_integrity, name="audit_integrity"),
    # Pages without a <link rel="icon"> (the certificate, feeds in a browser) still get the department's icon.
    path("favicon.ico", views.favicon),
    path("news/", include("posts.public_urls")),
    path("accounts/", include("members.account_urls")),
    path("members/", include("members.urls")),
    path("screening/", include("moderation.screening.urls")),
    path("records/", include("retention.urls")),
    path("oversight/", include("oversight.urls")),
    path("", include("moderation.urls")),
    path("", include("posts.urls")),
    path("admin/", admin.site.urls),
]
