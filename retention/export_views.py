"""Custodian pages for exports: start one from a search, a hold or a request; watch it build; download it."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError, PermissionRefused
from members.forms import add_domain_error
from members.second_factor import ask_for_second_factor, second_factor_is_fresh

from . import permissions
from .disposition import pdf_available
from .exports.media_review import decide_media, export_media, finish_media_review, media_of_export
from .exports.services import download_link, open_download, progress, start_export
from .exports.stored import open_stored, store_of
from .forms import ExportForm, MediaDecisionForm
from .models import Export, LegalHold, MediaBlob, MediaDecision, RecordsRequest
from .search import RecordSearchForm, encoded_params, filter_records, query_params
from .views import require_records_role

SCOPE_KEYS = ("hold", "request")


def _scope(params) -> dict:
    """What the export covers, from the query string: a hold, a request, or a search (its parameters)."""

    if (params.get("hold") or "").isdigit():
        hold = get_object_or_404(LegalHold, pk=params["hold"])
        return {
            "hold": hold,
            "label": f"Records held for {hold.matter}",
            "records": hold.held.all(),
            "hidden": [("hold", str(hold.pk))],
        }
    if (params.get("request") or "").isdigit():
        req = get_object_or_404(RecordsRequest, pk=params["request"])
        return {
            "request": req,
            "label": f"Records attached to request {req.number}",
            "records": req.records.all(),
            "hidden": [("request", str(req.pk))],
        }
    search = RecordSearchForm(params)
    if not search.is_valid():
        return {"errors": search.errors}
    query = query_params(search.cleaned_data)
    terms = ", ".join(f"{k}={v}" for k, v in query.items() if v not in ("", None, [], False))
    return {
        "query": query,
        "label": f"Records matching the search ({terms or 'all records'})",
        "records": filter_records(search.cleaned_data),
        "hidden": encoded_params(query),
    }


@login_required
@require_http_methods(["GET", "POST"])
def export_new(request):

    require_records_role(request.user)
    permissions.require_records_custodian(request.user, "exports records")
    params = request.POST if request.method == "POST" else request.GET
    scope = _scope(params)
    if "errors" in scope:
        messages.error(request, "The search has errors; correct it before starting an export.")
        return redirect(f"{_search_url()}?{request.GET.urlencode()}")
    can_pdf = pdf_available()
    form = ExportForm(request.POST if request.method == "POST" else None, pdf_available=can_pdf)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            export = start_export(
                actor=request.user,
                purpose=data["purpose"],
                reason=data["reason"],
                query=scope.get("query"),
                hold=scope.get("hold"),
                request=scope.get("request"),
                include_pdf=data["include_pdf"],
                include_dat=data["include_dat"],
                redact=data["redact"],
                redact_spans=data["redact_spans"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("retention:export", pk=export.pk)
    return render(
        request,
        "retention/export_new.html",
        {
            "form": form,
            "scope": scope,
            "count": scope["records"].count(),
            "can_pdf": can_pdf,
            "hidden": scope["hidden"],
            "back": f"{_search_url()}?{urlencode(scope['hidden'])}" if "query" in scope else None,
        },
    )


def _search_url():
    return reverse("retention:search")


@login_required
@require_GET
def export_list(request):
    require_records_role(request.user)
    exports = Export.objects.select_related("created_by", "request", "hold").order_by("-created_at")[:100]
    return render(request, "retention/exports.html", {"exports": exports})


def _progress_context(export):

    return {"export": export, "progress": progress(export)}


def _detail(request, export, *, bound: tuple[str, MediaDecisionForm] | None = None):
    """The export page; in media review, a decision form per file (`bound`: the one just posted, with errors)."""
    reviewing = export.status == Export.Status.REVIEW
    can_decide = reviewing and permissions.can_keep_records(request.user)
    media = export_media(export) if export.purpose == Export.Purpose.PUBLIC_RELEASE else []
    for item in media:
        sha = item.blob.sha256
        if bound and bound[0] == sha:
            item.form = bound[1]
        elif can_decide:
            initial = {}
            if item.decision:
                initial = {k: getattr(item.decision, k) for k in ("decision", "reason", "exemption")}
            item.form = MediaDecisionForm(initial=initial, sha256=sha)
    return render(
        request,
        "retention/export_detail.html",
        {
            **_progress_context(export),
            "redactions": export.redactions.count(),
            "redaction_log": export.redactions.order_by("record_id", "pk")[:200],
            "media": media,
            "reviewing": reviewing,
            "can_decide": can_decide,
            "undecided": sum(1 for item in media if item.decision is None),
        },
    )


def _export(pk):
    return get_object_or_404(Export.objects.select_related("created_by", "request", "hold", "batch"), pk=pk)


@login_required
@require_GET
def export_detail(request, pk):
    require_records_role(request.user)
    return _detail(request, _export(pk))


@login_required
@require_GET
def export_media_file(request, pk, sha256):
    """A media file of an export, for the custodian to look at while deciding (`?version=redacted`: the redacted
    version uploaded for it). Only files the export's records carry; never cached."""
    require_records_role(request.user)
    export = _export(pk)
    blob = media_of_export(export, sha256)
    if blob is None:
        raise Http404("No such media file in this export.")
    if request.GET.get("version") == "redacted":
        decision = MediaDecision.objects.filter(export=export, blob=blob, decision="redacted").first()
        if decision is None:
            raise Http404("No redacted version of this file.")
        store, name, version = store_of(MediaDecision, "redacted_file"), decision.redacted_file.name, ""
        content_type = decision.redacted_content_type
    else:
        store, name, version, content_type = (
            store_of(MediaBlob, "file"),
            blob.file.name,
            blob.version,
            blob.content_type,
        )
    try:
        handle = open_stored(store, name, version)
    except FileNotFoundError as missing:
        raise Http404("This media file is missing from the records store.") from missing
    # Images are shown on the page; anything else is downloaded, never rendered by the browser as a page.
    response = FileResponse(
        handle, content_type=content_type, as_attachment=not content_type.startswith("image/"), filename=blob.sha256
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@login_required
@require_POST
def export_media_decide(request, pk, sha256):
    permissions.require_records_custodian(request.user, "decides which media a public release carries")
    export = _export(pk)
    if media_of_export(export, sha256) is None:
        raise Http404("No such media file in this export.")
    form = MediaDecisionForm(request.POST, request.FILES, sha256=sha256)
    if form.is_valid():
        try:
            made = decide_media(actor=request.user, export=export, blob=sha256, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Saved: {made.get_decision_display().lower()} — {sha256[:12]}…")
            return redirect(f"{reverse('retention:export', args=[export.pk])}#media-{sha256[:16]}")
    return _detail(request, export, bound=(sha256, form))


@login_required
@require_POST
def export_build(request, pk):
    """Build the package: ends the media review of a public release and queues the build."""
    permissions.require_records_custodian(request.user, "builds the package of a public release")
    export = _export(pk)
    try:
        finish_media_review(actor=request.user, export=export)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The package is being built.")
    return redirect("retention:export", pk=export.pk)


@login_required
@require_GET
def export_progress(request, pk):
    """The progress fragment the export page polls; it stops polling once the export has finished."""
    require_records_role(request.user)
    export = get_object_or_404(Export, pk=pk)
    return render(request, "retention/export_progress.html", _progress_context(export))


@login_required
@require_GET
def export_download(request, pk):
    """Who may download comes first: anyone else is refused alike whether the export exists, is ready or has
    expired; only a reader of records learns that it expired (410). The package comes from the exports store:
    on S3 the browser is sent to a short-lived presigned address (the web process never carries the bytes),
    otherwise it is streamed. Either way the download is audited before the response goes out."""
    permissions.require_export_reader(request.user)
    if not second_factor_is_fresh(request):
        return ask_for_second_factor(request)  # unredacted records leave the system: the second factor, afresh
    export = get_object_or_404(Export, pk=pk)
    try:
        url = download_link(actor=request.user, export=export)
        handle = None if url else open_download(actor=request.user, export=export)
    except PermissionRefused:
        raise
    except DomainError as error:
        if export.is_expired():
            return HttpResponse(f"{error}", status=410, content_type="text/plain; charset=utf-8")
        raise Http404(str(error)) from error
    if url:
        response = HttpResponseRedirect(url)
        # The address is a bearer credential until it expires: kept out of caches and of other sites' logs.
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    response = FileResponse(handle, as_attachment=True, filename=export.file_name, content_type="application/zip")
    if export.size and not response.has_header("Content-Length"):
        response["Content-Length"] = str(export.size)
    response["Cache-Control"] = "private, no-store"
    return response
