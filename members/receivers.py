from django.db import transaction

from .models import Authorization, Role
from .services import end_sessions_of, sync_posting_permissions


def ensure_roles(sender, using="default", **kwargs):
    from django.contrib.auth.models import Group


    for role in Role.values:
        Group.objects.using(using).get_or_create(name=role)


def user_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created or instance.is_active:
        return

    end_sessions_of(instance)


def channel_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return

    def sync():
        members = {a.member for a in Authorization.objects.active().filter(all_channels=True).select_related("member")}
        for member in members:
            sync_posting_permissions(member=member)

    transaction.on_commit(sync)
