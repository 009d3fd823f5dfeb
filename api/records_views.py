"""/api/v1/records/, /holds/, /records-requests/ and /exports/ (385.5.1(a), 385.7): searching and reading records,
legal holds, public-records requests and exports, through the services and permission checks the custodian's
pages use, with their refusals and audit trail.

Every endpoint here is for the records custodian, the Chief, a designee or the annual reviewer, as the pages are;
what each of them may change is then decided by the service (placing a hold, logging a request, exporting: the
custodian alone)."""

from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from core.errors import DomainError, InvalidTransition, PermissionRefused
from retention import permissions
from retention.disposition import due_on
from retention.exports.services import download_link, open_download, start_export
from retention.holds import holds_on, place_hold, release_hold
from retention.models import Export, LegalHold, Record, RecordsRequest
from retention.public_records import attach_records, close_request, log_request, open_requests_for
from retention.search import RecordSearchForm, filter_records, holds_in_force, query_params
from retention.views import require_records_role

from .base import ApiViewSet, valid_data
from .errors import ERROR, error_responses
from .records_serializers import (
    AttachRecordsSerializer,
    CloseRecordsRequestSerializer,
    ExportSerializer,
    LegalHoldSerializer,
    LogRecordsRequestSerializer,
    PlaceHoldSerializer,
    RecordDetailSerializer,
    RecordsAttachedSerializer,
    RecordSearchSerializer,
    RecordSerializer,
    RecordsRequestSerializer,
    RecordVerificationSerializer,
    ReleaseHoldSerializer,
    StartExportSerializer,
)

READS = error_responses(401, 403, 404, 429)
WRITES = error_responses(400, 401, 403, 404, 409, 429)
# A list answers 404 to a cursor it cannot read, and 400 to criteria it cannot.
SEARCHES = error_responses(400, 401, 403, 404, 429)
SECOND_FACTOR = (
    " On the pages this asks for the second factor afresh; a token with this scope could only be made with the "
    "member's second factor just given, and stands for it here."
)


def _search(data, prefix: str = "") -> dict:
    """The search as the page reads it (its form: existing series, channels, holds and requests, dates in order),
    in the saved form `query_params` gives; a 400 naming each criterion otherwise. `data` has been through
    RecordSearchSerializer (booleans and numbers read as the schema says)."""
    form = RecordSearchForm(data)
    if not form.is_valid():
        raise ValidationError({f"{prefix}{name}": list(messages) for name, messages in form.errors.items()})
    return query_params(form.cleaned_data)


def _checked(serializer_class, request) -> dict:
    """`valid_data`, with the errors of nested input (a search, a list of records, redactions) named by their path,
    e.g. "redact_spans.0.record"."""
    try:
        return valid_data(serializer_class, request)
    except ValidationError as error:
        raise ValidationError(_by_path(error.detail)) from error


def _by_path(detail, path: str = "") -> dict[str, list[str]]:
    if isinstance(detail, dict):
        named = {}
        for key, value in detail.items():
            named.update(_by_path(value, f"{path}.{key}" if path else str(key)))
        return named
    if isinstance(detail, list) and not all(isinstance(item, str) for item in detail):
        named = {}
        for index, item in enumerate(detail):
            named.update(_by_path(item, f"{path}.{index}" if path else str(index)))
        return named
    messages = detail if isinstance(detail, list) else [detail]
    return {path or "non_field_errors": [str(message) for message in messages]} if messages else {}


def _found(queryset, pk):
    """The one with this id, or 404 (for an id that is no number too)."""
    found = queryset.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise Http404
    return found


class RecordsArea:
    """Asked after the token's scope: the member must read records (385.7), as on every records page."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.require_role(request.user)

    def require_role(self, user):
        require_records_role(user)


# Records ---------------------------------------------------------------------------------------------------


@extend_schema(tags=["records"])
class RecordViewSet(RecordsArea, ApiViewSet):
    """Captured records: searched, read as captured, checked against their hash."""

    serializer_class = RecordSerializer
    required_scopes = ["records:read"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Record.objects.none()
        # Every match, newest first by record number, so that a cursor pages through them all. The page ranks by
        # relevance instead, and only the newest RANK_LIMIT matches: fine for a person, not for a system's sweep.
        criteria = RecordSearchSerializer(data=self.request.query_params)
        criteria.is_valid(raise_exception=True)
        return filter_records(_search(criteria.validated_data)).select_related("series").defer("content")

    @extend_schema(
        summary="Search the records",
        description="The records search of the records pages, with the same criteria; kept records unless `status` "
        "says otherwise. Every match is listed, page by page, newest capture first.",
        parameters=[RecordSearchSerializer],
        responses={200: RecordSerializer(many=True), **SEARCHES},
    )
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        serializer = RecordSerializer(page, many=True, context={"holds": holds_in_force(page)})
        return self.get_paginated_response(serializer.data)

    @extend_schema(summary="A record as captured", responses={200: RecordDetailSerializer, **READS})
    def retrieve(self, request, pk=None):
        record = _found(Record.objects.select_related("series", "schedule"), pk)
        record.holds_in_force = holds_on(record)
        record.open_requests = open_requests_for(record)
        record.disposition_due_on = due_on(record)
        return Response(RecordDetailSerializer(record).data)

    @extend_schema(
        summary="Check a record's content against its hash",
        responses={200: RecordVerificationSerializer, **READS},
    )
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        record = _found(Record.objects.all(), pk)
        answer = {"id": record.pk, "status": record.status, "sha256": record.sha256, "verified": record.verify()}
        return Response(RecordVerificationSerializer(answer).data)


# Legal holds -----------------------------------------------------------------------------------------------


@extend_schema(tags=["holds"])
class LegalHoldViewSet(RecordsArea, mixins.ListModelMixin, ApiViewSet):
    """Legal holds: a held record is never destroyed."""

    serializer_class = LegalHoldSerializer
    required_scopes = ["holds"]

    def get_queryset(self):
        return (
            LegalHold.objects.select_related("custodian", "released_by")
            .annotate(records_held=Count("heldrecord"))
            .prefetch_related(Prefetch("picked", queryset=Record.objects.only("pk")))
        )

    def _answer(self, hold: LegalHold, code=status.HTTP_200_OK):
        return Response(LegalHoldSerializer(_found(self.get_queryset(), hold.pk)).data, status=code)

    @extend_schema(
        summary="Legal holds, in force and released",
        responses={200: LegalHoldSerializer(many=True), **READS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A legal hold", responses={200: LegalHoldSerializer, **READS})
    def retrieve(self, request, pk=None):
        return Response(LegalHoldSerializer(_found(self.get_queryset(), pk)).data)

    @extend_schema(
        summary="Place a legal hold",
        description="Freezes every kept record in scope (dates, channels, people, keywords) and the records named, "
        "and every record captured later that the scope covers. The records custodian only.",
        request=PlaceHoldSerializer,
        responses={201: LegalHoldSerializer, **error_responses(400, 401, 403, 429)},
    )
    def create(self, request):
        data = _checked(PlaceHoldSerializer, request)
        hold = place_hold(
            actor=request.user,
            matter=data["matter"],
            reference=data["reference"],
            requested_by=data["requested_by"],
            reason=data["reason"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            channel_slugs=data["channels"],
            people=data["people"],
            keywords=data["keywords"],
            records=data["records"],
        )
        return self._answer(hold, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Release a legal hold",
        description="Its records become subject to their retention again. The records custodian only." + SECOND_FACTOR,
        request=ReleaseHoldSerializer,
        responses={200: LegalHoldSerializer, **WRITES},
    )
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        hold = _found(LegalHold.objects.all(), pk)
        data = _checked(ReleaseHoldSerializer, request)
        return self._answer(release_hold(actor=request.user, hold=hold, reason=data["reason"]))


# Public-records requests ------------------------------------------------------------------------------------


@extend_schema(tags=["records requests"])
class RecordsRequestViewSet(RecordsArea, mixins.ListModelMixin, ApiViewSet):
    """Public-records requests (385.5.1(a)): logged with a statutory due date, their records kept while open."""

    serializer_class = RecordsRequestSerializer
    required_scopes = ["requests"]

    def get_queryset(self):
        return RecordsRequest.objects.select_related("assigned_to", "logged_by", "closed_by").annotate(
            records_attached=Count("requestrecord")
        )

    def _answer(self, records_request: RecordsRequest, code=status.HTTP_200_OK):
        return Response(RecordsRequestSerializer(_found(self.get_queryset(), records_request.pk)).data, status=code)

    @extend_schema(
        summary="Public-records requests",
        parameters=[
            OpenApiParameter("status", str, enum=list(RecordsRequest.Status.values), description="Only these.")
        ],
        responses={200: RecordsRequestSerializer(many=True), **SEARCHES},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        wanted = self.request.query_params.get("status", "")
        if wanted and wanted not in RecordsRequest.Status.values:
            raise ValidationError({"status": [f"Choose one of {', '.join(RecordsRequest.Status.values)}."]})
        return queryset.filter(status=wanted) if wanted else queryset

    @extend_schema(summary="A public-records request", responses={200: RecordsRequestSerializer, **READS})
    def retrieve(self, request, pk=None):
        return Response(RecordsRequestSerializer(_found(self.get_queryset(), pk)).data)

    @extend_schema(
        summary="Log a public-records request",
        description="Logged as received, with its statutory due date. The records custodian only.",
        request=LogRecordsRequestSerializer,
        responses={201: RecordsRequestSerializer, **error_responses(400, 401, 403, 429)},
    )
    def create(self, request):
        data = _checked(LogRecordsRequestSerializer, request)
        logged = log_request(actor=request.user, **data)
        return self._answer(logged, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Attach records to an open request",
        description="The records named, or every result of a search; they cannot be destroyed while the request "
        "stays open. Attaching a record twice is harmless. The records custodian only.",
        request=AttachRecordsSerializer,
        responses={200: RecordsAttachedSerializer, **WRITES},
    )
    @action(detail=True, methods=["post"])
    def attach(self, request, pk=None):
        records_request = _found(RecordsRequest.objects.all(), pk)
        data = _checked(AttachRecordsSerializer, request)
        records = filter_records(_search(data["search"], "search.")) if "search" in data else data["records"]
        added = attach_records(actor=request.user, request=records_request, records=records)
        answer = {"attached": added, "request": _found(self.get_queryset(), records_request.pk)}
        return Response(RecordsAttachedSerializer(answer).data)

    @extend_schema(
        summary="Close a request",
        description="Fulfilled (records released) or closed without release; its records become subject to their "
        "retention again. The records custodian only.",
        request=CloseRecordsRequestSerializer,
        responses={200: RecordsRequestSerializer, **WRITES},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        records_request = _found(RecordsRequest.objects.all(), pk)
        data = _checked(CloseRecordsRequestSerializer, request)
        closed = close_request(
            actor=request.user, request=records_request, fulfilled=data["outcome"] == "fulfilled", note=data["note"]
        )
        return self._answer(closed)


# Exports ---------------------------------------------------------------------------------------------------


class PackageGone(InvalidTransition):
    """The export expired and its package was deleted."""

    status = 410


class ErrorsAsJson(BaseContentNegotiation):
    """The package is a file whatever the client accepts; a refusal is always the JSON error."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


@extend_schema(tags=["exports"])
class ExportViewSet(RecordsArea, mixins.ListModelMixin, ApiViewSet):
    """Exports of records: packages built in the background, kept for a limited time, every download audited."""

    serializer_class = ExportSerializer
    required_scopes = ["exports"]

    def get_queryset(self):
        return Export.objects.select_related("created_by")

    def require_role(self, user):
        if self.action == "download":
            # Asked before anything about the export is looked at: a refusal says nothing of whether it exists.
            permissions.require_export_reader(user)
        else:
            super().require_role(user)

    @extend_schema(
        summary="Exports, newest first",
        responses={200: ExportSerializer(many=True), **READS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="An export, with the progress of its build", responses={200: ExportSerializer, **READS})
    def retrieve(self, request, pk=None):
        return Response(ExportSerializer(_found(self.get_queryset(), pk)).data)

    @extend_schema(
        summary="Start an export",
        description="A package (BagIt, in a ZIP) of the records of one search, one legal hold or one request, built "
        "in the background; follow it with GET /exports/{id}/. A public release whose records carry media waits "
        "(status `review`) for the custodian's decision on each file, on the export's page. The records custodian "
        "only.",
        request=StartExportSerializer,
        responses={201: ExportSerializer, **error_responses(400, 401, 403, 429)},
    )
    def create(self, request):
        permissions.require_records_custodian(request.user, "exports records")
        data = _checked(StartExportSerializer, request)
        export = start_export(
            actor=request.user,
            purpose=data["purpose"],
            reason=data["reason"],
            query=_search(data["search"], "search.") if "search" in data else None,
            hold=data.get("hold"),
            request=data.get("request"),
            include_pdf=data["include_pdf"],
            include_dat=data["include_dat"],
            redact=data["redact"],
            redact_spans=[dict(span) for span in data["redact_spans"]],
        )
        return Response(ExportSerializer(_found(self.get_queryset(), export.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download an export's package",
        description="The ZIP, streamed; or, where packages are kept on S3, a redirect to a short-lived presigned "
        "address of it. Every download is recorded in the audit trail before the response goes out. Only a reader "
        "of records learns that an export expired (410)." + SECOND_FACTOR,
        parameters=[
            OpenApiParameter(
                "Location",
                str,
                OpenApiParameter.HEADER,
                response=[302],
                description="The presigned address; valid for a short while, to be kept out of logs.",
            )
        ],
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="The package."),
            302: OpenApiResponse(description="To the package's presigned address on S3."),
            **error_responses(401, 403, 404, 409, 429),
            410: OpenApiResponse(ERROR, description="Expired: the package was deleted; start a new export."),
        },
    )
    @action(detail=True, methods=["get"], content_negotiation_class=ErrorsAsJson)
    def download(self, request, pk=None):
        export = _found(Export.objects.all(), pk)
        try:
            url = download_link(actor=request.user, export=export)
            handle = None if url else open_download(actor=request.user, export=export)
        except PermissionRefused:
            raise
        except DomainError as error:
            if export.is_expired():
                raise PackageGone(error.message, code=error.code, field=error.field) from error
            raise
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
