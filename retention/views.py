"""Custodian pages: the records dashboard, a record as captured, and the needs-determination list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from members.forms import add_domain_error
from members.second_factor import ask_for_second_factor, second_factor_is_fresh

from . import permissions, services
from .disposition import carry_out, decide, due_on, scan
from .forms import DeterminationForm, HoldForm, ReleaseForm, ScanForm, ScheduleForm
from .holds import holds_on, place_hold, release_hold
from .models import DispositionBatch, DispositionItem, FixityCheck, LegalHold, Record, RecordSeries, RecordsRequest
from .public_records import open_requests_for


def require_records_role(user):
    permissions.require_records_reader(user, "Records are kept by the records custodian.")


@login_required
def dashboard(request):
    require_records_role(request.user)
    today = timezone.localdate()
    per_series = RecordSeries.objects.annotate(kept=Count("records", filter=Q(records__status="active"))).order_by(
        "code"
    )
    page = Paginator(
        Record.objects.only("pk", "kind", "title", "captured_at", "series_id", "sha256").select_related("series"), 25
    ).get_page(request.GET.get("page"))

    open_requests = list(
        RecordsRequest.objects.filter(status=RecordsRequest.Status.OPEN)
        .order_by("due_on", "pk")
        .only("pk", "number", "requester", "due_on")[:20]
    )
    for item in open_requests:
        item.left = item.days_left(today)

    return render(
        request,
        "retention/dashboard.html",
        {
            "per_series": per_series,
            "held": LegalHold.objects.filter(status="active").aggregate(n=Count("heldrecord"))["n"] or 0,
            "due": DispositionItem.objects.filter(batch__status="open", decision__in=["pending", "approved"]).count(),
            "fixity": FixityCheck.objects.order_by("-started_at").first(),
            "captured_today": Record.objects.filter(captured_at__date=today).count(),
            "undetermined": Record.objects.filter(series__isnull=True, status="active").count(),
            "page": page,
            "open_requests": open_requests,
        },
    )


@login_required
def record_detail(request, pk):
    require_records_role(request.user)

    record = get_object_or_404(Record.objects.select_related("series", "schedule", "parent"), pk=pk)
    return render(
        request,
        "retention/record_detail.html",
        {
            "record": record,
            "verified": record.verify(),
            "children": record.children.order_by("captured_at"),
            "media": record.media.all(),
            "holds": holds_on(record),
            "due": due_on(record),
            "open_requests": open_requests_for(record),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def undetermined(request):
    permissions.require_records_custodian(request.user, "files records")
    form = DeterminationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = get_object_or_404(Record, pk=form.cleaned_data["record"])
        try:
            services.determine_series(
                actor=request.user,
                record=record,
                series=form.cleaned_data["series"],
                city_attorney_consulted=form.cleaned_data["city_attorney_consulted"],
                note=form.cleaned_data["note"],
                make_rule=form.cleaned_data["make_rule"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Record #{record.pk} filed under {form.cleaned_data['series'].code}.")
            return redirect("retention:undetermined")
    waiting = Record.objects.filter(series__isnull=True, status="active").order_by("captured_at")[:100]
    return render(request, "retention/undetermined.html", {"records": waiting, "form": form})


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@login_required
@require_http_methods(["GET", "POST"])
def holds(request):

    require_records_role(request.user)
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hold = place_hold(
                actor=request.user,
                matter=data["matter"],
                reference=data["reference"],
                requested_by=data["requested_by"],
                reason=data["reason"],
                date_from=data["date_from"],
                date_to=data["date_to"],
                channel_slugs=_split(data["channels"]),
                people=_split(data["people"]),
                keywords=_split(data["keywords"]),
                records=data["records"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Legal hold placed: {hold.held.count()} record(s) frozen.")
            return redirect("retention:hold", pk=hold.pk)
    return render(
        request,
        "retention/holds.html",
        {
            "form": form,
            "holds": LegalHold.objects.annotate(n=Count("heldrecord")).order_by("-placed_at"),
            "can_keep": permissions.can_keep_records(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def hold_detail(request, pk):
    require_records_role(request.user)
    hold = get_object_or_404(LegalHold, pk=pk)
    if request.method == "POST" and not second_factor_is_fresh(request):
        # Releasing a hold lets records be destroyed again: it asks for the second factor afresh.
        return ask_for_second_factor(request)
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            release_hold(actor=request.user, hold=hold, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Hold released.")
            return redirect("retention:hold", pk=hold.pk)
    return render(
        request,
        "retention/hold_detail.html",
        {
            "hold": hold,
            "form": form,
            "records": hold.held.order_by("pk")[:500],
            "can_keep": permissions.can_keep_records(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def disposition(request):

    require_records_role(request.user)
    form = ScanForm(request.POST or None, initial={"as_of": timezone.localdate()})
    if request.method == "POST":
        permissions.require_records_custodian(request.user, "gathers records for disposition")
        if form.is_valid():
            summary = scan(as_of=form.cleaned_data["as_of"], apply=True, actor=request.user)
            if summary["batch"]:
                messages.success(request, f"{summary['due']} record(s) due, {summary['held']} held.")
                return redirect("retention:batch", pk=summary["batch"])
            messages.info(request, "Nothing is due for disposition on that date.")
            return redirect("retention:disposition")
    return render(
        request,
        "retention/disposition.html",
        {
            "form": form,
            "batches": DispositionBatch.objects.annotate(n=Count("items")).order_by("-created_at")[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_detail(request, pk):

    require_records_role(request.user)
    batch = get_object_or_404(DispositionBatch, pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "carry_out":
                carry_out(actor=request.user, batch=batch)
                messages.success(request, "Disposition carried out; the certificate is below.")
            else:
                item = get_object_or_404(DispositionItem, pk=request.POST.get("item"), batch=batch)
                decide(actor=request.user, item=item, approve=request.POST.get("action") == "approve")
                messages.success(request, f"Record #{item.record_id}: decision recorded.")
        except DomainError as error:
            messages.error(request, str(error))
        return redirect("retention:batch", pk=batch.pk)
    items = batch.items.select_related("record__series", "decided_by").order_by("due_on", "pk")
    return render(
        request,
        "retention/batch_detail.html",
        {
            "batch": batch,
            "items": items,
            "can_keep": permissions.can_keep_records(request.user),
        },
    )


@login_required
def certificate(request, pk, fmt="html"):
    from django.http import FileResponse, Http404, HttpResponse

    require_records_role(request.user)
    batch = get_object_or_404(DispositionBatch, pk=pk, status=DispositionBatch.Status.CLOSED)
    if fmt == "pdf":
        if not batch.certificate_pdf:
            raise Http404("No PDF was made for this batch (the PDF libraries were not installed).")
        return FileResponse(
            batch.certificate_pdf.open("rb"),
            content_type="application/pdf",
            filename=f"certificate-batch-{batch.pk}.pdf",
        )
    return HttpResponse(batch.certificate_html, content_type="text/html; charset=utf-8")


@login_required
@require_http_methods(["GET", "POST"])
def schedules(request):

    require_records_role(request.user)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        series = get_object_or_404(RecordSeries, pk=request.POST.get("series"))
        try:
            services.revise_schedule(actor=request.user, series=series, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{series.code}: new schedule version saved.")
            return redirect("retention:schedules")
    series = RecordSeries.objects.prefetch_related("schedules__approved_by").order_by("code")
    return render(
        request,
        "retention/schedules.html",
        {
            "series": series,
            "form": form,
            "can_keep": permissions.can_keep_records(request.user),
        },
    )
