from django.urls import path

from . import export_views, request_views, search_views, views

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
    path("search/", search_views.search, name="search"),
    path("requests/", request_views.request_list, name="requests"),
    path("requests/<int:pk>/", request_views.request_detail, name="request"),
    path("requests/attach/", request_views.attach_to_request, name="attach_to_request"),
    path("exports/", export_views.export_list, name="exports"),
    path("exports/new/", export_views.export_new, name="export_new"),
    path("exports/<int:pk>/", export_views.export_detail, name="export"),
    path("exports/<int:pk>/progress/", export_views.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("exports/<int:pk>/build/", export_views.export_build, name="export_build"),
    path("exports/<int:pk>/media/<str:sha256>/", export_views.export_media_file, name="export_media"),
    path("exports/<int:pk>/media/<str:sha256>/decide/", export_views.export_media_decide, name="export_media_decide"),
]
