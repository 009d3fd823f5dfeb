"""Step-up (385.7): downloading an export and releasing a legal hold ask for the second factor again when the
last one is older than STEP_UP_MINUTES."""

import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _stale(client):
    session = client.session
    session["second_factor_at"] = time.time() - 16 * 60
    session.save()
    return client


def test_releasing_a_hold_asks_for_the_second_factor_again_after_fifteen_minutes(signed_in, custodian):
    from retention.holds import place_hold

    hold = place_hold(actor=custodian, matter="Smith v. City", requested_by="Counsel", reason="Suit", keywords=["x"])
    client = _stale(signed_in(custodian))
    asked = client.post(f"/records/holds/{hold.pk}/", {"reason": "Settled"}, HTTP_REFERER=f"/records/holds/{hold.pk}/")
    assert asked.status_code == 302 and asked["Location"].startswith("/accounts/two-factor/confirm/")
    hold.refresh_from_db()
    assert hold.released_at is None

    device = TOTPDevice.objects.get(user=custodian, confirmed=True)
    back = client.post(
        "/accounts/two-factor/confirm/",
        {"token": f"{totp(device.bin_key):06d}", "next": f"/records/holds/{hold.pk}/"},
    )
    assert back.status_code == 302 and back["Location"] == f"/records/holds/{hold.pk}/"
    client.post(f"/records/holds/{hold.pk}/", {"reason": "Settled"})
    hold.refresh_from_db()
    assert hold.released_at is not None
    assert AuditEvent.objects.filter(verb="two_factor.confirmed", actor=custodian).exists()


def test_a_stale_second_factor_does_not_download_an_export(
    signed_in, custodian, publish, django_capture_on_commit_callbacks
):
    from retention.exports.services import start_export

    record = publish(body="Fire on Avenue 44: avoid the area.")
    with django_capture_on_commit_callbacks(execute=True):
        export = start_export(actor=custodian, purpose="ediscovery", record_ids=[record.pk], reason="Counsel")
    client = _stale(signed_in(custodian))
    url = f"/records/exports/{export.pk}/download/"
    asked = client.get(url)
    assert asked.status_code == 302 and asked["Location"].startswith("/accounts/two-factor/confirm/")
    assert not AuditEvent.objects.filter(verb="export.downloaded").exists()
    session = client.session
    session["second_factor_at"] = time.time()
    session.save()
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(verb="export.downloaded").count() == 1
