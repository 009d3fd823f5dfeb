"""API test helpers: tokens made with the product's own service, and a client that sends one."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api.tokens import create_token


class TokenClient:
    """A test client that authenticates every request with one bearer token and speaks JSON."""

    def __init__(self, secret: str, token):
        self.client, self.secret, self.token = Client(), secret, token

    def _headers(self):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.secret}"}

    def get(self, path, data=None, **extra):
        return self.client.get(path, data, **self._headers(), **extra)

    def post(self, path, data=None, **extra):
        return self.client.post(
            path, json.dumps(data or {}), content_type="application/json", **self._headers(), **extra
        )

    def patch(self, path, data=None, **extra):
        return self.client.patch(
            path, json.dumps(data or {}), content_type="application/json", **self._headers(), **extra
        )


@pytest.fixture
def api_as(db):
    """api_as(user, "posts:write", ...) -> a TokenClient for a new token of that member with those scopes."""

    def make(user, *scopes, days=30, networks=()):
        made = create_token(
            actor=user,
            name=f"{user.username} integration",
            scopes=list(scopes),
            expires_at=timezone.now() + timedelta(days=days),
            allowed_networks=list(networks),
            second_factor_fresh=True,
        )
        return TokenClient(made.secret, made.token)

    return make
