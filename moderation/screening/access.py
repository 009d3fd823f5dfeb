"""Who may keep the screening rules and the confidential-terms registry. Views, templates and services ask
these functions, so a button never shows for an action the service would refuse.
"""

from members.models import Role
from members.permissions import has_role

TERMS_PERMISSION = "moderation.manage_confidential_terms"
_KEEPERS = (Role.SUPERVISOR, Role.CHIEF, Role.DESIGNEE)


def can_manage_screening(user) -> bool:
    """Turn rules on or off, change their severity, try text against them."""
    return bool(getattr(user, "is_active", False)) and has_role(user, *_KEEPERS)


def can_manage_confidential_terms(user) -> bool:
    """See and keep the registry (385.5(c)). Investigators hold the permission individually."""
    if not getattr(user, "is_active", False):
        return False
    return has_role(user, *_KEEPERS) or user.has_perm(TERMS_PERMISSION)
