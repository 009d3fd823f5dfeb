"""Personal API tokens: shown once, kept hashed, scoped, expiring, bound to networks, revocable, audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import ApiToken
from api.tokens import create_token, revoke_token
from core.errors import InvalidInput, PermissionRefused
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _make(user, *scopes, fresh=True, **kwargs):
    return create_token(
        actor=user,
        name="Dispatch",
        scopes=list(scopes),
        expires_at=kwargs.pop("expires_at", timezone.now() + timedelta(days=30)),
        second_factor_fresh=fresh,
        **kwargs,
    )


def test_a_token_is_kept_only_as_a_digest(author):
    made = _make(author, "posts:read")
    row = ApiToken.objects.get()
    assert made.secret.startswith(f"sgv_{row.prefix}_") and len(made.secret) > 50
    assert made.secret not in str(ApiToken.objects.values().get()) and row.digest != made.secret
    event = AuditEvent.objects.get(verb="api_token.created")
    assert made.secret not in str(event.details) and event.details["scopes"] == ["posts:read"]


def test_privileged_scopes_need_a_fresh_second_factor(supervisor):
    with pytest.raises(PermissionRefused) as refusal:
        _make(supervisor, "posts:read", "review", fresh=False)
    assert "review" in str(refusal.value)
    assert not ApiToken.objects.exists()
    assert _make(supervisor, "posts:read", fresh=False).token.scopes == ["posts:read"]


def test_bad_input_names_the_field_and_makes_nothing(author):
    for kwargs, field in (
        ({"expires_at": timezone.now() - timedelta(days=1)}, "expires_at"),
        ({"expires_at": timezone.now() + timedelta(days=400)}, "expires_at"),
        ({"allowed_networks": ["10.0.0.0/33"]}, "allowed_networks"),
    ):
        with pytest.raises(InvalidInput) as refusal:
            _make(author, "posts:read", **kwargs)
        assert refusal.value.field == field
    with pytest.raises(InvalidInput) as unknown:
        _make(author, "everything")
    assert unknown.value.field == "scopes"
    assert not ApiToken.objects.exists()


def test_use_updates_last_used_and_an_expired_or_revoked_token_stops_working(api_as, author, chief, client):
    reader = api_as(author, "posts:read")
    assert reader.get("/api/v1/posts/").status_code == 200
    reader.token.refresh_from_db()
    assert reader.token.last_used_at is not None and reader.token.last_used_ip == "127.0.0.1"

    revoke_token(actor=chief, token=reader.token)  # the Chief revokes any member's token
    assert reader.get("/api/v1/posts/").status_code == 401
    assert AuditEvent.objects.filter(verb="api_token.revoked", actor=chief).exists()

    expired = api_as(author, "posts:read")
    ApiToken.objects.filter(pk=expired.token.pk).update(
        created_at=timezone.now() - timedelta(days=2), expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert expired.get("/api/v1/posts/").status_code == 401


def test_only_its_member_or_the_chief_revokes_a_token(author, supervisor):
    made = _make(author, "posts:read")
    with pytest.raises(PermissionRefused):
        revoke_token(actor=supervisor, token=made.token)
    assert ApiToken.objects.get().revoked_at is None


def test_a_token_bound_to_networks_is_refused_elsewhere(api_as, author):
    inside = api_as(author, "posts:read", networks=["127.0.0.0/8"])
    outside = api_as(author, "posts:read", networks=["10.20.0.0/16"])
    assert inside.get("/api/v1/posts/").status_code == 200
    response = outside.get("/api/v1/posts/")
    assert response.status_code == 401 and "network" in response.json()["detail"]


def test_the_token_page_shows_a_new_token_once(signed_in, author):
    client = signed_in(author)
    response = client.post(
        "/accounts/api-tokens/",
        {
            "name": "Dispatch",
            "scopes": ["posts:read", "posts:write"],
            "expires_on": f"{timezone.localdate() + timedelta(days=10):%Y-%m-%d}",
        },
    )
    token = ApiToken.objects.get()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert f"sgv_{token.prefix}_".encode() in response.content
    listing = client.get("/accounts/api-tokens/")
    assert f"<code>{token.prefix}</code>".encode() in listing.content
    secret_part = response.content.split(f"sgv_{token.prefix}_".encode())[1][:20]
    assert secret_part not in listing.content


def test_the_chief_lists_every_members_tokens(signed_in, chief, author):
    _make(author, "posts:read")
    assert b"Dispatch" in signed_in(chief).get("/accounts/api-tokens/all/").content
    assert signed_in(author).get("/accounts/api-tokens/all/").status_code == 403
