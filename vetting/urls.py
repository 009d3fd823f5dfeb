"""/vetting/: background vetting of job candidates (385.5.4(d))."""

from django.urls import path

from . import views

app_name = "vetting"

urlpatterns = [
    path("", views.index, name="index"),
    path("designations/", views.designations, name="designations"),
    path("designations/<int:pk>/revoke/", views.revoke_designation, name="revoke_designation"),
    path("processes/new/", views.open_process, name="open_process"),
    path("processes/<int:pk>/", views.process_page, name="process"),
    path("processes/<int:pk>/steps/<int:step_pk>/remove/", views.remove_step, name="remove_step"),
    path("processes/<int:pk>/close/", views.close_process, name="close_process"),
    path("processes/<int:pk>/uniformity/", views.uniformity, name="uniformity"),
    path("candidates/<int:pk>/", views.candidate_page, name="candidate"),
    path("findings/<int:pk>/capture/", views.capture, name="capture"),
    path("reports/<int:pk>/", views.report_page, name="report"),
]
