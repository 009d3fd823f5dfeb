"""Member pages: thin views that ask permissions.py, call services.py and render."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError

from . import accounts, permissions, selectors, services
from .forms import (
    AddMemberForm,
    AuthorizationForm,
    DisableMemberForm,
    ReasonForm,
    RemoteExceptionForm,
    RevokeAuthorizationForm,
    RolesForm,
    TrainingRecordForm,
    UnlockForm,
    add_domain_error,
)
from .models import Authorization, DesigneeAppointment, RemotePostingException

User = get_user_model()


def _member_or_404(request, username):
    # Same answer for "no such member" and "not yours to see".
    member = User.objects.select_related("profile").filter(username=username).first()
    if member is None or not permissions.can_view_member(request.user, member):
        raise Http404("No such member.")
    return member


@login_required
def member_list(request):
    permissions.require_member_viewer(request.user)
    search = request.GET.get("q", "").strip()[:100]
    mine = request.GET.get("people") == "mine" and permissions.has_role(request.user, "Supervisor")
    rows = selectors.member_rows(search=search, supervisor=request.user if mine else None)
    context = {
        "rows": rows,
        "q": search,
        "mine": mine,
        "is_supervisor": permissions.has_role(request.user, "Supervisor"),
        "can_manage_people": permissions.can_manage_people(request.user),
    }
    if request.htmx:
        return render(request, "members/_member_rows.html", context)
    return render(request, "members/member_list.html", context)


@login_required
def member_detail(request, username):
    member = _member_or_404(request, username)
    detail = selectors.member_detail(member)
    decisions = [
        (channel, permissions.can_post_for_department(member, channel, ip=getattr(request, "client_ip", None)))
        for channel in detail["channels"]
    ]
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "decisions": decisions,
            "can_grant": permissions.can_grant_authorization(request.user),
            "can_manage_people": permissions.can_manage_people(request.user) and request.user.pk != member.pk,
            "can_appoint_designee": permissions.can_appoint_designee(request.user) and request.user.pk != member.pk,
            "locked_until": accounts.locked_until(member),
            "current_designee_term": any(d.ended_at is None for d in detail["designee_terms"]),
            "can_record_training": permissions.can_record_training(request.user),
            "can_grant_exception": permissions.can_grant_remote_exception(request.user)
            and request.user.pk != member.pk,
            **detail,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def authorize(request, username):
    member = _member_or_404(request, username)
    permissions.require_chief_or_designee(request.user)
    form = AuthorizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_authorization(
                actor=request.user,
                member=member,
                channels=data["channels"],
                all_channels=data["all_channels"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                note=data["note"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{member.get_username()} is authorized to post (385.3).")
            return redirect("members:detail", username=member.username)
    return render(request, "members/authorize.html", {"member": member, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request, pk):
    auth = get_object_or_404(Authorization.objects.select_related("member"), pk=pk)
    permissions.require_chief_or_designee(request.user, "may revoke an authorization to post")
    form = RevokeAuthorizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_authorization(actor=request.user, authorization=auth, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Authorization #{auth.pk} revoked.")
            return redirect("members:detail", username=auth.member.username)
    return render(request, "members/revoke.html", {"authorization": auth, "member": auth.member, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def record_training(request, username):
    member = _member_or_404(request, username)
    permissions.require_training_recorder(request.user)
    form = TrainingRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_training(actor=request.user, member=member, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Training recorded (385.8).")
            return redirect("members:detail", username=member.username)
    return render(request, "members/training_form.html", {"member": member, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def grant_remote_exception(request, username):
    member = _member_or_404(request, username)
    permissions.require_remote_exception_granter(request.user)
    form = RemoteExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_remote_posting_exception(actor=request.user, member=member, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Remote-posting exception recorded (385.3).")
            return redirect("members:detail", username=member.username)
    return render(request, "members/remote_exception_form.html", {"member": member, "form": form})


@login_required
@require_http_methods(["POST"])
def end_remote_exception(request, pk):
    exception = get_object_or_404(RemotePostingException.objects.select_related("member"), pk=pk)
    try:
        services.revoke_remote_posting_exception(actor=request.user, exception=exception)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Remote-posting exception ended.")
    return redirect("members:detail", username=exception.member.username)


@login_required
@require_http_methods(["GET", "POST"])
def disable(request, username):
    member = _member_or_404(request, username)
    permissions.require_chief_or_designee(request.user, "may disable an account")
    form = DisableMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ended = services.disable_member(actor=request.user, member=member, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{member.get_username()} disabled; {ended} session(s) ended.")
            return redirect("members:list")
    return render(request, "members/disable.html", {"member": member, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def add_member(request):
    permissions.require_people_manager(request.user, "adds members")
    form = AddMemberForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            member = accounts.add_member(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, f"{member.get_username()} added. Issue an enrolment code if their roles need two-factor."
            )
            return redirect("members:detail", username=member.username)
    return render(request, "members/add_member.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def change_roles(request, username):
    member = _member_or_404(request, username)
    permissions.require_people_manager(request.user, "gives and takes roles")
    current = list(member.groups.values_list("name", flat=True))
    form = RolesForm(request.POST or None, actor=request.user, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        # Roles this manager may not give or take stay as they are.
        given = {value for value, _ in form.fields["roles"].choices}
        kept = [role for role in current if role not in given and role in accounts.ASSIGNABLE_ROLES]
        try:
            change = accounts.set_roles(
                actor=request.user,
                member=member,
                roles=[*form.cleaned_data["roles"], *kept],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if change["added"] or change["removed"]:
                messages.success(request, f"Roles of {member.get_username()} changed.")
            else:
                messages.info(request, "No role changed.")
            return redirect("members:detail", username=member.username)
    return render(request, "members/roles_form.html", {"member": member, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def appoint_designee(request, username):
    member = _member_or_404(request, username)
    permissions.require_chief(request.user, "appoints the authorized designee")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.appoint_designee(actor=request.user, member=member, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{member.get_username()} is appointed the Chief's designee (385.3).")
            return redirect("members:detail", username=member.username)
    return render(request, "members/designee_form.html", {"member": member, "form": form, "ending": False})


@login_required
@require_http_methods(["GET", "POST"])
def end_designee(request, pk):
    appointment = get_object_or_404(DesigneeAppointment.objects.select_related("member"), pk=pk)
    permissions.require_chief(request.user, "ends the designee's appointment")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.end_designee(actor=request.user, appointment=appointment, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{appointment.member.get_username()}'s appointment as designee ended.")
            return redirect("members:detail", username=appointment.member.username)
    return render(
        request,
        "members/designee_form.html",
        {"member": appointment.member, "form": form, "ending": True, "appointment": appointment},
    )


@login_required
@require_POST
def unlock(request, username):
    member = _member_or_404(request, username)
    form = UnlockForm(request.POST)
    try:
        form.is_valid()
        accounts.unlock_member(actor=request.user, member=member, reason=form.cleaned_data.get("reason", ""))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{member.get_username()}'s account is unlocked.")
    return redirect("members:detail", username=member.username)


@never_cache
@login_required
@require_POST
def issue_enrolment_code(request, username):
    """The code is shown on this one response and never again."""
    member = _member_or_404(request, username)
    try:
        enrolment, code = accounts.issue_enrolment_code(actor=request.user, member=member)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("members:detail", username=member.username)
    return render(request, "members/enrolment_code.html", {"member": member, "enrolment": enrolment, "code": code})
