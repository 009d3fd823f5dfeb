"""Routes of the coverage area: the policy coverage matrix."""

from django.urls import path

from . import coverage_views

urlpatterns: list = [
    path("coverage/", coverage_views.coverage, name="coverage"),
]
