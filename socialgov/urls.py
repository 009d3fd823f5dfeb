from django.contrib import admin
from django.urls import include, path

from posts import public_urls

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.audit_integrity, name="audit_integrity"),
    # Pages without a <link rel="icon"> (the certificate, feeds in a browser) still get the department's icon.
    path("favicon.ico", views.favicon),
    path("", include("moderation.tip_urls")),
    # The department website: English at the addresses other programs rely on, Spanish under /es/.
    path("news/", include("posts.public_urls")),
    path("es/news/", include((public_urls.page_patterns, "public"), namespace="public_es")),
    path("accounts/api-tokens/", include("api.token_urls")),
    path("accounts/", include("members.account_urls")),
    path("members/", include("members.urls")),
    path("screening/", include("moderation.screening.urls")),
    path("records/", include("retention.urls")),
    path("oversight/", include("oversight.urls")),
    path("vetting/", include("vetting.urls")),
    path("api/", include("api.urls")),
    path("", include("moderation.urls")),
    path("", include("posts.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "socialgov.views.not_found"
