"""The credentials page: shows which keys are set and when, never their values."""

import re

import pytest

from core.models import AuditEvent
from posts.models import Channel
from posts.publishing.credentials import channel_credentials

pytestmark = pytest.mark.django_db
TOKEN = "tok-5a4b3c2d1e0f-page-secret"


@pytest.fixture
def facebook_channel(db):
    return Channel.objects.create(name="Facebook page", slug="fb", kind="facebook", external_account_id="1")


def test_the_page_shows_what_is_set_and_never_the_value(signed_in, chief, facebook_channel):
    client = signed_in(chief)
    page = client.get("/channels/fb/credentials/").content.decode()
    assert "Not set" in page and "Never" in page
    field = re.search(r"<input[^>]*name=\"access_token\"[^>]*>", page).group()
    assert 'type="password"' in field and 'autocomplete="new-password"' in field
    assert '<label for="id_access_token">Page access token' in page
    assert "<script" not in page.split("</head>")[1] and "style=" not in page

    response = client.post("/channels/fb/credentials/", {"access_token": TOKEN})
    assert response.status_code == 302 and response.url == "/channels/fb/credentials/"

    facebook_channel.refresh_from_db()
    assert channel_credentials(facebook_channel) == {"access_token": TOKEN}
    page = client.get(response.url).content.decode()
    assert "Set" in page and "Credentials saved." in page and "Never" not in page
    assert TOKEN not in page


def test_a_missing_value_is_shown_on_its_field(signed_in, smo, facebook_channel):
    response = signed_in(smo).post("/channels/fb/credentials/", {"access_token": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page and "This field is required." in page
    facebook_channel.refresh_from_db()
    assert facebook_channel.credentials_encrypted == ""


def test_others_may_not_see_or_set(signed_in, member, supervisor, facebook_channel):
    for user in (member, supervisor):
        client = signed_in(user)
        assert client.get("/channels/fb/credentials/").status_code == 403
        assert client.post("/channels/fb/credentials/", {"access_token": TOKEN}).status_code == 403
    facebook_channel.refresh_from_db()
    assert facebook_channel.credentials_encrypted == ""
    assert not AuditEvent.objects.filter(verb="channel.credentials_set").exists()


def test_a_kind_without_credentials_says_so(signed_in, chief, channel):
    page = signed_in(chief).get(f"/channels/{channel.slug}/credentials/").content.decode()
    assert "takes no credentials" in page and '<form method="post" novalidate' not in page


def test_a_server_without_a_key_says_so_instead_of_failing(settings, signed_in, chief, facebook_channel):
    settings.CREDENTIALS_KEY = ""
    settings.DEBUG = False
    response = signed_in(chief).post("/channels/fb/credentials/", {"access_token": TOKEN})
    assert response.status_code == 200
    assert "CREDENTIALS_KEY" in response.content.decode()
    assert TOKEN not in response.content.decode()
