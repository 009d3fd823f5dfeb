"""The client's address, as every part of the product sees it (audit, lockout, 385.3 networks)."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or the address TRUSTED_PROXY_COUNT proxies in from the right of X-Forwarded-For."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            candidate = forwarded[-count]
            try:
                ipaddress.ip_address(candidate)
                return candidate
            except ValueError:
                pass
    return remote


def address_in_networks(address: str, networks: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in networks)
