from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.add_member, name="add"),
    path("designee-terms/<int:pk>/end/", views.end_designee, name="end_designee"),
    path("authorizations/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("remote-exceptions/<int:pk>/end/", views.end_remote_exception, name="end_exception"),
    path("<str:username>/", views.member_detail, name="detail"),
    path("<str:username>/authorize/", views.authorize, name="authorize"),
    path("<str:username>/training/new/", views.record_training, name="record_training"),
    path("<str:username>/remote-exception/new/", views.grant_remote_exception, name="grant_exception"),
    path("<str:username>/disable/", views.disable, name="disable"),
    path("<str:username>/roles/", views.change_roles, name="roles"),
    path("<str:username>/designee/", views.appoint_designee, name="appoint_designee"),
    path("<str:username>/unlock/", views.unlock, name="unlock"),
    path("<str:username>/enrolment-code/", views.issue_enrolment_code, name="enrolment_code"),
]
