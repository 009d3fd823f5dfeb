"""Every refusal the API gives has one shape: `{"code": ..., "section": "385.3" or null, "detail": ...}`, plus
`"field"` when it is about one input and `"fields"` for a form's worth of input errors. A service's refusal reaches
the caller exactly as the page shows it, with its HTTP status."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from core.errors import DomainError


def _body(code: str, detail: str, *, section=None, field=None, fields=None) -> dict:
    body = {"code": code, "section": section, "detail": detail}
    if field:
        body["field"] = field
    if fields:
        body["fields"] = fields
    return body


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            key: [str(item) for item in (value if isinstance(value, list) else [value])]
            for key, value in detail.items()
        }
    return {"non_field_errors": [str(item) for item in (detail if isinstance(detail, list) else [detail])]}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(_body(exc.code, exc.message, section=exc.section, field=exc.field), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first = next(iter(fields.values()))[0] if fields else "Invalid input."
        response.data = _body("invalid", first, fields=fields)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = _body(code if isinstance(code, str) else "error", str(detail))
    return response


ERROR = inline_serializer(
    name="Error",
    fields={
        "code": serializers.CharField(),
        "section": serializers.CharField(allow_null=True, help_text="The policy section, e.g. 385.3."),
        "detail": serializers.CharField(),
        "field": serializers.CharField(required=False),
        "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False),
    },
)


def error_responses(*statuses: int) -> dict:
    """The documented refusals of an endpoint, each in the one error shape."""
    words = {
        400: "Bad input",
        401: "No valid token",
        403: "Refused: the token's scope, the member's role or the policy",
        404: "Not found",
        409: "Not in a state that allows this",
        429: "Too many requests for this token",
    }
    return {status: OpenApiResponse(ERROR, description=words.get(status, "")) for status in statuses}
