"""`Authorization: Bearer sgv_...`: the only way into the API. No session, so no cookie and no CSRF."""

from contextlib import contextmanager

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from core.context import current_api_token

from .tokens import TokenRefused, check_token


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the token as: Authorization: Bearer <token>.")
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Malformed token.") from None
        ip = getattr(request._request, "client_ip", None) or request.META.get("REMOTE_ADDR")
        try:
            token = check_token(raw, ip=ip)
        except TokenRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
        # Every audit event this request writes names the token.
        current_api_token.set(token.pk)
        return token.member, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


@contextmanager
def token_context():
    """Undo, when the request ends, the token that authentication set for its audit events."""
    reset = current_api_token.set(None)
    try:
        yield
    finally:
        current_api_token.reset(reset)


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (Account → API tokens), shown once when it is created.",
        }
