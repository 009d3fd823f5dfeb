"""People and roles in the app (385.3): the Chief or designee adds members and gives and takes roles, the Chief
appoints and ends the designee, locked accounts are unlocked; each change is audited and the admin only shows."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from core.errors import InvalidInput, PermissionRefused
from core.models import AuditEvent, Notification
from members import accounts
from members.models import DesigneeAppointment, MemberProfile
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def roles_of(user):
    return set(user.groups.values_list("name", flat=True))


def role_events(user):
    return list(
        AuditEvent.objects.filter(verb="account.roles_changed", object_type="auth.user", object_id=str(user.pk))
        .order_by("seq")
        .values_list("actor_repr", "details")
    )


# Adding members and giving roles --------------------------------------------------------------------------------


def test_the_chief_adds_a_member_on_the_page_and_it_is_audited(signed_in, chief, supervisor):
    page = signed_in(chief).post(
        "/members/new/",
        {
            "username": "jdoe",
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "jdoe@police.example.gov",
            "badge_number": "4471",
            "division": "Patrol",
            "supervisor": supervisor.pk,
            "roles": ["Team Member"],
        },
    )
    assert page.status_code == 302 and page["Location"] == "/members/jdoe/"
    jdoe = User.objects.get(username="jdoe")
    assert not jdoe.has_usable_password()
    assert MemberProfile.objects.get(user=jdoe).supervisor == supervisor
    assert roles_of(jdoe) == {"Team Member"}
    added = AuditEvent.objects.get(verb="member.added")
    assert added.actor == chief and added.details["badge_number"] == "4471"
    assert role_events(jdoe) == [("chief", {"added": ["Team Member"]})]


def test_adding_a_member_refuses_a_taken_username_or_badge_naming_the_field(chief, member):
    with pytest.raises(InvalidInput) as taken:
        accounts.add_member(actor=chief, username="MEMBER", first_name="A", last_name="B", email="", badge_number="9")
    assert taken.value.field == "username"
    with pytest.raises(InvalidInput) as badge:
        accounts.add_member(
            actor=chief,
            username="new1",
            first_name="A",
            last_name="B",
            email="",
            badge_number=member.profile.badge_number,
        )
    assert badge.value.field == "badge_number"
    assert not User.objects.filter(username="new1").exists()


@pytest.mark.policy("385.3")
def test_only_the_chief_or_designee_adds_members_and_gives_roles(signed_in, supervisor, smo, member):
    with pytest.raises(PermissionRefused):
        accounts.add_member(actor=supervisor, username="x1", first_name="X", last_name="Y", email="", badge_number="1")
    with pytest.raises(PermissionRefused):
        accounts.set_roles(actor=smo, member=member, roles=["Supervisor"])
    refused = signed_in(supervisor).get("/members/new/")
    assert refused.status_code == 403 and "385.3" in refused.content.decode()
    assert roles_of(member) == {"Member"}


@pytest.mark.policy("385.3")
def test_the_designee_gives_roles_but_not_the_chiefs(designee, member):
    accounts.set_roles(actor=designee, member=member, roles=["Supervisor"], reason="Promoted")
    assert roles_of(member) == {"Supervisor"}
    with pytest.raises(PermissionRefused) as refused:
        accounts.set_roles(actor=designee, member=member, roles=["Supervisor", "Chief"])
    assert "Chief of Police" in str(refused.value) and refused.value.section == "385.3"
    assert roles_of(member) == {"Supervisor"}


def test_roles_cannot_be_given_to_oneself_and_the_last_chief_stays(chief, designee):
    with pytest.raises(InvalidInput):
        accounts.set_roles(actor=chief, member=chief, roles=[])
    with pytest.raises(InvalidInput) as designee_role:
        accounts.set_roles(actor=chief, member=designee, roles=["Designee"])
    assert "appointment" in str(designee_role.value)
    assert "Chief" in roles_of(chief)


def test_the_roles_page_changes_roles_with_a_reason(signed_in, chief, member):
    client = signed_in(chief)
    form = client.get(f"/members/{member.username}/roles/").content.decode()
    assert 'value="Supervisor"' in form and 'value="Designee"' not in form
    done = client.post(f"/members/{member.username}/roles/", {"roles": ["Supervisor"], "reason": "Promoted"})
    assert done.status_code == 302
    assert roles_of(member) == {"Supervisor"}
    assert AuditEvent.objects.get(verb="member.roles_set").details["reason"] == "Promoted"
    missing_reason = client.post(f"/members/{member.username}/roles/", {"roles": []})
    assert missing_reason.status_code == 200 and roles_of(member) == {"Supervisor"}


# The designee -------------------------------------------------------------------------------------------------


@pytest.mark.policy("385.3")
def test_the_chief_appoints_and_ends_a_designee_dated_with_reasons(chief, member):
    before = len(role_events(member))
    with freeze_time("2026-03-02 09:00"):
        term = accounts.appoint_designee(actor=chief, member=member, reason="Chief on leave")
    assert "Designee" in roles_of(member)
    with pytest.raises(InvalidInput):
        accounts.appoint_designee(actor=chief, member=member, reason="again")
    with pytest.raises(InvalidInput) as no_reason:
        accounts.end_designee(actor=chief, appointment=term, reason=" ")
    assert no_reason.value.field == "reason"
    with freeze_time("2026-03-20 17:00"):
        accounts.end_designee(actor=chief, appointment=term, reason="Chief back")
    term.refresh_from_db()
    assert (term.appointed_at.day, term.ended_at.day, term.end_reason) == (2, 20, "Chief back")
    assert "Designee" not in roles_of(member)
    verbs = list(AuditEvent.objects.order_by("seq").values_list("verb", flat=True))
    assert verbs.index("designee.appointed") < verbs.index("designee.ended")
    assert role_events(member)[before:] == [("chief", {"added": ["Designee"]}), ("chief", {"removed": ["Designee"]})]


@pytest.mark.policy("385.3")
def test_only_the_chief_appoints_a_designee(designee, member):
    with pytest.raises(PermissionRefused) as refused:
        accounts.appoint_designee(actor=designee, member=member, reason="x")
    assert refused.value.section == "385.3"
    assert not DesigneeAppointment.objects.exists()


# A shell or the admin ---------------------------------------------------------------------------------------------


def test_a_role_given_in_a_shell_is_audited_as_the_system(member):
    before = len(role_events(member))
    member.groups.add(Group.objects.get(name="Chief"))
    assert role_events(member)[before:] == [("system", {"added": ["Chief"]})]


def test_the_admin_shows_accounts_and_roles_but_does_not_change_them(member):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    chief_group = Group.objects.get(name="Chief")
    change = client.post(
        f"/admin/auth/user/{member.pk}/change/",
        {"username": member.username, "groups": [chief_group.pk], "is_active": "on"},
    )
    assert change.status_code == 403
    assert client.get(f"/admin/auth/user/{member.pk}/change/").status_code == 200  # shown, read-only
    assert client.post("/admin/auth/group/add/", {"name": "Shadow Chief"}).status_code == 403
    assert client.post("/admin/otp_totp/totpdevice/add/", {"user": member.pk, "name": "x"}).status_code == 403
    assert roles_of(member) == {"Member"}
    assert not TOTPDevice.objects.filter(user=member).exists()


def test_staff_need_the_second_factor_before_the_admin(member):
    member.is_staff = True
    member.save()
    client = Client()
    client.post("/accounts/login/", {"username": member.username, "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/verify/")


# Lockout ----------------------------------------------------------------------------------------------------------


def _fail_logins(username, times=5):
    for i in range(times):
        Client().post(
            "/accounts/login/",
            {"username": username, "password": f"wrong-{i}-password"},
            REMOTE_ADDR=f"198.51.100.{i + 1}",
        )


def test_a_lockout_lasts_thirty_minutes_and_tells_the_member_and_the_chief(member, chief, designee):
    with freeze_time() as frozen:
        _fail_logins(member.username, times=7)
        assert accounts.locked_until(member) is not None
        events = AuditEvent.objects.filter(verb="account.locked", object_id=str(member.pk))
        assert events.count() == 1  # the lock, once, however many tries follow
        told = Notification.objects.filter(event="account.locked")
        assert set(told.values_list("recipient__username", flat=True)) == {member.username, "chief", "designee"}
        assert not any("wrong-" in n.body for n in told)  # never the passwords tried
        frozen.tick(timedelta(minutes=29))
        assert Client().post("/accounts/login/", {"username": member.username, "password": PASSWORD}).status_code == 429
        frozen.tick(timedelta(minutes=2))
        assert Client().post("/accounts/login/", {"username": member.username, "password": PASSWORD}).status_code == 302


def test_the_chief_unlocks_an_account_on_the_members_page_and_it_is_audited(signed_in, chief, member):
    _fail_logins(member.username)
    client = signed_in(chief)
    detail = client.get(f"/members/{member.username}/").content.decode()
    assert "Locked after failed log-ins" in detail and "Unlock account" in detail
    client.post(f"/members/{member.username}/unlock/", {"reason": "Called from the front desk"})
    assert accounts.locked_until(member) is None
    event = AuditEvent.objects.get(verb="account.unlocked")
    assert event.actor == chief and event.details["reason"] == "Called from the front desk"
    assert Client().post("/accounts/login/", {"username": member.username, "password": PASSWORD}).status_code == 302


def test_no_one_but_the_chief_or_designee_unlocks(supervisor, member):
    _fail_logins(member.username)
    with pytest.raises(PermissionRefused):
        accounts.unlock_member(actor=supervisor, member=member)
    assert accounts.locked_until(member) is not None
    assert not AuditEvent.objects.filter(verb="account.unlocked").exists()


# Supervisors see their people ---------------------------------------------------------------------------------


def test_a_supervisor_sees_their_people(signed_in, supervisor, member, team):
    member.profile.supervisor = supervisor
    member.profile.save()
    page = signed_in(supervisor).get("/members/?people=mine").content.decode()
    assert "Your people" in page and member.username in page and f">{team.username}<" not in page


# Enrolment codes ----------------------------------------------------------------------------------------------


def test_the_enrolment_code_command_prints_a_code_once_and_refuses_a_stranger(member, capsys):
    call_command("issue_enrolment_code", member.username)
    out = capsys.readouterr().out
    code = out.split(": ", 1)[1].splitlines()[0].strip()
    stored = member.enrolment_codes.get()
    assert code not in stored.digest and stored.issued_by is None
    assert stored.expires_at - timezone.now() <= timedelta(hours=72)
    with pytest.raises(CommandError, match="username"):
        call_command("issue_enrolment_code", "nobody-here")
