from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import permissions


@login_required
def index(request):
    """What of oversight the member may open."""
    user = request.user
    return render(
        request,
        "oversight/index.html",
        {
            "can_review": permissions.can_see_annual_reviews(user),
            "can_training": permissions.can_see_training_compliance(user),
            "can_audit": permissions.can_view_audit_trail(user),
        },
    )
