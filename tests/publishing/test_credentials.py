"""Channel credentials: encrypted at rest, set only by channel managers, never shown, logged or audited."""

import json
import logging

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from core.errors import InvalidInput, PermissionRefused
from core.models import AuditEvent
from posts.models import Channel
from posts.publishing.base import AdapterError, adapter_for
from posts.publishing.credential_services import set_channel_credentials
from posts.publishing.credentials import (
    Credentials,
    CredentialsUnreadable,
    channel_credentials,
    decrypt_credentials,
    encrypt_credentials,
    redact,
)

from .helpers import version

pytestmark = pytest.mark.django_db
TOKEN = "tok-9f8e7d6c5b4a3210-very-secret-value"


@pytest.fixture
def mastodon_channel(db):
    return Channel.objects.create(
        name="Mastodon", slug="mastodon", kind="mastodon", api_base_url="https://social.example.gov"
    )


def test_round_trip():
    token = encrypt_credentials({"access_token": TOKEN, "other": "ünïcode"})
    assert TOKEN not in token
    assert decrypt_credentials(token) == {"access_token": TOKEN, "other": "ünïcode"}
    assert decrypt_credentials("") == {}


def test_repr_and_str_name_keys_only():
    credentials = decrypt_credentials(encrypt_credentials({"access_token": TOKEN}))
    assert isinstance(credentials, Credentials) and isinstance(credentials, dict)
    for shown in (repr(credentials), str(credentials), f"{credentials}", repr([credentials])):
        assert TOKEN not in shown
        assert "access_token" in shown


def test_a_changed_key_makes_stored_credentials_unreadable_without_revealing_them(settings):
    token = encrypt_credentials({"access_token": TOKEN})
    settings.CREDENTIALS_KEY = Fernet.generate_key().decode()
    with pytest.raises(CredentialsUnreadable) as raised:
        decrypt_credentials(token)
    assert "CREDENTIALS_KEY" in str(raised.value) and TOKEN not in str(raised.value)


def test_rotation_new_key_first_old_keys_still_decrypt(settings):
    old = settings.CREDENTIALS_KEY
    token = encrypt_credentials({"access_token": TOKEN})
    settings.CREDENTIALS_KEY = f"{Fernet.generate_key().decode()},{old}"
    assert decrypt_credentials(token) == {"access_token": TOKEN}


def test_no_key_in_production_refuses_clearly_on_use(settings):
    settings.CREDENTIALS_KEY = ""
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured) as raised:
        encrypt_credentials({"access_token": TOKEN})
    assert "CREDENTIALS_KEY" in str(raised.value) and "Fernet.generate_key()" in str(raised.value)


def test_no_key_in_development_derives_one_from_secret_key(settings):
    settings.CREDENTIALS_KEY = ""
    settings.DEBUG = True
    token = encrypt_credentials({"access_token": TOKEN})
    assert decrypt_credentials(token) == {"access_token": TOKEN}
    settings.SECRET_KEY = "another-secret-key-0123456789-abcdefghijklmnop"
    with pytest.raises(CredentialsUnreadable):
        decrypt_credentials(token)


def test_an_invalid_key_is_named_without_its_value(settings):
    settings.CREDENTIALS_KEY = "not-a-fernet-key"
    with pytest.raises(ImproperlyConfigured) as raised:
        encrypt_credentials({})
    assert "CREDENTIALS_KEY" in str(raised.value) and "not-a-fernet-key" not in str(raised.value)


def test_importing_the_adapters_needs_no_key():
    import os
    import subprocess
    import sys

    env = {**os.environ, "CREDENTIALS_KEY": "", "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "socialgov.settings"}
    code = (
        "import django; django.setup(); from posts.publishing.base import capabilities_of; print(capabilities_of('x'))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "publish" in done.stdout


def test_redact():
    assert redact(f"Bad token {TOKEN}!", [TOKEN, "", None, "ab"]) == "Bad token [redacted]!"


# The service -------------------------------------------------------------------------------------------------


def test_chief_sets_credentials_encrypted_and_audited_by_key_only(chief, mastodon_channel):
    channel = set_channel_credentials(actor=chief, channel=mastodon_channel, credentials={"access_token": f" {TOKEN} "})

    channel.refresh_from_db()
    assert channel.credentials_updated_at is not None
    assert TOKEN not in channel.credentials_encrypted
    assert channel_credentials(channel) == {"access_token": TOKEN}
    event = AuditEvent.objects.get(verb="channel.credentials_set")
    assert event.details == {"keys": ["access_token"]}
    assert event.actor == chief and event.object_id == str(channel.pk)
    everything = json.dumps([list(AuditEvent.objects.values()), list(Channel.history.values())], default=str)
    assert TOKEN not in everything
    assert "credentials_encrypted" not in everything


def _stored_row(table: str, pk: int) -> dict:
    """A row as the database holds it, read past the model."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} WHERE id = %s", [pk])  # noqa: S608
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_the_social_media_officer_may_set_them(smo, mastodon_channel):
    set_channel_credentials(actor=smo, channel=mastodon_channel, credentials={"access_token": TOKEN})

    row = _stored_row(Channel._meta.db_table, mastodon_channel.pk)
    assert row["credentials_encrypted"] and row["credentials_updated_at"] is not None
    assert TOKEN not in json.dumps(row, default=str)  # not in any column, in any form the row holds it
    assert decrypt_credentials(row["credentials_encrypted"]) == {"access_token": TOKEN}
    assert channel_credentials(Channel.objects.get(pk=mastodon_channel.pk)) == {"access_token": TOKEN}
    event = AuditEvent.objects.get(verb="channel.credentials_set")
    assert event.actor == smo and event.object_id == str(mastodon_channel.pk)
    assert event.details == {"keys": ["access_token"]}
    trail = [list(AuditEvent.objects.values()), list(Channel.history.filter(id=mastodon_channel.pk).values())]
    assert TOKEN not in json.dumps(trail, default=str)


def test_a_member_may_not_and_nothing_changes(member, supervisor, mastodon_channel):
    for actor in (member, supervisor):
        with pytest.raises(PermissionRefused):
            set_channel_credentials(actor=actor, channel=mastodon_channel, credentials={"access_token": TOKEN})
    mastodon_channel.refresh_from_db()
    assert mastodon_channel.credentials_encrypted == "" and mastodon_channel.credentials_updated_at is None
    assert not AuditEvent.objects.filter(verb="channel.credentials_set").exists()


@pytest.mark.parametrize(
    ("kind", "credentials", "field"),
    [
        ("mastodon", {}, "access_token"),
        ("mastodon", {"access_token": "   "}, "access_token"),
        ("webhook", {"access_token": TOKEN}, None),  # a key of another kind
        ("webhook", {}, "secret"),
        ("facebook", {"secret": TOKEN}, None),
        ("website", {"access_token": TOKEN}, None),  # hosted here: no credentials at all
    ],
)
def test_each_kind_requires_its_own_keys(chief, kind, credentials, field):
    channel = Channel.objects.create(name=kind, slug=kind, kind=kind)
    with pytest.raises(InvalidInput) as raised:
        set_channel_credentials(actor=chief, channel=channel, credentials=credentials)
    assert raised.value.field == field
    assert TOKEN not in raised.value.message
    channel.refresh_from_db()
    assert channel.credentials_encrypted == ""


def test_the_missing_key_is_named(chief, mastodon_channel):
    with pytest.raises(InvalidInput, match="Enter the access token"):
        set_channel_credentials(actor=chief, channel=mastodon_channel, credentials={})


# Secrets in adapters ------------------------------------------------------------------------------------------


def test_a_channel_without_credentials_fails_publishing_as_auth(mastodon_channel):
    with pytest.raises(AdapterError) as raised:
        adapter_for(mastodon_channel).publish(version())
    assert (raised.value.code, raised.value.permanent) == ("auth", True)
    assert "credentials page" in raised.value.message


def test_unreadable_credentials_fail_publishing_as_auth(settings, chief, mastodon_channel):
    channel = set_channel_credentials(actor=chief, channel=mastodon_channel, credentials={"access_token": TOKEN})
    settings.CREDENTIALS_KEY = Fernet.generate_key().decode()
    with pytest.raises(AdapterError) as raised:
        adapter_for(channel).publish(version())
    assert raised.value.code == "auth" and TOKEN not in raised.value.message


@pytest.mark.parametrize("kind", ["webhook", "mastodon", "facebook", "x"])
def test_a_refused_token_never_appears_in_the_error_the_log_or_the_adapter_repr(
    kind, connect, caplog, webhook_fake, mastodon_fake, facebook_fake, x_fake
):
    fake = {"webhook": webhook_fake, "mastodon": mastodon_fake, "facebook": facebook_fake, "x": x_fake}[kind]
    base = {"webhook": webhook_fake.endpoint, "facebook": facebook_fake.graph_url}.get(kind, fake.url)
    key = "secret" if kind == "webhook" else "access_token"
    adapter = connect(kind, api_base_url=base, external_account_id="1000000001", **{key: TOKEN})
    fake.fail_next("expired_token")
    with caplog.at_level(logging.DEBUG), pytest.raises(AdapterError) as raised:
        adapter.publish(version())
    error = raised.value
    assert error.code == "auth"
    shown = " ".join(
        [
            error.message,
            str(error),
            repr(error),
            repr(error.args),
            repr(adapter),
            caplog.text,
            repr(error.__cause__),
            repr(error.__context__),
        ]
    )
    assert TOKEN not in shown


def test_a_platform_that_echoes_the_token_is_redacted(connect, mastodon_fake):
    from .fakes import Answer

    adapter = connect("mastodon", api_base_url=mastodon_fake.url, access_token=TOKEN)
    mastodon_fake.error_answer = lambda mode, request: Answer(401, {"error": f"Token {TOKEN} was revoked"})
    mastodon_fake.fail_next("expired_token")
    with pytest.raises(AdapterError) as raised:
        adapter.publish(version())
    assert "Token [redacted] was revoked" in raised.value.message


def test_a_short_signing_secret_is_refused(chief):
    channel = Channel.objects.create(name="Hook", slug="hook", kind="webhook")
    with pytest.raises(InvalidInput, match="at least 32 characters") as raised:
        set_channel_credentials(actor=chief, channel=channel, credentials={"secret": "abc"})
    assert raised.value.field == "secret"
