"""Who may do what in background vetting (385.5.4(d)). Services check these; templates ask the same functions.

Roles come from Django groups (the Chief or designee designates searchers; Human Resources opens processes). Access
to one process is a django-guardian object permission given with the member's part in it: searchers hold
`search_candidates`, decision makers `view_released_reports`, and nobody holds both.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from guardian.shortcuts import get_objects_for_user

from members.models import Role
from members.permissions import has_role, is_chief_or_designee

from .models import HiringProcess, ProcessMember, SearcherDesignation

SEARCH = "vetting.search_candidates"
SEE_RELEASED = "vetting.view_released_reports"


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_designate_searchers(user) -> bool:
    """385.5.4(d): searchers hold a sensitive-position designation, given by the Chief or the designee."""
    return _active(user) and is_chief_or_designee(user)


def is_designated_searcher(user) -> bool:
    if not _active(user):
        return False
    cached = getattr(user, "_vetting_designated", None)
    if cached is None:
        cached = SearcherDesignation.objects.active().filter(member=user).exists()
        user._vetting_designated = cached
    return cached


def can_manage_processes(user) -> bool:
    """Human Resources opens hiring processes, names their people and sets their checklists."""
    return _active(user) and has_role(user, Role.HR)


def can_search(user, process: HiringProcess) -> bool:
    """A designated searcher assigned to this process (never one of its decision makers)."""
    return is_designated_searcher(user) and user.has_perm(SEARCH, process)


def can_see_released(user, process: HiringProcess) -> bool:
    return _active(user) and user.has_perm(SEE_RELEASED, process)


def can_see_uniformity(user, process: HiringProcess) -> bool:
    """Which steps each candidate got: for Human Resources and the process's searchers."""
    return can_manage_processes(user) or can_search(user, process)


def searchable_processes(user):
    if not is_designated_searcher(user):
        return HiringProcess.objects.none()
    return get_objects_for_user(user, SEARCH, klass=HiringProcess, accept_global_perms=False)


def decision_processes(user):
    if not _active(user):
        return HiringProcess.objects.none()
    return get_objects_for_user(user, SEE_RELEASED, klass=HiringProcess, accept_global_perms=False)


def can_open_vetting(user) -> bool:
    """Vetting in the navigation, and the second factor it calls for."""
    if not _active(user):
        return False
    cached = getattr(user, "_vetting_reach", None)
    if cached is None:
        # Roles are read already; a part in a process or a designation takes one query, asked on every staff page.
        cached = (
            can_designate_searchers(user)
            or can_manage_processes(user)
            or get_user_model()
            .objects.filter(pk=user.pk)
            .filter(
                Exists(ProcessMember.objects.filter(member=OuterRef("pk")))
                | Exists(SearcherDesignation.objects.active().filter(member=OuterRef("pk")))
            )
            .exists()
        )
        user._vetting_reach = cached
    return cached
