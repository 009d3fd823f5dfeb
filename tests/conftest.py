import os
import time

import pytest
from django.contrib.auth.models import Group

from tests.factories import ChannelFactory, UserFactory, trained

# In CI (SOCIALGOV_NO_SKIP=1) the environment provides PostgreSQL, Redis, a worker and Chromium:
# a test that would skip there fails instead, so a green run means everything ran.
NO_SKIP = os.environ.get("SOCIALGOV_NO_SKIP") == "1"


def skip_or_fail(reason: str):
    if NO_SKIP:
        pytest.fail(f"required in CI but unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture
def channel(db):
    return ChannelFactory(name="Department website", slug="news", kind="website")


@pytest.fixture
def other_channel(db):
    return ChannelFactory(name="Facebook page", slug="facebook", kind="facebook")


def _with_role(role, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def chief(db):
    return _with_role("Chief", username="chief")


@pytest.fixture
def designee(db):
    return _with_role("Designee", username="designee")


@pytest.fixture
def supervisor(db):
    return _with_role("Supervisor", username="supervisor")


@pytest.fixture
def smo(db, chief):
    return trained(_with_role("Social Media Officer", username="smo"), by=chief)


@pytest.fixture
def team(db, chief):
    return trained(_with_role("Team Member", username="team"), by=chief)


@pytest.fixture
def member(db):
    return _with_role("Member", username="member")


@pytest.fixture
def author(db, chief, smo, channel, other_channel):
    """The Social Media Officer, authorized for every channel (385.3) and trained (385.8)."""
    from members.services import grant_authorization

    grant_authorization(actor=chief, member=smo, all_channels=True)
    return smo


@pytest.fixture
def supervisor2(db):
    return _with_role("Supervisor", username="supervisor2")


@pytest.fixture
def commander(db):
    return _with_role("Member", username="commander")


@pytest.fixture
def incident(db, supervisor, commander, author):
    from posts.services import open_incident

    return open_incident(
        actor=supervisor,
        name="Brush fire",
        kind="disaster",
        location="Hwy 111",
        commander=commander,
        social_media_officer=author,
    )


@pytest.fixture
def road_closure(db, chief):
    from posts.services import save_guideline_template

    return save_guideline_template(
        actor=chief,
        name="Road closure",
        category="traffic",
        body="ROAD CLOSURE: {road} is closed until {until}. Please use {detour}.",
        fields=[{"name": "road", "label": "Road", "max_length": 60}],
    )


def _png_bytes(width=2, height=2) -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def png_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("photo.png", _png_bytes(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORT_ROOT = tmp_path / "exports"
    # Checkpoints vouch for one database's trail: each test's trail starts afresh, so do its checkpoints.
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture(autouse=True)
def _celery_runs_inline(request):
    """Unit tests run tasks in-process; tests marked `integration` use a real worker and broker."""
    from socialgov.celery import app

    if request.node.get_closest_marker("integration"):
        yield
        return
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def signed_in(db):
    """A test client signed in as `user`, two-factor already passed (that flow is tested on its own)."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def sign_in(user):
        client = Client()
        client.force_login(user)
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session["second_factor_at"] = time.time()  # just given: step-up pages do not ask again
        session.save()
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    """Each test starts with an empty cache of its own (rate-limit counters, the site's change stamp), so tests
    do not see each other's counters. With REDIS_URL it is the Redis cache the product runs on, under a key prefix
    of the test's own; otherwise the embedded default's file cache, in a folder of the test's own. Either way the
    workers a test starts share it (tests/workers.py)."""
    import uuid

    if settings.REDIS_URL:
        settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
    else:
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": str(tmp_path / "cache")}}


@pytest.fixture
def custodian(db):
    return _with_role("Records Custodian", username="custodian")


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """The test S3 server's address: the one .ci/run started, or one of this session's own."""
    from tests.s3_server import S3Server, moto_server_command

    endpoint = os.environ.get("SOCIALGOV_TEST_S3_ENDPOINT")
    if endpoint:
        yield endpoint
        return
    if moto_server_command() is None:
        skip_or_fail("moto_server is not installed (requirements-dev.txt)")
    server = S3Server(tmp_path_factory.mktemp("s3"))
    server.start()
    yield server.endpoint
    server.stop()


@pytest.fixture
def s3(settings, s3_endpoint, monkeypatch):
    """This test's stored files on S3: fresh buckets on the test S3 server (records and checkpoints with Object
    Lock), configured as production would be. Yields the environment a worker or web process needs for them."""
    from core.storage import create_buckets, stores
    from tests.s3_server import CREDENTIALS, bucket_names, s3_environment

    bucket, records_bucket = bucket_names()
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    settings.S3_BUCKET, settings.S3_RECORDS_BUCKET, settings.S3_ENDPOINT_URL = bucket, records_bucket, s3_endpoint
    settings.STORAGES = {
        **settings.STORAGES,
        **stores(
            bucket=bucket,
            records_bucket=records_bucket,
            endpoint_url=s3_endpoint,
            region=settings.S3_REGION,
            presigned_seconds=settings.S3_PRESIGNED_SECONDS,
        ),
    }
    create_buckets()
    return s3_environment(s3_endpoint, bucket, records_bucket)
