"""Who may see how the server itself and its audit trail are doing: decided here, asked by the views."""

from core.errors import PermissionRefused
from members.models import Role
from members.permissions import has_role, requires_two_factor
from oversight import integrity


def can_read_health_details(user) -> bool:
    """Signed-in staff who passed two-factor where it is required; everyone else learns only up or down."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.is_staff):
        return False
    return user.is_verified() or not requires_two_factor(user)


def can_view_audit_integrity(user) -> bool:
    """The audit trail's verifications and checkpoints: for those who answer for the records (the Chief, the
    designee, the records custodian) and the annual reviewer."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and has_role(user, Role.CHIEF, Role.DESIGNEE, Role.CUSTODIAN, Role.REVIEWER)
    )


def require_audit_integrity_reader(user) -> None:
    if not can_view_audit_integrity(user):
        raise PermissionRefused(
            "Only the Chief of Police, the designee, the records custodian and the annual reviewer see the audit "
            "trail's integrity."
        )


# Who hears that the audit trail failed its verification (by e-mail and on every page).
# Who is alerted when a verification fails: decided where the verification runs (oversight.integrity).
AUDIT_ALERT_ROLES = integrity.AUDIT_ALERT_ROLES


def receives_audit_alerts(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and has_role(user, *AUDIT_ALERT_ROLES)
