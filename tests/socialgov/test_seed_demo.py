from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import verify_chain
from members.models import Authorization, TrainingRecord
from members.permissions import can_post_for_department
from posts.models import Channel

pytestmark = pytest.mark.django_db

ROLES = {
    "chief": "Chief",
    "smo": "Social Media Officer",
    "team": "Team Member",
    "supervisor": "Supervisor",
    "commander": "Member",
    "custodian": "Records Custodian",
    "member": "Member",
    "reviewer": "Annual Reviewer",
}


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_one_user_per_role_and_is_idempotent():
    output = seed()
    counts = (
        get_user_model().objects.count(),
        Authorization.objects.count(),
        TrainingRecord.objects.count(),
        Channel.objects.count(),
        TOTPDevice.objects.count(),
    )
    seed()
    assert counts == (
        get_user_model().objects.count(),
        Authorization.objects.count(),
        TrainingRecord.objects.count(),
        Channel.objects.count(),
        TOTPDevice.objects.count(),
    )
    for username, role in ROLES.items():
        user = get_user_model().objects.get(username=username)
        assert user.check_password("demo-pass-2026")
        assert user.groups.filter(name=role).exists()
    assert "JBSWY3DPEHPK3PXP" in output
    assert "demo-pass-2026" not in output
    assert verify_chain().ok


def test_demo_totp_secret_gives_working_codes():
    seed()
    device = TOTPDevice.objects.get(user__username="chief")
    import base64

    assert device.bin_key == base64.b32decode("JBSWY3DPEHPK3PXP")
    assert device.verify_token(f"{totp(device.bin_key):06d}")


def test_demo_smo_may_post_and_member_may_not():
    seed()
    website = Channel.objects.get(slug="news")
    users = {u.username: u for u in get_user_model().objects.all()}
    assert can_post_for_department(users["smo"], website)
    assert not can_post_for_department(users["team"], website)  # trained, not yet authorized
    assert [r.section for r in can_post_for_department(users["member"], website).reasons] == ["385.3", "385.8"]


def test_bad_totp_secret_is_refused_by_name():
    with pytest.raises(CommandError, match="DEMO_TOTP_SECRET is not valid base32"):
        call_command("seed_demo", totp_secret="not*base32!", stdout=StringIO())
    assert get_user_model().objects.count() == 0
