"""Who may keep the screening rules and the confidential-terms registry. Views, templates and services ask
these functions, so a button never shows for an action the service would refuse.
"""

from core.errors import PermissionRefused
from members.models import Role
from members.permissions import has_role

TERMS_PERMISSION = "moderation.manage_confidential_terms"
_KEEPERS = (Role.SUPERVISOR, Role.CHIEF, Role.DESIGNEE)
REGISTRY_SECTION = "385.5(c)"
REGISTRY_KEEPERS_ONLY = (
    "Only a supervisor, the Chief of Police, the designee or an investigator given the permission "
    "keeps the confidential-terms registry."
)


def can_manage_screening(user) -> bool:
    """Turn rules on or off, change their severity, try text against them."""
    return bool(getattr(user, "is_active", False)) and has_role(user, *_KEEPERS)


def require_screening_keeper(user, what: str = "may change screening rules") -> None:
    if not can_manage_screening(user):
        raise PermissionRefused(f"Only a supervisor, the Chief of Police or the designee {what}.")


def can_manage_confidential_terms(user) -> bool:
    """See and keep the registry (385.5(c)). Investigators hold the permission individually."""
    if not getattr(user, "is_active", False):
        return False
    return has_role(user, *_KEEPERS) or user.has_perm(TERMS_PERMISSION)


def require_registry_keeper(user) -> None:
    """385.5(c): the registry names what could compromise an ongoing investigation, so few may read it."""
    if not can_manage_confidential_terms(user):
        raise PermissionRefused(REGISTRY_KEEPERS_ONLY, section=REGISTRY_SECTION)
