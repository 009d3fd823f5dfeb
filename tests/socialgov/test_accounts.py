import re
from datetime import timedelta

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from core.models import AuditEvent
from members.accounts import issue_enrolment_code
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD, ip="203.0.113.9"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def code_for(user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def chief_device(chief):
    return TOTPDevice.objects.create(user=chief, name="phone", confirmed=True)


def test_login_page_has_labelled_fields():
    html = Client().get("/accounts/login/").content.decode()
    assert re.search(r'<label for="id_username">Username', html)
    assert re.search(r'<label for="id_password">Password', html)
    assert ">Log in</button>" in html


def test_member_logs_in_with_password_and_it_is_audited(team):
    client = Client()
    response = login(client, "team")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(verb="login.succeeded")
    assert event.actor == team and event.ip == "203.0.113.9"


def test_failed_login_is_audited_without_the_password(team):
    response = login(Client(), "team", password="wrong-password-123")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    event = AuditEvent.objects.get(verb="login.failed")
    assert event.details == {"username": "team"}
    assert "wrong-password-123" not in str(event.details)


def test_login_rotates_the_session_key(team):
    client = Client()
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "presetbyattacker0000000000000000"
    login(client, "team")
    assert client.cookies["sessionid"].value != "presetbyattacker0000000000000000"


def test_chief_must_pass_two_factor_before_any_page(chief, chief_device):
    client = Client()
    login(client, "chief")
    response = client.get("/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/verify/")

    with freeze_time() as frozen:
        bad = client.post("/accounts/login/verify/", {"token": "000000"})
        assert "not valid" in bad.content.decode()
        assert AuditEvent.objects.filter(verb="login.two_factor_failed").count() == 1
        # Wrong codes throttle the device: even the right code waits.
        throttled = client.post("/accounts/login/verify/", {"token": code_for(chief)})
        assert "Too many wrong codes" in throttled.content.decode()
        frozen.tick(timedelta(seconds=3))

        ok = client.post("/accounts/login/verify/?next=/members/", {"token": code_for(chief), "next": "/members/"})
        assert ok.status_code == 302 and ok["Location"] == "/members/"
        assert client.get("/members/").status_code == 200


def test_role_requiring_two_factor_without_device_is_sent_to_enrol(supervisor, chief):
    client = Client()
    login(client, "supervisor")
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/setup/")
    _, code = issue_enrolment_code(actor=chief, member=supervisor)
    response = client.post("/accounts/two-factor/setup/", {"code": code}, follow=True)
    html = response.content.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', html).group(1)
    device = TOTPDevice.objects.get(user=supervisor, confirmed=False)
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    done = client.post("/accounts/two-factor/setup/", {"token": f"{totp(device.bin_key):06d}", "next": "/"})
    assert done.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/").status_code == 200


def test_lockout_after_five_failures_by_username(team):
    for i in range(5):
        login(Client(), "team", password=f"wrong-{i}-password", ip=f"198.51.100.{i + 1}")
    # Right password, fresh address: the username is locked.
    response = login(Client(), "team", ip="198.51.100.77")
    assert response.status_code == 429
    assert "locked" in response.content.decode()


def test_lockout_after_five_failures_by_address(team, member):
    for i in range(5):
        login(Client(), f"nobody{i}", password="wrong-password-xx", ip="198.51.100.200")
    response = login(Client(), "team", ip="198.51.100.200")
    assert response.status_code == 429
    assert login(Client(), "team", ip="198.51.100.201").status_code == 302


def test_lockout_expires_after_thirty_minutes(team):
    with freeze_time() as frozen:
        for i in range(5):
            login(Client(), "team", password=f"wrong-{i}-password")
        assert login(Client(), "team").status_code == 429
        frozen.tick(timedelta(minutes=16))
        assert login(Client(), "team").status_code == 429
        frozen.tick(timedelta(minutes=15))
        assert login(Client(), "team").status_code == 302


def test_session_ends_after_thirty_idle_minutes(team):
    client = Client()
    with freeze_time() as frozen:
        login(client, "team")
        frozen.tick(timedelta(minutes=29))
        assert client.get("/").status_code == 200
        frozen.tick(timedelta(minutes=29))  # activity renewed the idle window
        assert client.get("/").status_code == 200
        frozen.tick(timedelta(minutes=31))
        assert client.get("/").status_code == 302


def test_session_ends_after_twelve_hours_however_active(team):
    client = Client()
    with freeze_time() as frozen:
        login(client, "team")
        for _ in range(25):  # every 29 minutes for just over 12 hours
            frozen.tick(timedelta(minutes=29))
            last = client.get("/")
        assert last.status_code == 302
        assert last["Location"].startswith("/accounts/login/")


def test_password_rules():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("short-pass")
    with pytest.raises(ValidationError, match="too common"):
        validate_password("password1234")
    validate_password("long enough lowercase words")  # no composition rules


def test_pages_send_a_csp_without_unsafe_inline(team):
    client = Client()
    login(client, "team")
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()  # no inline scripts for the policy to block
