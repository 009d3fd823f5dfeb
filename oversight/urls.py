"""/oversight/: the annual review (385.6), training compliance (385.8), the audit trail and the policy coverage
matrix. Each area keeps its own routes; they share one namespace."""

from django.urls import path

from . import views
from .audit_urls import urlpatterns as audit_urls
from .coverage_urls import urlpatterns as coverage_urls
from .review_urls import urlpatterns as review_urls
from .training_urls import urlpatterns as training_urls

app_name = "oversight"

urlpatterns = [
    path("", views.index, name="index"),
    *review_urls,
    *training_urls,
    *audit_urls,
    *coverage_urls,
]
