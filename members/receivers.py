from .models import Role
from .services import end_sessions_of


def ensure_roles(sender, using="default", **kwargs):
    from django.contrib.auth.models import Group

    for role in Role.values:
        Group.objects.using(using).get_or_create(name=role)


def user_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created or instance.is_active:
        return

    end_sessions_of(instance)
