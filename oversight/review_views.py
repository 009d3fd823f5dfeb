"""Pages of the annual review (385.6). Thin: the services decide and refuse."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError, PermissionRefused
from members.forms import add_domain_error
from members.second_factor import ask_for_second_factor, second_factor_is_fresh

from . import permissions, review
from .review_forms import AppointForm, ReturnForm, WriteUpForm
from .review_models import AnnualReview, ReviewerAppointment

R = AnnualReview.Status


def _may_read(user, appointment: ReviewerAppointment) -> bool:
    return permissions.can_see_annual_reviews(user) or user.pk == appointment.reviewer_id


def _report_or_refuse(request, pk) -> AnnualReview:
    report = get_object_or_404(AnnualReview.objects.select_related("appointment__reviewer", "signed_by"), pk=pk)
    if not _may_read(request.user, report.appointment):
        raise PermissionRefused(
            "The annual review is for the Chief, the designee and the appointed reviewer.", section=review.SECTION
        )
    return report


@login_required
def reviews(request):
    user = request.user
    mine = ReviewerAppointment.objects.filter(reviewer=user)
    if not (permissions.can_see_annual_reviews(user) or mine.exists()):
        raise PermissionRefused(
            "The annual review is for the Chief, the designee and the appointed reviewer.", section=review.SECTION
        )
    appointments = ReviewerAppointment.objects.select_related("reviewer", "appointed_by").prefetch_related("reports")
    if not permissions.can_see_annual_reviews(user):
        appointments = appointments.filter(reviewer=user)
    form = None
    if permissions.can_appoint_reviewer(user):
        form = AppointForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                review.appoint_reviewer(actor=user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "Reviewer appointed.")
                return redirect("oversight:reviews")
    return render(request, "oversight/reviews.html", {"appointments": appointments, "form": form})


@login_required
@require_POST
def generate(request, pk):
    appointment = get_object_or_404(ReviewerAppointment, pk=pk)
    try:
        report = review.start_report(actor=request.user, appointment=appointment)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("oversight:reviews")
    messages.success(request, "Generating the report from the period's data.")
    return redirect("oversight:review", pk=report.pk)


@login_required
def report_page(request, pk):
    report = _report_or_refuse(request, pk)
    user = request.user
    write_up = None
    if report.status == R.DRAFT and user.pk == report.appointment.reviewer_id:
        write_up = WriteUpForm(
            request.POST or None,
            follow_ups=report.follow_ups,
            initial={"findings": report.findings, "recommendations": report.recommendations},
        )
        if request.method == "POST" and write_up.is_valid():
            data = write_up.cleaned_data
            try:
                review.write_up(
                    actor=user,
                    report=report,
                    findings=data["findings"],
                    recommendations=data["recommendations"],
                    follow_ups=write_up.follow_up_answers(),
                )
                if request.POST.get("action") == "submit":
                    review.submit_report(actor=user, report=report)
            except DomainError as error:
                add_domain_error(write_up, error)
            else:
                submitted = request.POST.get("action") == "submit"
                messages.success(request, "Submitted to the Chief." if submitted else "Saved.")
                return redirect("oversight:review", pk=report.pk)
    return render(
        request,
        "oversight/review.html",
        {
            "report": report,
            "data": report.data,
            "write_up": write_up,
            "can_sign": report.status == R.SUBMITTED and permissions.can_sign_off_review(user),
            "return_form": ReturnForm()
            if report.status == R.SUBMITTED and permissions.can_sign_off_review(user)
            else None,
            "can_new_version": report.status in {R.SIGNED, R.FAILED}
            and user.pk == report.appointment.reviewer_id
            and report == report.appointment.reports.order_by("-version").first(),
        },
    )


@login_required
def progress(request, pk):
    report = _report_or_refuse(request, pk)
    return JsonResponse(
        {
            "status": report.status,
            "done": report.progress_done,
            "total": report.progress_total,
            "label": report.progress_label,
            "percent": report.progress_percent,
        }
    )


@login_required
@require_POST
def sign_off(request, pk):
    report = _report_or_refuse(request, pk)
    if not second_factor_is_fresh(request):
        # Signing the department's report: the Chief gives the second factor afresh.
        return ask_for_second_factor(request)
    try:
        review.sign_off_report(actor=request.user, report=report)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Signed off. The report is frozen and kept as a record.")
    return redirect("oversight:review", pk=report.pk)


@login_required
@require_POST
def return_to_reviewer(request, pk):
    report = _report_or_refuse(request, pk)
    form = ReturnForm(request.POST)
    form.is_valid()
    try:
        review.return_report(actor=request.user, report=report, reason=form.cleaned_data.get("reason", ""))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Returned to the reviewer.")
    return redirect("oversight:review", pk=report.pk)


@login_required
@require_POST
def new_version(request, pk):
    report = _report_or_refuse(request, pk)
    try:
        made = review.start_report(actor=request.user, appointment=report.appointment)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("oversight:review", pk=report.pk)
    messages.success(request, f"Version {made.version} is being generated.")
    return redirect("oversight:review", pk=made.pk)


def _ready(report: AnnualReview) -> None:
    if report.status in {R.GENERATING, R.FAILED}:
        raise PermissionRefused("The report has not been generated yet.", section=review.SECTION)


@login_required
def report_pdf(request, pk):
    report = _report_or_refuse(request, pk)
    _ready(report)
    response = HttpResponse(review.report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="annual-review-{report.pk}-v{report.version}.pdf"'
    return response


@login_required
def report_csv(request, pk):
    from .figures import to_csv_rows

    report = _report_or_refuse(request, pk)
    _ready(report)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="annual-review-{report.pk}-v{report.version}.csv"'
    writer = csv.writer(response)
    for row in to_csv_rows(report.data):
        writer.writerow([_safe_cell(v) for v in row])
    return response


def _safe_cell(value):
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
