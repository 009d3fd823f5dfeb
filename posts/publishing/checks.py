"""What is checked again at the moment of sending (385.3, 385.8).

An approval is given for a text, by a person, at a time. Between then and the moment a post goes out (scheduled for
later, retried after a platform failure) the confidential-terms registry and the screening rules can change, and the
author or the approver can lose their standing. Right before delivery these checks run again; a post that no longer
passes does not go out.

The review workflow lives above this package, so its checks (screening with the current registry and rules, the
approver's standing) are registered here by the moderation app, the way `members.permissions` takes the two-factor
reach of each app.
"""

from collections.abc import Callable

from members.permissions import Reason, can_post_for_department

SendCheck = Callable[[object], list[Reason]]
_CHECKS: dict[str, SendCheck] = {}


def register_send_check(name: str, check: SendCheck) -> None:
    """`check(post)` -> the reasons the post must not go out now (empty when it may). Registering a name twice
    replaces the earlier check."""
    _CHECKS[name] = check


def send_refusals(post) -> list[Reason]:
    """Every reason, from every registered check, that `post` must not go out now."""
    reasons: list[Reason] = []
    for check in _CHECKS.values():
        reasons += [r for r in check(post) if r not in reasons]
    return reasons


def standing_refusals(member, channels, *, ip: str | None = None) -> list[Reason]:
    """Why `member` may not post to each of `channels` now (385.3 authorization, 385.8 training, network)."""
    reasons: list[Reason] = []
    for channel in channels:
        decision = can_post_for_department(member, channel, ip=ip)
        reasons += [r for r in decision.reasons if r not in reasons]
    return reasons


def about(member, role: str, reasons) -> list[Reason]:
    """The same reasons, saying whose they are: "Ana Lopez, its author: No current social media training…"."""
    name = member.get_full_name() or member.get_username()
    return [Reason(r.section, r.code, f"{name}, {role}: {r.message}") for r in reasons]


def as_data(reasons) -> list[dict]:
    return [{"section": r.section, "code": r.code, "message": r.message} for r in reasons]
