import pytest
from cryptography.fernet import Fernet

from posts.models import Channel
from posts.publishing.base import adapter_for
from posts.publishing.credential_services import set_channel_credentials

from .fakes import FacebookFake, MastodonFake, WebhookFake, XFake


@pytest.fixture(autouse=True)
def credentials_key(settings):
    settings.CREDENTIALS_KEY = Fernet.generate_key().decode()
    return settings.CREDENTIALS_KEY


@pytest.fixture
def webhook_fake():
    with WebhookFake() as fake:
        yield fake


@pytest.fixture
def mastodon_fake():
    with MastodonFake() as fake:
        yield fake


@pytest.fixture
def facebook_fake():
    with FacebookFake() as fake:
        yield fake


@pytest.fixture
def x_fake():
    with XFake() as fake:
        yield fake


@pytest.fixture
def connect(chief):
    """A channel of `kind` pointed at a fake, its credentials set through the real service."""

    def make(kind, *, api_base_url="", external_account_id="", handle="", **credentials):
        channel = Channel.objects.create(
            name=f"{kind.title()} test",
            slug=f"{kind}-test",
            kind=kind,
            api_base_url=api_base_url,
            external_account_id=external_account_id,
            handle=handle,
        )
        channel = set_channel_credentials(actor=chief, channel=channel, credentials=credentials)
        return adapter_for(channel)

    return make


@pytest.fixture
def webhook(connect, webhook_fake):
    return connect("webhook", api_base_url=webhook_fake.endpoint, secret=webhook_fake.token)


@pytest.fixture
def mastodon(connect, mastodon_fake):
    adapter = connect("mastodon", api_base_url=mastodon_fake.url, access_token=mastodon_fake.token)
    adapter.media_poll_interval = 0.01
    return adapter


@pytest.fixture
def facebook(connect, facebook_fake):
    return connect(
        "facebook",
        api_base_url=facebook_fake.graph_url,
        external_account_id=facebook_fake.page_id,
        access_token=facebook_fake.token,
    )


@pytest.fixture
def x(connect, x_fake):
    return connect(
        "x", api_base_url=x_fake.url, external_account_id=x_fake.user_id, handle="@ExamplePD", access_token=x_fake.token
    )
