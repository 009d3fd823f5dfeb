"""The records search page: find records by their words and by what is known about them, then attach them to a
public-records request or start an export from the same search."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from . import permissions
from . import search as records_search
from .models import LegalHold, Record, RecordsRequest
from .search import RecordSearchForm
from .views import require_records_role

PAGE_SIZE = 25


@dataclass
class Result:
    record: Record
    snippet: SafeString
    holds: list[LegalHold]


@login_required
@require_GET
def search(request):
    require_records_role(request.user)
    # Only `page` (or the request to attach to) in the address is not a search yet.
    asked = any(key not in ("page", "request_for") for key in request.GET)
    form = RecordSearchForm(request.GET if asked else None)
    can_keep = permissions.can_keep_records(request.user)
    # The filters fold away on a phone unless one is in use (or wrong), so the words box and results come first.
    filters_open = bool(
        form.is_bound
        and (
            any(name not in ("q", "phrase") for name in form.errors)
            or any(request.GET.get(name) for name in form.fields if name not in ("q", "phrase", "status"))
            or request.GET.get("status", Record.Status.ACTIVE) != Record.Status.ACTIVE
        )
    )
    context = {
        "form": form,
        "backend": records_search.backend_label(),
        "searched": False,
        "can_keep": can_keep,
        "rank_limit": f"{records_search.RANK_LIMIT:,}",
        "filters_open": filters_open,
    }
    if asked and form.is_valid():
        params = records_search.query_params(form.cleaned_data)
        page = records_search.result_page(params, request.GET.get("page"), PAGE_SIZE)
        records = list(page.object_list)
        marks, holds = records_search.snippets(records, params), records_search.holds_in_force(records)
        encoded = records_search.encoded_params(params)
        context.update(
            {
                "searched": True,
                "page": page,
                "capped": records_search.is_capped(page.paginator.count),
                "ranked": records_search.full_text_available() and bool(params.get("q") or params.get("phrase")),
                "results": [Result(r, marks[r.pk], holds.get(r.pk, [])) for r in records],
                "hidden_params": encoded,
                "querystring": urlencode(encoded),
            }
        )
        if can_keep:
            context["open_requests"] = list(
                RecordsRequest.objects.filter(status=RecordsRequest.Status.OPEN).order_by("due_on", "pk")
            )
            context["request_for"] = request.GET.get("request_for", "")
    return render(request, "retention/search.html", context)
