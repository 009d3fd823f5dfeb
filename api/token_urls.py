from django.urls import path

from . import token_views as views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("all/", views.all_tokens, name="all"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
]
