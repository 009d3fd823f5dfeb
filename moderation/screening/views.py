"""Screening pages for supervisors and registry keepers: thin views that ask access.py, call services.py
and render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from moderation.models import ConfidentialTerm, ScreeningRuleSetting

from . import access, screen, services
from .base import rules_for
from .forms import ConfidentialTermForm, RuleSettingForm, TryTextForm, WithdrawTermForm, add_domain_error


@login_required
@require_http_methods(["GET", "POST"])
def try_text(request):
    access.require_screening_keeper(request.user, "may try text against the screening rules")
    form = TryTextForm(request.POST or None)
    findings = None
    if request.method == "POST" and form.is_valid():
        findings = screen(form.cleaned_data["text"], kind=form.cleaned_data["kind"])
    return render(request, "moderation/screening/try.html", {"form": form, "findings": findings})


def _rule_rows():
    settings = {s.rule_id: s for s in ScreeningRuleSetting.objects.select_related("updated_by")}
    rows = []
    for kind in ("post", "comment"):
        for rule_id, rule in rules_for(kind):
            if any(r["rule_id"] == rule_id for r in rows):
                continue
            setting = settings.get(rule_id)
            rows.append(
                {
                    "rule_id": rule_id,
                    "doc": (rule.__doc__ or "").strip().splitlines()[0] if rule.__doc__ else "",
                    "kinds": [k for k in ("post", "comment") if any(r == rule_id for r, _ in rules_for(k))],
                    "setting": setting,
                    "form": RuleSettingForm(
                        initial={
                            "enabled": setting.enabled if setting else True,
                            "severity": setting.severity if setting else "",
                        },
                        prefix=rule_id.replace(".", "-"),
                    ),
                }
            )
    return rows


@login_required
def rule_list(request):
    access.require_screening_keeper(request.user)
    return render(request, "moderation/screening/rules.html", {"rows": _rule_rows()})


@login_required
@require_POST
def rule_update(request, rule_id):
    access.require_screening_keeper(request.user)
    form = RuleSettingForm(request.POST, prefix=rule_id.replace(".", "-"))
    if not form.is_valid():
        messages.error(request, f"{rule_id}: choose a severity from the list.")
        return redirect("screening:rules")
    try:
        services.set_rule_setting(actor=request.user, rule_id=rule_id, **form.cleaned_data)
    except DomainError as error:
        if error.field == "rule_id":
            raise Http404(error.message)
        messages.error(request, str(error))
    else:
        state = "on" if form.cleaned_data["enabled"] else "off"
        messages.success(request, f"Screening rule {rule_id} is {state}.")
    return redirect("screening:rules")


@login_required
def term_list(request):
    access.require_registry_keeper(request.user)
    show = request.GET.get("show", "in_force")
    terms = ConfidentialTerm.objects.select_related("created_by", "withdrawn_by")
    if show != "all":
        terms = terms.in_force()
    return render(request, "moderation/screening/terms.html", {"terms": terms, "show": show})


@login_required
@require_http_methods(["GET", "POST"])
def term_add(request):
    access.require_registry_keeper(request.user)
    form = ConfidentialTermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.add_confidential_term(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Confidential term #{entry.pk} added: posts that mention it are blocked.")
            return redirect("screening:terms")
    return render(request, "moderation/screening/term_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def term_withdraw(request, pk):
    # Same answer for "no such term" and "not yours to see".
    if not access.can_manage_confidential_terms(request.user):
        raise Http404("No such term.")
    entry = ConfidentialTerm.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404("No such term.")
    form = WithdrawTermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_confidential_term(actor=request.user, term=entry, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Confidential term #{entry.pk} withdrawn: it no longer blocks posts.")
            return redirect("screening:terms")
    return render(request, "moderation/screening/term_withdraw.html", {"form": form, "entry": entry})
