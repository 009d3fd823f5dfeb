from django.db import transaction


def ensure_roles(sender, using="default", **kwargs):
    from django.contrib.auth.models import Group

    from .models import Role

    for role in Role.values:
        Group.objects.using(using).get_or_create(name=role)


def user_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created or instance.is_active:
        return
    from .services import end_sessions_of

    end_sessions_of(instance)


def channel_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    from .models import Authorization
    from .services import sync_posting_permissions

    def sync():
        members = {a.member for a in Authorization.objects.active().filter(all_channels=True).select_related("member")}
        for member in members:
            sync_posting_permissions(member=member)

    transaction.on_commit(sync)
