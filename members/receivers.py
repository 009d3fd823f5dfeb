"""Reactions to changes made outside the services: roles, account flags, passwords and two-factor devices are
audited by whatever path they change (a page, the admin, a shell's `user.groups.add(...)`), and a disabled
account's sessions end."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.audit import record_event
from core.context import current_actor

from .accounts import account_locked
from .models import Role
from .services import end_sessions_of

ACCOUNT_FLAGS = ("is_active", "is_staff", "is_superuser")


def login_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes refused a login for too many failures (385.3 accounts; CJIS lockout)."""
    account_locked(username=str(username or "")[:150], ip=ip_address)


def ensure_roles(sender, using="default", **kwargs):
    for role in Role.values:
        Group.objects.using(using).get_or_create(name=role)


def user_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created or instance.is_active:
        return

    end_sessions_of(instance)


def remember_account(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a member's row is saved, what the audited fields were."""
    instance._audited_before = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & {*ACCOUNT_FLAGS, "password"}:
        return  # e.g. the last-login stamp
    instance._audited_before = sender.objects.filter(pk=instance.pk).values(*ACCOUNT_FLAGS, "password").first()


def audit_account(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        flags = {flag: True for flag in ("is_staff", "is_superuser") if getattr(instance, flag)}
        if flags:
            record_event(current_actor(), "account.created_privileged", instance, details={"flags": flags})
        return
    before = getattr(instance, "_audited_before", None)
    if not before:
        return
    changed = {f: [before[f], getattr(instance, f)] for f in ACCOUNT_FLAGS if before[f] != getattr(instance, f)}
    if changed:
        record_event(current_actor(), "account.flags_changed", instance, details={"changed": changed})
    if before["password"] != instance.password:
        record_event(current_actor(), "account.password_changed", instance)  # never the password or its hash


def audit_roles(sender, instance, action, reverse, pk_set, **kwargs):
    """`user.groups` changed, from either side (`user.groups.add(g)` or `group.user_set.add(u)`)."""
    User = get_user_model()
    if action == "pre_clear":
        related = instance.user_set.all() if reverse else instance.groups.all()
        instance._cleared = list(related.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    pks = set(pk_set or ()) if action != "post_clear" else set(getattr(instance, "_cleared", ()))
    if not pks:
        return
    key = "added" if action == "post_add" else "removed"
    if reverse:
        for user in User.objects.filter(pk__in=pks).order_by("pk"):
            record_event(current_actor(), "account.roles_changed", user, details={key: [instance.name]})
    else:
        names = sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))
        record_event(current_actor(), "account.roles_changed", instance, details={key: names})


def remember_device(sender, instance, raw=False, **kwargs):
    """Every sign-in saves the device (its last-used step, throttling); only its secret, name and confirmation
    are audited."""
    instance._audited_before = None
    if not raw and instance.pk is not None:
        instance._audited_before = sender.objects.filter(pk=instance.pk).values("key", "name", "confirmed").first()


def audit_device_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    details = {"device": instance.name, "confirmed": instance.confirmed}
    if created:
        record_event(current_actor(), "account.device_added", instance.user, details=details)
        return
    before = getattr(instance, "_audited_before", None)
    if before and any(before[f] != getattr(instance, f) for f in ("key", "name", "confirmed")):
        details["new_secret"] = before["key"] != instance.key  # whether, never what
        record_event(current_actor(), "account.device_changed", instance.user, details=details)


def audit_device_deleted(sender, instance, **kwargs):
    record_event(current_actor(), "account.device_removed", instance.user, details={"device": instance.name})
