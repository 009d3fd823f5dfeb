from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("try/", views.try_text, name="try"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<str:rule_id>/", views.rule_update, name="rule_update"),
    path("terms/", views.term_list, name="terms"),
    path("terms/new/", views.term_add, name="term_add"),
    path("terms/<int:pk>/withdraw/", views.term_withdraw, name="term_withdraw"),
]
