"""Custodian pages: the records dashboard, a record as captured, and the needs-determination list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from members.forms import add_domain_error
from socialgov.errors import DomainError

from . import services
from .forms import DeterminationForm
from .models import Record, RecordSeries


def _require_view(user):
    if not services.can_view_records(user):
        raise PermissionDenied("Records are kept by the records custodian (385.7).")


@login_required
def dashboard(request):
    _require_view(request.user)
    today = timezone.localdate()
    per_series = (RecordSeries.objects.annotate(kept=Count("records", filter=Q(records__status="active")))
                  .order_by("code"))
    page = Paginator(Record.objects.only("pk", "kind", "title", "captured_at", "series_id", "sha256")
                     .select_related("series"), 25).get_page(request.GET.get("page"))
    return render(request, "retention/dashboard.html", {
        "per_series": per_series,
        "captured_today": Record.objects.filter(captured_at__date=today).count(),
        "undetermined": Record.objects.filter(series__isnull=True, status="active").count(),
        "page": page,
    })


@login_required
def record_detail(request, pk):
    _require_view(request.user)
    record = get_object_or_404(Record.objects.select_related("series", "schedule", "parent"), pk=pk)
    return render(request, "retention/record_detail.html", {
        "record": record, "verified": record.verify(), "children": record.children.order_by("captured_at"),
        "media": record.media.all(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def undetermined(request):
    if not services.can_keep_records(request.user):
        raise PermissionDenied("Only the records custodian files records (385.7).")
    form = DeterminationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = get_object_or_404(Record, pk=form.cleaned_data["record"])
        try:
            services.determine_series(actor=request.user, record=record, series=form.cleaned_data["series"],
                                      city_attorney_consulted=form.cleaned_data["city_attorney_consulted"],
                                      note=form.cleaned_data["note"], make_rule=form.cleaned_data["make_rule"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Record #{record.pk} filed under {form.cleaned_data['series'].code}.")
            return redirect("retention:undetermined")
    waiting = Record.objects.filter(series__isnull=True, status="active").order_by("captured_at")[:100]
    return render(request, "retention/undetermined.html", {"records": waiting, "form": form})
