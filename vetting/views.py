"""Pages of background vetting (385.5.4(d)). Thin: an access helper, the service, the response."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError, PermissionRefused
from members.forms import add_domain_error

from . import permissions, selectors, services
from .forms import (
    AttestationForm,
    CandidateForm,
    CaptureDecisionForm,
    DesignateForm,
    FindingForm,
    FlagDecisionForm,
    FlagReviewForm,
    ParticipantForm,
    ProcessForm,
    RedactByHandForm,
    RevokeForm,
    StepForm,
    StepResultForm,
    ValidationForm,
)
from .models import SECTION, Candidate, Finding, HiringProcess, ProtectedFlag, ReleasedReport, SearcherDesignation

NOT_YOURS = "This is not a hiring process you have a part in."


def _refuse_unless(allowed: bool, message: str = NOT_YOURS) -> None:
    if not allowed:
        raise PermissionRefused(message, section=SECTION)


def _process_or_refuse(request, pk) -> HiringProcess:
    # The same refusal for a process that does not exist and one that is not yours.
    process = HiringProcess.objects.filter(pk=pk).first()
    user = request.user
    _refuse_unless(
        process is not None
        and (
            permissions.can_manage_processes(user)
            or permissions.can_search(user, process)
            or permissions.can_see_released(user, process)
        )
    )
    return process


def _candidate_for_searcher(request, pk) -> Candidate:
    candidate = Candidate.objects.select_related("process").filter(pk=pk).first()
    _refuse_unless(
        candidate is not None and permissions.can_search(request.user, candidate.process),
        "Only a designated searcher assigned to this hiring process opens a candidate's file.",
    )
    return candidate


@login_required
def index(request):
    user = request.user
    _refuse_unless(permissions.can_open_vetting(user), "Background vetting is for the people of a hiring process.")
    managed = (
        selectors.processes_with_counts(HiringProcess.objects.all()) if permissions.can_manage_processes(user) else None
    )
    return render(
        request,
        "vetting/index.html",
        {
            "can_designate": permissions.can_designate_searchers(user),
            "designated": permissions.is_designated_searcher(user),
            "managed": managed,
            "searching": selectors.processes_with_counts(permissions.searchable_processes(user)),
            "deciding": selectors.processes_with_counts(permissions.decision_processes(user)),
        },
    )


@login_required
def designations(request):
    user = request.user
    _refuse_unless(
        permissions.can_designate_searchers(user),
        "Only the Chief of Police or the authorized designee designates vetting searchers.",
    )
    form = DesignateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.designate_searcher(actor=user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['member'].get_username()} is designated a searcher.")
            return redirect("vetting:designations")
    rows = SearcherDesignation.objects.select_related("member", "designated_by", "revoked_by")
    return render(request, "vetting/designations.html", {"form": form, "designations": rows, "revoke": RevokeForm()})


@login_required
@require_POST
def revoke_designation(request, pk):
    designation = get_object_or_404(SearcherDesignation, pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason for revoking.")
        return redirect("vetting:designations")
    try:
        services.revoke_designation(actor=request.user, designation=designation, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Designation revoked.")
    return redirect("vetting:designations")


@login_required
def open_process(request):
    user = request.user
    _refuse_unless(permissions.can_manage_processes(user), "Only Human Resources opens a hiring process.")
    form = ProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            process = services.open_process(
                actor=user,
                position=data["position"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                decision_makers=list(data["decision_makers"]),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Hiring process opened. Add its checklist, searchers and candidates.")
            return redirect("vetting:process", pk=process.pk)
    return render(request, "vetting/open_process.html", {"form": form})


@login_required
def process_page(request, pk):
    process = _process_or_refuse(request, pk)
    user = request.user
    manager = permissions.can_manage_processes(user)
    forms_ = {}
    if manager and process.status == HiringProcess.Status.OPEN and request.method == "POST":
        action = request.POST.get("action")
        form_class = {"participant": ParticipantForm, "step": StepForm, "candidate": CandidateForm}.get(action)
        if form_class is not None:
            form = form_class(request.POST, prefix=action)
            forms_[action] = form
            if form.is_valid():
                try:
                    if action == "participant":
                        services.add_participant(actor=user, process=process, **form.cleaned_data)
                        done = "Added."
                    elif action == "step":
                        step = services.add_step(actor=user, process=process, **form.cleaned_data)
                        done = f"Step {step.number} added to the checklist."
                    else:
                        services.add_candidate(actor=user, process=process, **form.cleaned_data)
                        done = "Candidate added."
                except DomainError as error:
                    add_domain_error(form, error)
                else:
                    messages.success(request, done)
                    return redirect("vetting:process", pk=process.pk)
    if manager and process.status == HiringProcess.Status.OPEN:
        forms_.setdefault("participant", ParticipantForm(prefix="participant"))
        forms_.setdefault("candidate", CandidateForm(prefix="candidate"))
        if not process.checklist_frozen:
            forms_.setdefault("step", StepForm(prefix="step"))
    process = selectors.process_detail(process.pk)
    searcher = permissions.can_search(user, process)
    deciding = permissions.can_see_released(user, process)
    reports = (
        ReleasedReport.objects.filter(candidate__process=process)
        .select_related("candidate")
        .order_by("candidate__applicant_number")
        if deciding
        else []
    )
    return render(
        request,
        "vetting/process.html",
        {
            "process": process,
            "manager": manager,
            "searcher": searcher,
            "deciding": deciding,
            "reports": reports,
            "forms": forms_,
            # A decision maker sees who decides, never who searches or what the checklist found.
            "show_workings": manager or searcher,
        },
    )


@login_required
@require_POST
def remove_step(request, pk, step_pk):
    process = _process_or_refuse(request, pk)
    step = get_object_or_404(process.steps, pk=step_pk)
    try:
        services.remove_step(actor=request.user, step=step)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Step removed.")
    return redirect("vetting:process", pk=process.pk)


@login_required
@require_POST
def close_process(request, pk):
    process = _process_or_refuse(request, pk)
    try:
        services.close_process(actor=request.user, process=process)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Hiring process closed; its files are kept under the personnel series.")
    return redirect("vetting:process", pk=process.pk)


@login_required
def uniformity(request, pk):
    process = _process_or_refuse(request, pk)
    _refuse_unless(
        permissions.can_see_uniformity(request.user, process),
        "The uniformity report is for Human Resources and the process's searchers.",
    )
    return render(request, "vetting/uniformity.html", {"process": process, "table": selectors.uniformity(process)})


def _candidate_context(request, candidate, **forms_):
    candidate = selectors.candidate_file(candidate.pk)
    user = request.user
    session = services.current_session(user, candidate)
    results = {r.step_id: r for r in candidate.step_results.all()}
    steps = [
        (step, results.get(step.pk), forms_.get(f"step{step.pk}") or StepResultForm(prefix=f"step{step.pk}"))
        for step in candidate.process.steps.all()
    ]
    findings = []
    for number, finding in enumerate(candidate.findings.all(), start=1):
        flags = []
        for flag in finding.flags.all():
            decide = forms_.get(f"flag{flag.pk}")
            if decide is None:
                form_class = CaptureDecisionForm if flag.field == ProtectedFlag.Field.CAPTURE else FlagDecisionForm
                decide = form_class(prefix=f"flag{flag.pk}")
            review = forms_.get(f"review{flag.pk}") or FlagReviewForm(prefix=f"review{flag.pk}")
            flags.append((flag, decide, review))
        validate = forms_.get(f"validate{finding.pk}") or ValidationForm(prefix=f"validate{finding.pk}")
        redact = forms_.get(f"redact{finding.pk}") or RedactByHandForm(prefix=f"redact{finding.pk}")
        findings.append((number, finding, flags, validate, redact))
    searching = candidate.status == Candidate.Status.SEARCHING and candidate.process.status == HiringProcess.Status.OPEN
    return {
        "candidate": candidate,
        "session": session,
        "attest": forms_.get("attest") or AttestationForm(prefix="attest"),
        "steps": steps,
        "findings": findings,
        "finding_form": forms_.get("finding")
        or FindingForm(prefix="finding", steps=candidate.process.steps.order_by("number")),
        "check": services.release_check(candidate) if searching else None,
        "searching": searching,
        "user_pk": user.pk,
    }


@login_required
def candidate_page(request, pk):
    candidate = _candidate_for_searcher(request, pk)
    forms_ = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            done = _candidate_action(request, candidate, action, forms_)
        except DomainError as error:
            form = forms_.get(action.replace(":", ""))
            if form is not None:
                add_domain_error(form, error)
            else:
                messages.error(request, str(error))
        else:
            if done:
                messages.success(request, done)
                return redirect("vetting:candidate", pk=candidate.pk)
    return render(request, "vetting/candidate.html", _candidate_context(request, candidate, **forms_))


def _candidate_action(request, candidate, action, forms_) -> str | None:
    """Run one action of the candidate page; a form that does not validate stays in `forms_` with its errors."""
    user, post = request.user, request.POST
    kind, _, ident = action.partition(":")
    if kind == "attest":
        form = forms_["attest"] = AttestationForm(post, prefix="attest")
        if form.is_valid():
            services.start_session(actor=user, candidate=candidate, attested=form.attested())
            return "Attested. Your search session is open."
    elif kind == "step":
        step = get_object_or_404(candidate.process.steps, pk=ident)
        form = forms_[f"step{ident}"] = StepResultForm(post, prefix=f"step{ident}")
        if form.is_valid():
            services.record_step(actor=user, candidate=candidate, step=step, **form.cleaned_data)
            return f"Step {step.number} recorded."
    elif kind == "finding":
        form = forms_["finding"] = FindingForm(
            post, request.FILES, prefix="finding", steps=candidate.process.steps.order_by("number")
        )
        if form.is_valid():
            finding = services.record_finding(actor=user, candidate=candidate, **form.cleaned_data)
            flagged = finding.flags.count()
            return (
                f"Finding recorded. The protected-class filter flagged {flagged} item(s) to decide."
                if flagged
                else "Finding recorded. The protected-class filter flagged nothing."
            )
    elif kind == "flag":
        flag = get_object_or_404(ProtectedFlag, pk=ident, finding__candidate=candidate)
        form_class = CaptureDecisionForm if flag.field == ProtectedFlag.Field.CAPTURE else FlagDecisionForm
        form = forms_[f"flag{ident}"] = form_class(post, prefix=f"flag{ident}")
        if form.is_valid():
            flag = services.decide_flag(actor=user, flag=flag, **form.cleaned_data)
            return f"{flag.get_decision_display()}."
    elif kind == "review":
        flag = get_object_or_404(ProtectedFlag, pk=ident, finding__candidate=candidate)
        form = forms_[f"review{ident}"] = FlagReviewForm(post, prefix=f"review{ident}")
        if form.is_valid():
            services.review_flag(actor=user, flag=flag, **form.cleaned_data)
            return "Review recorded."
    elif kind == "validate":
        finding = get_object_or_404(Finding, pk=ident, candidate=candidate)
        form = forms_[f"validate{ident}"] = ValidationForm(post, prefix=f"validate{ident}")
        if form.is_valid():
            data = form.cleaned_data
            services.validate_finding(
                actor=user, finding=finding, validated=data["validated"], method=data["method"], note=data["note"]
            )
            return "Finding validated." if data["validated"] else "Marked as not validated: it will not be released."
    elif kind == "release":
        services.release_report(actor=user, candidate=candidate, read_by_hand=post.get("read_by_hand") == "on")
        return "Report released to the decision makers."
    elif kind == "redact":
        finding = get_object_or_404(Finding, pk=ident, candidate=candidate)
        form = forms_[f"redact{ident}"] = RedactByHandForm(post, prefix=f"redact{ident}")
        if form.is_valid():
            flags = services.redact_by_hand(actor=user, finding=finding, **form.cleaned_data)
            return f"Redacted by hand in {len(flags)} place(s)."
    return None


@login_required
def capture(request, pk):
    finding = Finding.objects.select_related("candidate__process").filter(pk=pk).first()
    _refuse_unless(
        finding is not None and permissions.can_search(request.user, finding.candidate.process),
        "Captures are seen by the process's searchers only; decision makers see the released report.",
    )
    handle = services.open_capture(actor=request.user, finding=finding)
    response = FileResponse(handle, content_type=finding.capture_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


@login_required
def report_page(request, pk):
    report = ReleasedReport.objects.select_related("candidate__process", "released_by").filter(pk=pk).first()
    _refuse_unless(
        report is not None and permissions.can_see_released(request.user, report.candidate.process),
        "Released vetting reports are for this hiring process's decision makers only.",
    )
    services.view_report(actor=request.user, report=report)
    response = render(request, "vetting/report.html", {"report": report, "body": report.body})
    response["Cache-Control"] = "private, no-store"
    return response
