"""The base of every API view: token authentication, scopes, and the token named in the audit trail."""

from rest_framework import generics, viewsets
from rest_framework.views import APIView

from .authentication import token_context


class TokenContextMixin:
    def dispatch(self, request, *args, **kwargs):
        with token_context():
            return super().dispatch(request, *args, **kwargs)


class ApiView(TokenContextMixin, APIView):
    pass


class ApiGenericView(TokenContextMixin, generics.GenericAPIView):
    pass


class ApiViewSet(TokenContextMixin, viewsets.GenericViewSet):
    pass


def valid_data(serializer_class, request) -> dict:
    """The request's input, checked by `serializer_class`: a 400 naming each field otherwise."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def client_ip(request) -> str | None:
    return getattr(request._request, "client_ip", None)
