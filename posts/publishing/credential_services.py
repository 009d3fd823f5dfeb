"""Setting a channel's credentials: the only write of `Channel.credentials_encrypted`."""

from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from core.errors import InvalidInput, PermissionRefused
from core.history import stamp

from ..models import Channel
from ..permissions import can_manage_channels
from .credentials import credential_fields, encrypt_credentials


@transaction.atomic
def set_channel_credentials(*, actor, channel: Channel, credentials: dict) -> Channel:
    """Replace the channel's credentials as a whole. Values are encrypted; the audit names the keys only."""
    if not can_manage_channels(actor):
        raise PermissionRefused(
            "Only the Chief, a designee or the Social Media Officer may set a channel's credentials."
        )
    fields = credential_fields(channel.kind)
    if not fields:
        raise InvalidInput(f"A {channel.get_kind_display()} channel takes no credentials.", field=None)
    unknown = set(credentials) - {f.key for f in fields}
    if unknown:
        raise InvalidInput(
            f"Not a credential of this kind of channel: {', '.join(sorted(map(str, unknown)))}.", field=None
        )
    cleaned = {}
    for field in fields:
        value = credentials.get(field.key)
        value = value.strip() if isinstance(value, str) else ""
        if not value:
            if not field.required:
                continue
            raise InvalidInput(f"Enter the {field.label[0].lower()}{field.label[1:]}.", field=field.key)
        if len(value) < field.min_length:
            raise InvalidInput(
                f"The {field.label[0].lower()}{field.label[1:]} must be at least {field.min_length} characters long.",
                field=field.key,
            )
        cleaned[field.key] = value
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    channel.credentials_encrypted = encrypt_credentials(cleaned)
    channel.credentials_updated_at = timezone.now()
    # New credentials: their expiry is learnt again at the next renewal, and any warning starts over.
    channel.credentials_expire_at, channel.credentials_renewal_error, channel.credentials_warned_at = None, "", None
    stamp(channel, actor, "Credentials set").save(
        update_fields=[
            "credentials_encrypted",
            "credentials_updated_at",
            "credentials_expire_at",
            "credentials_renewal_error",
            "credentials_warned_at",
        ]
    )
    record_event(actor, "channel.credentials_set", channel, details={"keys": sorted(cleaned)})
    return channel
