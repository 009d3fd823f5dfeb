"""Platform credentials that last: renewed before they expire, and a warning a week ahead when they cannot be.

X's OAuth 2.0 access tokens last two hours and are renewed with the refresh token; a Facebook Page's token comes from
a long-lived user token that lasts about sixty days and is exchanged for a fresh one before then. Each adapter that
can renew says so (Capability.RENEW_CREDENTIALS) and how long ahead (`renew_ahead`). New credentials replace the old
ones encrypted, as when a person enters them; the audit names the channel and the new expiry, never a secret.

A credential that will expire within CREDENTIAL_WARN_AHEAD_DAYS and cannot be renewed (its platform has no renewal,
or renewal failed) is shown on the channel page and told once to the Social Media Officer.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import record_event
from core.notifications import notify
from members.models import Role

from ..models import Channel
from ..selectors import users_with_roles
from .base import AdapterError, Capability, adapter_for
from .credentials import CredentialsUnreadable, encrypt_credentials

log = logging.getLogger(__name__)


def renew_ahead(adapter) -> timedelta:
    return getattr(adapter, "renew_ahead", None) or timedelta(hours=settings.CREDENTIAL_RENEW_AHEAD_HOURS)


def can_renew(channel: Channel) -> bool:
    adapter = adapter_for(channel)
    return bool(adapter and Capability.RENEW_CREDENTIALS in adapter.capabilities)


def renew(channel: Channel) -> Channel:
    """Exchange the channel's credentials for fresh ones now. A failure is kept on the channel (and raised)."""
    adapter = adapter_for(channel)
    if adapter is None or Capability.RENEW_CREDENTIALS not in adapter.capabilities:
        raise AdapterError(f"{channel} has no credentials socialgov can renew.", permanent=True, code="invalid")
    try:
        renewal = adapter.renew_credentials()
    except (AdapterError, CredentialsUnreadable) as error:
        message = getattr(error, "message", str(error))
        with transaction.atomic():
            Channel.objects.filter(pk=channel.pk).update(credentials_renewal_error=message[:2000])
            record_event(
                "system", "channel.credentials_renewal_failed", channel, details={"code": getattr(error, "code", "")}
            )
        raise
    with transaction.atomic():
        locked = Channel.objects.select_for_update().get(pk=channel.pk)
        locked.credentials_encrypted = encrypt_credentials(renewal.credentials)
        locked.credentials_updated_at = timezone.now()
        locked.credentials_expire_at = renewal.expires_at
        locked.credentials_renewal_error = ""
        locked.credentials_warned_at = None
        locked.save(
            update_fields=[
                "credentials_encrypted",
                "credentials_updated_at",
                "credentials_expire_at",
                "credentials_renewal_error",
                "credentials_warned_at",
            ]
        )
        record_event(
            "system",
            "channel.credentials_renewed",
            locked,
            details={
                "keys": sorted(renewal.credentials),
                "expires_at": renewal.expires_at.isoformat() if renewal.expires_at else None,
            },
        )
    return locked


def renew_due() -> int:
    """Renew every channel whose credentials expire within its adapter's lead time, or whose expiry is not known
    yet (just entered). Returns how many were renewed; failures are kept on their channels for the warning."""
    now = timezone.now()
    renewed = 0
    for channel in Channel.objects.filter(is_active=True).exclude(credentials_encrypted=""):
        adapter = adapter_for(channel)
        if adapter is None or Capability.RENEW_CREDENTIALS not in adapter.capabilities:
            continue
        expires = channel.credentials_expire_at
        if expires is not None and expires - renew_ahead(adapter) > now:
            continue
        try:
            renew(channel)
        except (AdapterError, CredentialsUnreadable) as error:
            log.warning("Renewing the credentials of %s failed: %s", channel.slug, getattr(error, "message", error))
            continue
        renewed += 1
    return renewed


def expiring(now=None):
    """Channels whose credentials expire within the warning period and will not be renewed in time by themselves."""
    now = now or timezone.now()
    soon = now + timedelta(days=settings.CREDENTIAL_WARN_AHEAD_DAYS)
    candidates = Channel.objects.filter(is_active=True, credentials_expire_at__lte=soon).exclude(
        credentials_encrypted=""
    )
    return [c for c in candidates if not can_renew(c) or c.credentials_renewal_error]


def warning_for(channel: Channel) -> str:
    """What the channel page says about its credentials' expiry, or "" when nothing needs doing."""
    expires = channel.credentials_expire_at
    if expires is None:
        return ""
    now = timezone.now()
    if expires > now + timedelta(days=settings.CREDENTIAL_WARN_AHEAD_DAYS):
        return ""
    if can_renew(channel) and not channel.credentials_renewal_error:
        return ""
    when = timezone.localtime(expires).strftime("%Y-%m-%d %H:%M")
    said = "expired on" if expires <= now else "expire on"
    why = (
        f" Renewal failed: {channel.credentials_renewal_error}"
        if channel.credentials_renewal_error
        else " socialgov cannot renew them on this platform."
    )
    return f"The credentials of {channel} {said} {when}.{why} Enter new credentials before then, or posts will fail."


def warn_expiring() -> int:
    """Tell the Social Media Officer once about each channel whose credentials are about to expire unrenewed."""
    warned = 0
    for channel in expiring():
        with transaction.atomic():
            claimed = Channel.objects.filter(Q(credentials_warned_at__isnull=True), pk=channel.pk).update(
                credentials_warned_at=timezone.now()
            )
            if not claimed:
                continue
            notify(
                users_with_roles(Role.SMO),
                event="channel.credentials_expiring",
                subject=f"The credentials of {channel} expire soon",
                body=warning_for(channel),
                url=f"/channels/{channel.slug}/credentials/",
            )
            record_event("system", "channel.credentials_expiry_warned", channel)
        warned += 1
    return warned
