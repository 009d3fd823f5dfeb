"""Member pages: thin views that ask permissions.py, call services.py and render."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from core.errors import DomainError

from . import permissions, selectors, services
from .forms import (
    AuthorizationForm,
    DisableMemberForm,
    RemoteExceptionForm,
    RevokeAuthorizationForm,
    TrainingRecordForm,
    add_domain_error,
)
from .models import Authorization, RemotePostingException

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
    context = {"rows": selectors.member_rows(search=search), "q": search}
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
