"""Two-factor by what a member can reach, not by the name of a role; a first device only with an enrolment code
the Chief, designee or an administrator issued; a fresh second factor for downloads of exports and hold
releases."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from core.errors import InvalidInput, PermissionRefused
from core.models import AuditEvent
from members import accounts
from members.permissions import requires_two_factor, sensitive_reaches
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _with_role(role, username):
    from django.contrib.auth.models import Group

    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_whoever_reaches_records_credentials_registry_people_or_the_admin_needs_two_factor(team, settings):
    reviewer = _with_role("Annual Reviewer", "rev")
    smo = _with_role("Social Media Officer", "smo2")
    custodian = _with_role("Records Custodian", "cust2")
    chief = _with_role("Chief", "chief2")
    investigator = UserFactory(username="detective")
    investigator.user_permissions.add(Permission.objects.get(codename="manage_confidential_terms"))
    staff = UserFactory(username="ops", is_staff=True)
    assert "records and exports" in sensitive_reaches(reviewer)
    assert "channel credentials" in sensitive_reaches(smo)
    assert "the confidential-terms registry" in sensitive_reaches(investigator)
    assert "people and authorizations" in sensitive_reaches(chief)
    assert "records and exports" in sensitive_reaches(custodian)
    for user in (reviewer, smo, custodian, chief, investigator, staff):
        assert requires_two_factor(user), user.username
    assert not requires_two_factor(team)
    settings.OTP_REQUIRED_FOR_ALL = True
    assert requires_two_factor(team)


def test_the_annual_reviewer_cannot_reach_records_with_a_password_only():
    reviewer = _with_role("Annual Reviewer", "rev")
    TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
    client = Client()
    client.post("/accounts/login/", {"username": reviewer.username, "password": PASSWORD})
    response = client.get("/records/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/verify/")


def _log_in(username):
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return client


def test_a_first_device_needs_an_enrolment_code_not_just_the_password(chief):
    smo = _with_role("Social Media Officer", "smo2")
    client = _log_in(smo.username)
    page = client.get("/", follow=True)
    assert page.redirect_chain[-1][0].startswith("/accounts/two-factor/setup/")
    html = page.content.decode()
    assert "Enrolment code" in html and 'class="secret"' not in html
    assert not TOTPDevice.objects.filter(user=smo).exists()  # nothing issued to whoever holds the password

    refused = client.post("/accounts/two-factor/setup/", {"code": "ABCDE-FGHIJ-KLMNO-PQRST"})
    assert "not valid" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=smo).exists()

    _, code = accounts.issue_enrolment_code(actor=chief, member=smo)
    accepted = client.post("/accounts/two-factor/setup/?next=/", {"code": code.lower(), "next": "/"}, follow=True)
    html = accepted.content.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', html).group(1)
    device = TOTPDevice.objects.get(user=smo, confirmed=False)
    assert secret and device
    done = client.post("/accounts/two-factor/setup/", {"token": f"{totp(device.bin_key):06d}", "next": "/"})
    assert done.status_code == 302 and TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/").status_code == 200
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"two_factor.enrolment_code_issued", "two_factor.enrolment_code_used", "two_factor.enrolled"} <= verbs

    # Used once: the same code does not set up another device for someone else holding the password.
    again = _log_in(smo.username)
    TOTPDevice.objects.filter(user=smo).delete()
    assert "not valid" in again.post("/accounts/two-factor/setup/", {"code": code}).content.decode()


def test_an_enrolment_code_expires_is_withdrawn_by_a_new_one_and_belongs_to_one_member(chief, member, team):
    with freeze_time() as frozen:
        _, first = accounts.issue_enrolment_code(actor=chief, member=member)
        _, second = accounts.issue_enrolment_code(actor=chief, member=member)
        with pytest.raises(InvalidInput):
            accounts.redeem_enrolment_code(member=member, code=first)  # withdrawn
        with pytest.raises(InvalidInput):
            accounts.redeem_enrolment_code(member=team, code=second)  # not theirs
        frozen.tick(timedelta(hours=72, seconds=1))
        with pytest.raises(InvalidInput) as expired:
            accounts.redeem_enrolment_code(member=member, code=second)
        assert expired.value.field == "code"


def test_only_the_chief_or_designee_issues_enrolment_codes_on_the_page(signed_in, chief, supervisor, member):
    with pytest.raises(PermissionRefused):
        accounts.issue_enrolment_code(actor=supervisor, member=member)
    page = signed_in(chief).post(f"/members/{member.username}/enrolment-code/")
    html = page.content.decode()
    code = re.search(r'<code class="secret" aria-label="Enrolment code">([0-9A-F-]+)</code>', html).group(1)
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    assert member.enrolment_codes.get().digest != code
    accounts.redeem_enrolment_code(member=member, code=code)
