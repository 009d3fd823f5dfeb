"""The client's address, as every part of the product sees it (audit, lockout, 385.3 networks), and which
addresses from outside may become links."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings

WEB_SCHEMES = frozenset({"http", "https"})


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


def web_address(value: str) -> str:
    """`value` if it is an http(s) address with a host, otherwise "". Anything else in an href (javascript:, data:,
    a relative or scheme-relative address) would run or open something the department never chose."""
    value = (value or "").strip()
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in value):
        return ""  # browsers drop tabs and newlines inside an address, so "java\tscript:" would still run
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return ""
    return value if parts.scheme.lower() in WEB_SCHEMES and host else ""
