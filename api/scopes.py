"""What an API token may be used for. A scope only narrows: the member's own roles and grants still decide every
action, in the same services the pages call."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    name: str
    label: str
    privileged: bool  # creating a token with it needs the member's second factor, fresh


SCOPES = {
    scope.name: scope
    for scope in (
        Scope("posts:read", "Read posts, incidents and the approval queue", False),
        Scope("posts:write", "Draft, edit, submit and withdraw posts; incident updates", False),
        Scope("review", "Approve, request changes to and reject posts", True),
        Scope("comments", "Read and moderate public comments and content reports", True),
        Scope("records:read", "Search and read captured records", True),
        Scope("holds", "Place and release legal holds", True),
        Scope("requests", "Public-records requests", True),
        Scope("exports", "Start, follow and download record exports", True),
    )
}


def scope_choices() -> list[tuple[str, str]]:
    return [(scope.name, f"{scope.name} — {scope.label}") for scope in SCOPES.values()]


def privileged(names) -> list[str]:
    return [name for name in names if SCOPES[name].privileged]
