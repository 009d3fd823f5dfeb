from django.utils.functional import SimpleLazyObject

from core.checkpoints import latest_verification
from members import permissions
from moderation.monitoring import can_monitor, open_alerts
from moderation.permissions import can_see_review_queue
from moderation.screening.access import can_manage_confidential_terms, can_manage_screening
from moderation.tips import tips_navigation
from oversight.permissions import can_open_oversight
from posts.models import Incident
from posts.permissions import can_draft, can_remove_from_public_view, can_view_all_posts, can_view_calendar
from retention.permissions import can_view_records
from vetting.permissions import can_open_vetting

from .permissions import can_view_audit_integrity, receives_audit_alerts


def _failed_verification():
    latest = latest_verification()
    return latest if latest is not None and not latest.ok else None


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    return {
        "nav_can_view_members": permissions.can_view_members(user),
        "nav_can_review": can_see_review_queue(user)
        or Incident.objects.filter(commander=user, status=Incident.Status.ACTIVE).exists(),
        "nav_can_monitor": can_monitor(user),
        "nav_can_records": can_view_records(user),
        "threat_alerts": list(open_alerts()[:3]) if can_monitor(user) else [],
        "nav_can_remove": can_remove_from_public_view(user),
        "nav_can_post": can_draft(user) or can_view_all_posts(user),
        "nav_can_calendar": can_view_calendar(user),
        "nav_can_screen": can_manage_screening(user) or can_manage_confidential_terms(user),
        "nav_can_audit": can_view_audit_integrity(user),
        "nav_can_oversee": can_open_oversight(user),
        "nav_can_vet": can_open_vetting(user),
        "nav_tips": tips_navigation(user),
        # Read only by the pages that show it (the staff layout), for those who are alerted.
        "audit_alert": SimpleLazyObject(_failed_verification) if receives_audit_alerts(user) else None,
    }
