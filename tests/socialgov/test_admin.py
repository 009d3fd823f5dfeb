import pytest
from django.apps import apps
from django.contrib import admin

pytestmark = pytest.mark.django_db

APPS = ("core", "members", "posts", "moderation", "retention")


def test_every_model_is_in_the_admin_and_its_list_opens(signed_in, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@police.example.gov", "x" * 16)
    client = signed_in(superuser)
    models = [
        m for label in APPS for m in apps.get_app_config(label).get_models() if not m.__name__.startswith("Historical")
    ]
    assert [m.__name__ for m in models if m not in admin.site._registry] == []
    for model in models:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url


def test_governed_records_cannot_be_changed_in_the_admin(signed_in, django_user_model):
    from posts.models import Post
    from retention.models import Record

    superuser = django_user_model.objects.create_superuser("root", "root@police.example.gov", "x" * 16)
    request = type("R", (), {"user": superuser})()
    for model in (Post, Record):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
