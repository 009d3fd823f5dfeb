"""Training compliance pages (385.8): the table by member and required topic, and the same as CSV."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.errors import PermissionRefused
from members.models import Role, TrainingTopic
from members.permissions import has_role

from .permissions import can_see_training_compliance
from .training import (
    EXPIRING_WITHIN_DAYS,
    SHORT_TOPIC_LABELS,
    compliance_csv_rows,
    compliance_rows,
    compliance_summary,
)


def _require_training_viewer(user) -> None:
    if not can_see_training_compliance(user):
        raise PermissionRefused(
            "Training compliance is followed by the Chief of Police, the designee, supervisors and the annual "
            "reviewer.",
            section="385.8",
        )


def _people_of(request):
    """Everyone is shown, as training is department-wide; a supervisor may narrow the list to their own people."""
    if request.GET.get("people") == "mine" and has_role(request.user, Role.SUPERVISOR):
        return request.user
    return None


@login_required
@require_GET
def training_compliance(request):
    _require_training_viewer(request.user)
    supervisor = _people_of(request)
    rows = compliance_rows(supervisor=supervisor)
    return render(
        request,
        "oversight/training.html",
        {
            "rows": rows,
            "summary": compliance_summary(rows),
            "topics": [(t, TrainingTopic(t).label, SHORT_TOPIC_LABELS[t]) for t in TrainingTopic.values],
            "mine": supervisor is not None,
            "is_supervisor": has_role(request.user, Role.SUPERVISOR),
            "expiring_within": EXPIRING_WITHIN_DAYS,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def training_compliance_csv(request):
    _require_training_viewer(request.user)
    supervisor = _people_of(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    scope = "-mine" if supervisor is not None else ""
    filename = f"training-compliance{scope}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    csv.writer(response).writerows(compliance_csv_rows(compliance_rows(supervisor=supervisor)))
    return response
