"""Custodian pages for public-records requests: the log by days left, one request with its records, and
attaching records found by a search."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from members.forms import add_domain_error

from . import permissions, public_records
from .forms import CloseRequestForm, RecordsRequestForm
from .models import Record, RecordsRequest
from .search import RecordSearchForm, filter_records
from .views import require_records_role


@login_required
@require_http_methods(["GET", "POST"])
def request_list(request):
    require_records_role(request.user)
    can_keep = permissions.can_keep_records(request.user)
    form = RecordsRequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST":
        permissions.require_records_custodian(request.user, "logs public-records requests")
        if form.is_valid():
            data = form.cleaned_data
            try:
                logged = public_records.log_request(
                    actor=request.user,
                    number=data["number"],
                    requester=data["requester"],
                    requester_contact=data["requester_contact"],
                    received_on=data["received_on"],
                    description=data["description"],
                    assigned_to=data["assigned_to"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Request {logged.number} logged; due {logged.due_on:%Y-%m-%d}.")
                return redirect("retention:request", pk=logged.pk)
    today = timezone.localdate()
    open_requests = list(
        RecordsRequest.objects.filter(status=RecordsRequest.Status.OPEN)
        .select_related("assigned_to")
        .annotate(n=Count("requestrecord"))
        .order_by("due_on", "pk")
    )
    for item in open_requests:
        item.left = item.days_left(today)
    closed = (
        RecordsRequest.objects.exclude(status=RecordsRequest.Status.OPEN)
        .select_related("assigned_to")
        .annotate(n=Count("requestrecord"))
        .order_by("-closed_at")[:50]
    )
    return render(
        request,
        "retention/requests.html",
        {
            "open_requests": open_requests,
            "closed": closed,
            "form": form,
            "can_keep": can_keep,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request, pk):
    require_records_role(request.user)
    records_request = get_object_or_404(RecordsRequest.objects.select_related("assigned_to", "logged_by"), pk=pk)
    form = CloseRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            public_records.close_request(
                actor=request.user,
                request=records_request,
                fulfilled=form.cleaned_data["outcome"] == "fulfilled",
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Request {records_request.number} closed.")
            return redirect("retention:request", pk=pk)
    attached = (
        Record.objects.filter(requestrecord__request=records_request)
        .select_related("series")
        .only("pk", "title", "kind", "published_at", "status", "series__code")
        .order_by("pk")
    )
    return render(
        request,
        "retention/request_detail.html",
        {
            "req": records_request,
            "records": attached[:500],
            "count": attached.count(),
            "form": form,
            "days_left": records_request.days_left(),
            "exports": records_request.exports.order_by("-created_at"),
            "can_keep": permissions.can_keep_records(request.user),
        },
    )


@login_required
@require_POST
def attach_to_request(request):
    """From the search page: attach the chosen records, or every result of the search, to an open request."""

    permissions.require_records_custodian(request.user, "attaches records to a request")
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    records_request = (
        RecordsRequest.objects.filter(pk=request.POST.get("request") or None).first()
        if (request.POST.get("request") or "").isdigit()
        else None
    )
    if records_request is None:
        messages.error(request, "Request: choose the open request to attach the records to.")
        return redirect(back or "retention:search")
    if request.POST.get("scope") == "all":
        search = RecordSearchForm(request.POST)
        if not search.is_valid():
            messages.error(request, "The search could not be repeated; run it again and attach the results.")
            return redirect(back or "retention:search")
        records = filter_records(search.cleaned_data)
    else:
        raw = request.POST.getlist("record")
        if not all(v.isdigit() for v in raw):
            messages.error(request, "Record: choose records from the results.")
            return redirect(back or "retention:search")
        records = [int(v) for v in raw]
    try:
        added = public_records.attach_records(actor=request.user, request=records_request, records=records)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(back or "retention:search")
    messages.success(request, f"{added} record(s) newly attached to request {records_request.number}.")
    return redirect("retention:request", pk=records_request.pk)
