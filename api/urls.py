"""/api/v1/ and the schema with its two readers, Swagger UI and Redoc, served from the app's own static files. The
readers draw their styles at run time, so their pages alone allow inline styles (and Redoc's worker)."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

READER_CSP = {"style-src": ["'unsafe-inline'"], "img-src": ["data:"], "worker-src": ["blob:"]}

urlpatterns = [
    path("v1/", include("api.v1_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        csp_update(READER_CSP)(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("redoc/", csp_update(READER_CSP)(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
]
