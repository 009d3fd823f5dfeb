"""Pages where a member makes and revokes API tokens, and where the Chief sees and revokes any."""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import DomainError, PermissionRefused
from members.forms import add_domain_error
from members.second_factor import ask_for_second_factor, second_factor_is_fresh

from . import tokens
from .forms import TokenForm
from .models import ApiToken
from .scopes import SCOPES, privileged


@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if privileged(data["scopes"]) and not second_factor_is_fresh(request):
            return ask_for_second_factor(request)
        expires_at = timezone.make_aware(datetime.combine(data["expires_on"], time(23, 59, 59)))
        try:
            made = tokens.create_token(
                actor=request.user,
                name=data["name"],
                scopes=data["scopes"],
                expires_at=expires_at,
                allowed_networks=form.networks(),
                second_factor_fresh=second_factor_is_fresh(request),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            response = render(request, "api/token_created.html", {"made": made})
            response["Cache-Control"] = "no-store"
            return response
    # Each row asks whether its token is usable, which reads the member: joined, not fetched row by row.
    mine = ApiToken.objects.filter(member=request.user).select_related("member")
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": mine, "scopes": SCOPES, "can_list_all": tokens.can_list_all(request.user)},
    )


@login_required
def all_tokens(request):
    if not tokens.can_list_all(request.user):
        raise PermissionRefused("Only the Chief of Police or the designee sees every member's API tokens.")
    rows = ApiToken.objects.select_related("member", "revoked_by")
    return render(request, "api/all_tokens.html", {"tokens": rows})


@login_required
@require_POST
def revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk)
    try:
        tokens.revoke_token(actor=request.user, token=token)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Token {token.prefix} revoked.")
    return redirect("api_tokens:all" if request.POST.get("back") == "all" else "api_tokens:list")
