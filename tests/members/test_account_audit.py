"""Roles, account flags, passwords and two-factor devices are audited whatever path changes them (385.3):
a shell's `user.groups.add(...)`, either side of the relation, the admin or a page (the signed-in actor)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.context import current_request
from core.models import AuditEvent
from members.models import Role

pytestmark = pytest.mark.django_db


def events(verb, user):
    return list(AuditEvent.objects.filter(verb=verb, object_id=str(user.pk)).order_by("seq"))


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user("officer", "officer@police.example.gov", "x" * 16)


def test_a_role_given_in_a_shell_is_audited(officer):
    officer.groups.add(Group.objects.get(name=Role.CHIEF))
    (event,) = events("account.roles_changed", officer)
    assert event.details == {"added": [Role.CHIEF]} and event.actor_repr == "system"

    officer.groups.remove(Group.objects.get(name=Role.CHIEF))
    assert events("account.roles_changed", officer)[-1].details == {"removed": [Role.CHIEF]}
    call_command("verify_audit")


def test_a_role_given_from_the_group_side_or_cleared_is_audited(officer):
    supervisors = Group.objects.get(name=Role.SUPERVISOR)
    supervisors.user_set.add(officer)
    officer.groups.clear()
    assert [e.details for e in events("account.roles_changed", officer)] == [
        {"added": [Role.SUPERVISOR]},
        {"removed": [Role.SUPERVISOR]},
    ]


def test_adding_a_role_already_held_writes_nothing(officer):
    chief = Group.objects.get(name=Role.CHIEF)
    officer.groups.add(chief)
    officer.groups.add(chief)
    assert len(events("account.roles_changed", officer)) == 1


def test_the_signed_in_member_making_the_change_is_its_actor(officer, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@police.example.gov", "y" * 16)
    request = RequestFactory().get("/admin/")
    request.user = admin
    token = current_request.set(request)
    try:
        officer.is_staff = True
        officer.save()
    finally:
        current_request.reset(token)
    (event,) = events("account.flags_changed", officer)
    assert event.actor_id == admin.pk and event.details == {"changed": {"is_staff": [False, True]}}
    assert events("account.created_privileged", admin)[0].details == {"flags": {"is_staff": True, "is_superuser": True}}


def test_a_password_change_is_audited_without_the_password(officer):
    officer.set_password("a-new-long-passphrase-2026")
    officer.save()
    (event,) = events("account.password_changed", officer)
    assert event.details == {}
    assert "pbkdf2" not in event.canonical() and "passphrase" not in event.canonical()


def test_saving_the_last_login_stamp_writes_nothing(officer, client):
    client.force_login(officer)  # saves last_login with update_fields
    assert not AuditEvent.objects.filter(verb__startswith="account.", object_id=str(officer.pk)).exists()


def test_two_factor_devices_added_and_removed_are_audited(officer):
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=False)
    device.confirmed = True
    device.save()
    device.last_t = 12345  # what a sign-in saves
    device.save()
    device.delete()
    assert [(e.verb, e.details) for e in AuditEvent.objects.filter(verb__startswith="account.device")] == [
        ("account.device_added", {"device": "phone", "confirmed": False}),
        ("account.device_changed", {"device": "phone", "confirmed": True, "new_secret": False}),
        ("account.device_removed", {"device": "phone"}),
    ]
