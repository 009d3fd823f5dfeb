"""Requests are limited per token: one busy integration is slowed, the others are not."""

import pytest

from api.throttling import TokenRateThrottle

pytestmark = pytest.mark.django_db


def test_a_token_over_its_rate_gets_429_and_another_token_does_not(api_as, author, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    busy, quiet = api_as(author, "posts:read"), api_as(author, "posts:read")
    assert [busy.get("/api/v1/posts/").status_code for _ in range(3)] == [200, 200, 200]
    limited = busy.get("/api/v1/posts/")
    assert limited.status_code == 429
    assert limited.json()["code"] == "throttled" and int(limited["Retry-After"]) > 0
    assert quiet.get("/api/v1/posts/").status_code == 200
