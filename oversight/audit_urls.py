"""Routes of the audit trail viewer."""

from django.urls import path

from . import audit_views

urlpatterns = [
    path("audit/", audit_views.audit_trail_page, name="audit"),
    path("audit/export.csv", audit_views.audit_trail_export, name="audit_export"),
    path("audit/verify/", audit_views.audit_trail_verify, name="audit_verify"),
]
