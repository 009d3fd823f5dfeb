from django.urls import path

from . import account_views

app_name = "accounts"

urlpatterns = [
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("login/verify/", account_views.verify, name="verify"),
    path("two-factor/setup/", account_views.setup, name="two_factor_setup"),
    path("two-factor/confirm/", account_views.confirm, name="two_factor_confirm"),
    path("logout/", account_views.LogoutView.as_view(), name="logout"),
]
