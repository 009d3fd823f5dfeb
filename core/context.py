"""Request-scoped facts that services record without every caller passing them (the client's address)."""

from contextvars import ContextVar

current_client_ip: ContextVar[str | None] = ContextVar("current_client_ip", default=None)
