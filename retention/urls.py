from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("needs-determination/", views.undetermined, name="undetermined"),
    path("<int:pk>/", views.record_detail, name="record"),
]
