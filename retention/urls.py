from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("needs-determination/", views.undetermined, name="undetermined"),
    path("<int:pk>/", views.record_detail, name="record"),
    path("schedules/", views.schedules, name="schedules"),
    path("holds/", views.holds, name="holds"),
    path("holds/<int:pk>/", views.hold_detail, name="hold"),
    path("disposition/", views.disposition, name="disposition"),
    path("disposition/<int:pk>/", views.batch_detail, name="batch"),
    path("disposition/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("disposition/<int:pk>/certificate.pdf", views.certificate, {"fmt": "pdf"}, name="certificate_pdf"),
]
