"""Creating, checking and revoking personal API tokens. Services: permission first, atomic, audited."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from core.errors import InvalidInput, PermissionRefused
from core.net import address_in_networks
from members.permissions import is_chief_or_designee

from .models import ApiToken
from .scopes import SCOPES, privileged

PREFIX = "sgv"
MAX_LIFETIME = timedelta(days=366)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token, shown once


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _clean_networks(networks) -> list[str]:
    import ipaddress

    cleaned = []
    for item in networks or []:
        item = (item or "").strip()
        if not item:
            continue
        try:
            cleaned.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise InvalidInput(
                f"{item!r} is not a network (e.g. 10.20.0.0/16 or 2001:db8::/32).", field="allowed_networks"
            ) from None
    return cleaned


@transaction.atomic
def create_token(
    *,
    actor,
    name: str,
    scopes,
    expires_at: datetime,
    allowed_networks=(),
    second_factor_fresh: bool = False,
) -> NewToken:
    """A member makes a token for their own use. Privileged scopes need the second factor just given."""
    if actor is None or not actor.is_active:
        raise PermissionRefused("Only an active member creates API tokens.")
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Name the token after what will use it.", field="name")
    if len(name) > 100:
        raise InvalidInput("A token's name is at most 100 characters.", field="name")
    scopes = sorted(set(scopes or []))
    if not scopes:
        raise InvalidInput("Choose at least one scope.", field="scopes")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise InvalidInput(f"Unknown scope(s): {', '.join(unknown)}.", field="scopes")
    now = timezone.now()
    if expires_at is None or expires_at <= now:
        raise InvalidInput("A token expires in the future.", field="expires_at")
    if expires_at > now + MAX_LIFETIME:
        raise InvalidInput("A token lasts at most a year; make a new one then.", field="expires_at")
    needs_factor = privileged(scopes)
    if needs_factor and not second_factor_fresh:
        raise PermissionRefused(
            f"Scopes {', '.join(needs_factor)} reach records, reviews or comments: confirm your two-factor code "
            "first, then create the token.",
        )
    networks = _clean_networks(allowed_networks)
    prefix = secrets.token_hex(6)
    raw = f"{PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        member=actor,
        name=name,
        prefix=prefix,
        digest=_digest(raw),
        scopes=scopes,
        allowed_networks=networks,
        expires_at=expires_at,
    )
    record_event(
        actor,
        "api_token.created",
        token,
        details={"scopes": scopes, "expires_at": expires_at.isoformat(), "networks": networks},
    )
    return NewToken(token, raw)


def can_revoke(actor, token: ApiToken) -> bool:
    return bool(actor and actor.is_active and (actor.pk == token.member_id or is_chief_or_designee(actor)))


def can_list_all(actor) -> bool:
    """The Chief (or designee) sees every member's tokens, and revokes any."""
    return bool(actor and actor.is_active and is_chief_or_designee(actor))


@transaction.atomic
def revoke_token(*, actor, token: ApiToken) -> ApiToken:
    if not can_revoke(actor, token):
        raise PermissionRefused("Only the token's member, or the Chief of Police or designee, revokes a token.")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at, token.revoked_by = timezone.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    record_event(actor, "api_token.revoked", token, details={"member": token.member.get_username()})
    return token


class TokenRefused(Exception):
    """Why a presented token is not accepted (said to the caller without saying whether the token exists)."""


def check_token(raw: str, *, ip: str | None) -> ApiToken:
    """The usable token behind `raw`, with last-used brought up to date. TokenRefused otherwise."""
    parts = (raw or "").split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise TokenRefused("Malformed token.")
    token = ApiToken.objects.select_related("member").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(raw)):
        raise TokenRefused("Invalid token.")
    if not token.is_usable:
        raise TokenRefused("This token is revoked or expired.")
    if token.allowed_networks and not (ip and address_in_networks(ip, token.allowed_networks)):
        raise TokenRefused("This token is not allowed from this network.")
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
    token.last_used_at, token.last_used_ip = now, ip
    return token
