"""Content reports (385.5): filing, the list, and handling a report, over moderation.reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.models import AuditEvent
from members.forms import add_domain_error

from .. import permissions
from ..forms import (
    CloseReportForm,
    ContentReportForm,
    InvestigationForm,
    ReasonForm,
    ResolveForm,
)
from ..models import ContentReport
from ..reports import (
    can_handle_reports,
    can_view_report,
    close_report,
    file_report,
    remove_reported_content,
    resolve_report,
    start_investigation,
)


@login_required
def report_list(request):

    handler = can_handle_reports(request.user)
    reports = ContentReport.objects.select_related("reporter", "post", "comment").order_by("-created_at")
    if not handler:
        reports = reports.filter(reporter=request.user)
    status = request.GET.get("status", "")
    if status in ContentReport.Status.values:
        reports = reports.filter(status=status)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/report_list.html",
        {
            "page": page,
            "handler": handler,
            "status": status,
            "statuses": ContentReport.Status.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request):

    form = ContentReportForm(request.POST or None, initial={"post": request.GET.get("post")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = file_report(
                actor=request.user,
                section=data["section"],
                description=data["description"],
                post=data["post"],
                link=data["link"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Reported to the supervisors (385.5). Thank you.")
            return redirect("moderation:report_detail", pk=report.pk)
    return render(request, "moderation/report_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):

    report = get_object_or_404(ContentReport.objects.select_related("reporter", "post", "comment"), pk=pk)
    if not can_view_report(request.user, report):
        raise Http404("No such report.")
    handler = can_handle_reports(request.user)
    if not handler:
        # 385.5: the reporter follows the status and reads the resolution; the investigation is the handlers'.
        if request.method == "POST":
            permissions.require_report_handler(request.user)
        return render(request, "moderation/report_detail.html", {"report": report, "handler": False})
    remove_form = ReasonForm()
    investigation_form = InvestigationForm(
        initial={
            "how_posted": report.how_posted,
            "posted_by": report.posted_by,
            "control_failed": report.control_failed,
        }
    )
    resolve_form = ResolveForm()
    close_form = CloseReportForm()
    if request.method == "POST":
        action = request.POST.get("action")
        forms_by_action = {
            "remove": ReasonForm,
            "investigate": InvestigationForm,
            "resolve": ResolveForm,
            "close": CloseReportForm,
        }
        if action not in forms_by_action:
            raise Http404("Unknown action.")
        form = forms_by_action[action](request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "remove":
                    remove_reported_content(actor=request.user, report=report, reason=data["reason"])
                elif action == "investigate":
                    start_investigation(actor=request.user, report=report, **data)
                elif action == "close":
                    close_report(actor=request.user, report=report, outcome=data["outcome"], reason=data["reason"])
                else:
                    resolve_report(actor=request.user, report=report, resolution=data["resolution"])
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    {
                        "remove": "Removed from public view.",
                        "investigate": "Investigation recorded.",
                        "resolve": "Report resolved.",
                        "close": "Report closed without removal; the reporter is told.",
                    }[action],
                )
                return redirect("moderation:report_detail", pk=report.pk)
        remove_form, investigation_form, resolve_form, close_form = (
            form if action == "remove" else remove_form,
            form if action == "investigate" else investigation_form,
            form if action == "resolve" else resolve_form,
            form if action == "close" else close_form,
        )

    trail = AuditEvent.objects.filter(object_type="moderation.contentreport", object_id=str(report.pk)).order_by("seq")
    return render(
        request,
        "moderation/report_detail.html",
        {
            "report": report,
            "handler": handler,
            "remove_form": remove_form,
            "investigation_form": investigation_form,
            "resolve_form": resolve_form,
            "close_form": close_form,
            "trail": trail,
        },
    )
