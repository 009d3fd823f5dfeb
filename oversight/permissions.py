"""Who may open what in oversight. Services check these; templates ask the same functions."""

from members.models import Role
from members.permissions import has_role

from .review_models import ReviewerAppointment


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_see_annual_reviews(user) -> bool:
    """385.6: the Chief (or designee) appoints the reviewer and signs the report off; the reviewer writes it."""
    return _active(user) and has_role(user, Role.CHIEF, Role.DESIGNEE, Role.REVIEWER)


def can_appoint_reviewer(user) -> bool:
    return _active(user) and has_role(user, Role.CHIEF, Role.DESIGNEE)


def can_sign_off_review(user) -> bool:
    return _active(user) and has_role(user, Role.CHIEF)


def can_see_training_compliance(user) -> bool:
    """385.8: the Chief, the designee, supervisors and the annual reviewer follow training."""
    return _active(user) and has_role(user, Role.CHIEF, Role.DESIGNEE, Role.SUPERVISOR, Role.REVIEWER)


def can_view_audit_trail(user) -> bool:
    """The Chief, the designee, the records custodian and the annual reviewer read the audit trail."""
    return _active(user) and has_role(user, Role.CHIEF, Role.DESIGNEE, Role.CUSTODIAN, Role.REVIEWER)


def can_open_oversight(user) -> bool:
    """Oversight in the navigation: for those who read any part of it, or write the annual review."""
    return (
        can_see_annual_reviews(user)
        or can_see_training_compliance(user)
        or can_view_audit_trail(user)
        or (_active(user) and ReviewerAppointment.objects.filter(reviewer=user).exists())
    )
