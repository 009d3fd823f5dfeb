"""Request-scoped facts that services record without every caller passing them: the client's address, and
the request (whose signed-in member is the actor of changes that no service made, such as one in the admin)."""

from contextlib import contextmanager
from contextvars import ContextVar

current_client_ip: ContextVar[str | None] = ContextVar("current_client_ip", default=None)
current_request: ContextVar = ContextVar("current_request", default=None)
# The API token a request was made with (its id): every audit event the request writes names it.
current_api_token: ContextVar[int | None] = ContextVar("current_api_token", default=None)
_acting_member: ContextVar = ContextVar("acting_member", default=None)


@contextmanager
def acting_as(actor):
    """Within the block, changes that a service makes through plain model calls (`user.groups.add(...)`) name
    the service's actor rather than the request's member or "system"."""
    token = _acting_member.set(actor)
    try:
        yield
    finally:
        _acting_member.reset(token)


def current_actor():
    """The member a service acts for, else the signed-in member of the request being served, else "system"
    (a shell, a command, a worker)."""
    acting = _acting_member.get()
    if acting is not None:
        return acting
    request = current_request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else "system"
