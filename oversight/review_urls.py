"""Routes of the annual review (385.6)."""

from django.urls import path

from . import review_views as views

urlpatterns = [
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/appointments/<int:pk>/generate/", views.generate, name="review_generate"),
    path("reviews/<int:pk>/", views.report_page, name="review"),
    path("reviews/<int:pk>/progress/", views.progress, name="review_progress"),
    path("reviews/<int:pk>/sign-off/", views.sign_off, name="review_sign_off"),
    path("reviews/<int:pk>/return/", views.return_to_reviewer, name="review_return"),
    path("reviews/<int:pk>/new-version/", views.new_version, name="review_new_version"),
    path("reviews/<int:pk>/report.pdf", views.report_pdf, name="review_pdf"),
    path("reviews/<int:pk>/report.csv", views.report_csv, name="review_csv"),
]
