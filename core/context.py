"""Request-scoped facts that services record without every caller passing them: the client's address, and
the request (whose signed-in member is the actor of changes that no service made, such as one in the admin)."""

from contextvars import ContextVar

current_client_ip: ContextVar[str | None] = ContextVar("current_client_ip", default=None)
current_request: ContextVar = ContextVar("current_request", default=None)


def current_actor():
    """The signed-in member of the request being served, or "system" (a shell, a command, a worker)."""
    request = current_request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else "system"
