"""The audit trail viewer: /oversight/audit/, its CSV export and the button that verifies the chain."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.errors import InvalidTransition

from . import audit_trail
from .audit_forms import TrailFilterForm


def _form(request) -> TrailFilterForm:
    # Bound even without parameters (every field is optional), so the plain page is the whole trail.
    return TrailFilterForm({k: v for k, v in request.GET.items() if k in TrailFilterForm.base_fields})


def _page_context(form: TrailFilterForm) -> dict:
    return {"form": form, "status": audit_trail.verification_status(), "page": None, "rows": []}


@never_cache
@login_required
@require_GET
def audit_trail_page(request):
    """The trail, filtered and a page at a time; reading a page is recorded with its filters."""
    audit_trail.require_trail_reader(request.user)
    form = _form(request)
    context = _page_context(form)
    if form.is_valid():
        filters = form.filters()
        page = Paginator(audit_trail.filtered_trail(filters), audit_trail.PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [(event, audit_trail.details_text(event.details)) for event in page.object_list]
        audit_trail.record_trail_viewed(
            actor=request.user, filters=filters, page=page.number, matching=page.paginator.count
        )
        context.update({"page": page, "rows": rows, "querystring": urlencode(filters.as_params())})
    return render(request, "oversight/audit_trail.html", context)


@never_cache
@login_required
@require_GET
def audit_trail_export(request):
    """The filtered trail as CSV, streamed; the export is recorded before its first row."""
    audit_trail.require_trail_reader(request.user)
    form = _form(request)
    if not form.is_valid():
        return render(request, "oversight/audit_trail.html", _page_context(form), status=400)
    filters = form.filters()
    audit_trail.record_trail_exported(actor=request.user, filters=filters)
    response = StreamingHttpResponse(audit_trail.csv_lines(filters), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    return response


@login_required
@require_POST
def audit_trail_verify(request):
    """Verify the chain now, by a worker; back to the trail as it was filtered."""
    audit_trail.require_trail_reader(request.user)
    try:
        audit_trail.request_verification(actor=request.user)
    except InvalidTransition as refusal:
        messages.info(request, refusal.message)
    else:
        messages.success(request, "Verification requested: the result shows below once the chain is walked.")
    form = _form(request)
    query = urlencode(form.filters().as_params()) if form.is_valid() else ""
    return redirect(reverse("oversight:audit") + (f"?{query}" if query else ""))
