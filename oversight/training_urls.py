"""Routes of training compliance (385.8)."""

from django.urls import path

from . import training_views

urlpatterns = [
    path("training/", training_views.training_compliance, name="training"),
    path("training/csv/", training_views.training_compliance_csv, name="training_csv"),
]
