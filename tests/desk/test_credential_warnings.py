"""Credentials that will expire within a week and that socialgov cannot renew are shown on the channel page and told
once to the Social Media Officer. Renewal itself is tested against the platforms' local servers
(tests/publishing/test_x_desk.py, test_facebook_desk.py)."""

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.utils import timezone

from core.models import AuditEvent
from posts.models import Channel
from posts.publishing import renewal
from posts.publishing.credential_services import set_channel_credentials
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def credentials_key(settings):
    settings.CREDENTIALS_KEY = Fernet.generate_key().decode()


@pytest.fixture
def mastodon(chief):
    channel = ChannelFactory(name="Mastodon", slug="mastodon", kind="mastodon", api_base_url="https://social.example")
    # Mastodon has no renewal: its tokens last until revoked, unless the instance sets an expiry.
    return set_channel_credentials(actor=chief, channel=channel, credentials={"access_token": "token-0123456789"})


def test_expiry_within_a_week_is_warned_once_on_the_page_and_to_the_smo(
    mastodon, chief, smo, supervisor, signed_in, django_capture_on_commit_callbacks
):
    Channel.objects.filter(pk=mastodon.pk).update(credentials_expire_at=timezone.now() + timedelta(days=5))
    mastodon.refresh_from_db()
    assert "expire on" in renewal.warning_for(mastodon) and "cannot renew them" in renewal.warning_for(mastodon)
    page = signed_in(smo).get(f"/channels/{mastodon.slug}/").content.decode()
    assert "Credentials expire soon" in page

    with django_capture_on_commit_callbacks(execute=True):
        assert renewal.warn_expiring() == 1
    assert [m.to for m in mail.outbox if "expire soon" in m.subject] == [["smo@police.example.gov"]]
    assert renewal.warn_expiring() == 0  # once
    assert AuditEvent.objects.filter(verb="channel.credentials_expiry_warned").count() == 1

    # New credentials start over: no known expiry, no warning.
    set_channel_credentials(actor=chief, channel=mastodon, credentials={"access_token": "token-new-0123456789"})
    mastodon.refresh_from_db()
    assert (mastodon.credentials_expire_at, mastodon.credentials_warned_at) == (None, None)
    assert renewal.warning_for(mastodon) == ""
    assert "Credentials expire soon" not in signed_in(smo).get(f"/channels/{mastodon.slug}/").content.decode()


def test_an_expiry_further_away_is_not_warned(mastodon):
    Channel.objects.filter(pk=mastodon.pk).update(credentials_expire_at=timezone.now() + timedelta(days=30))
    mastodon.refresh_from_db()
    assert renewal.warning_for(mastodon) == ""
    assert renewal.warn_expiring() == 0
