"""Who may keep and who may read records (385.7): decided here, asked by services, views and templates."""

from core.errors import PermissionRefused
from members.models import Role
from members.permissions import has_role

RECORDS_SECTION = "385.7"


def can_keep_records(user) -> bool:
    """The records custodian files, holds, disposes of, exports and answers requests for records."""
    return user.is_active and has_role(user, Role.CUSTODIAN)


def can_view_records(user) -> bool:
    """Custodian, Chief, designee and the annual reviewer read records and download exports."""
    return user.is_active and has_role(user, Role.CUSTODIAN, Role.CHIEF, Role.DESIGNEE, Role.REVIEWER)


def require_records_custodian(actor, what: str) -> None:
    """Refuse unless `actor` keeps records: "Only the records custodian <what> (385.7)."."""
    if not can_keep_records(actor):
        raise PermissionRefused(f"Only the records custodian {what}.", section=RECORDS_SECTION)


def require_records_reader(actor, what: str) -> None:
    if not can_view_records(actor):
        raise PermissionRefused(what, section=RECORDS_SECTION)


def require_export_reader(actor) -> None:
    """Asked before anything about the export is looked at, so a refusal says nothing of whether it exists,
    is ready or has expired."""
    require_records_reader(
        actor,
        "Exports of records are downloaded by the records custodian, the Chief, a designee or the annual reviewer.",
    )
