"""Many machines, one deployment: two web processes and two workers started from deploy/bin, each in a folder of its
own with no folder shared, sharing only PostgreSQL, Redis and the S3 server (moto in server mode).

An attachment uploaded through web A is published by worker 1, which reads it from the bucket; worker 1 captures the
post as a record, its media a locked object version; worker 2 builds the export and web B hands it out; the package
verifies. The locked media cannot be deleted or replaced under its name; a legal hold keeps it; once the hold is
released and the (short, test) retention has passed, disposition removes every version.
"""

import hashlib
import time

import pytest
import requests
from botocore.exceptions import ClientError
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import storage as stores
from core.models import AuditEvent
from moderation import services as review
from posts import services as posts
from posts.models import Attachment, Channel, Publication
from posts.publishing.credential_services import set_channel_credentials
from retention import disposition, holds
from retention.exports.services import start_export
from retention.exports.verify import verify_package
from retention.models import (
    ClassificationRule,
    DispositionItem,
    Export,
    MediaBlob,
    Record,
    RecordSeries,
    RetentionSchedule,
)
from tests import workers
from tests.conftest import _png_bytes, skip_or_fail
from tests.integration.cluster import Web, Worker, running, shared_environment
from tests.posts.factories import draft
from tests.publishing.fakes import WebhookFake
from tests.workers import _route_all, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LOCK_SECONDS = 25  # the lock media is written with; the record is due at once, so this is all it keeps


@pytest.fixture
def deployment_needs(settings):
    if connection.vendor != "postgresql":
        skip_or_fail("machines share a PostgreSQL server (SQLite is one machine's file)")
    if not settings.REDIS_URL:
        skip_or_fail("machines share Redis (REDIS_URL)")


@pytest.fixture
def receiver():
    with WebhookFake() as fake:
        yield fake


@pytest.fixture
def city_hook(chief, receiver, settings):
    settings.CREDENTIALS_KEY = Fernet.generate_key().decode()
    channel = Channel.objects.create(
        name="City alerts", slug="city-alerts", kind="webhook", api_base_url=receiver.endpoint
    )
    set_channel_credentials(actor=chief, channel=channel, credentials={"secret": receiver.token})
    return channel


@pytest.fixture
def due_at_once(custodian):
    """Posts are filed under a series kept "until no longer of administrative value", reviewed today."""
    series = RecordSeries.objects.create(code="PIO-1", title="Public information posts")
    RetentionSchedule.objects.create(
        series=series, version=1, unit="administrative", review_on=timezone.localdate(), trigger="publication",
        action="destroy", citation="Test schedule", approved_by=custodian,
    )  # fmt: skip
    ClassificationRule.objects.create(kind="post", series=series, created_by=custodian)
    return series


def session_for(user) -> requests.Session:
    """A browser session for `user` on any of the web processes: the session lives in the shared database."""
    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session["second_factor_at"] = time.time()
    session.save()
    browser = requests.Session()
    browser.cookies.set(django_settings.SESSION_COOKIE_NAME, session.session_key)
    return browser


def csrf_token(browser: requests.Session, url: str) -> str:
    response = browser.get(url, timeout=30)
    assert response.status_code == 200, response.text[:500]
    return browser.cookies.get(django_settings.CSRF_COOKIE_NAME)


def send_tasks_to(queue: str):
    """What this test process queues goes to `queue` (a worker standing for one machine)."""
    from socialgov.celery import app

    _route_all(app, {"*": {"queue": queue}})


def test_two_web_machines_and_two_workers_share_only_the_database_redis_and_the_buckets(
    deployment_needs, s3, settings, tmp_path, author, supervisor, custodian, channel, city_hook, receiver, due_at_once
):
    from socialgov.celery import app

    env = shared_environment(
        database_url=workers.test_database_url(),
        redis_url=settings.REDIS_URL,
        s3=s3,
        SECRET_KEY=settings.SECRET_KEY,
        CREDENTIALS_KEY=settings.CREDENTIALS_KEY,
        RECORDS_LOCK_ROLLING_SECONDS=LOCK_SECONDS,
    )
    worker_1 = Worker(env=env, cwd=tmp_path / "worker-1")
    worker_2 = Worker(env=env, cwd=tmp_path / "worker-2")
    # Each web machine sends its work to one worker, so the test knows which machine did what.
    web_a = Web(env={**env, "CELERY_TASK_DEFAULT_QUEUE": worker_1.queue}, cwd=tmp_path / "web-a")
    web_b = Web(env={**env, "CELERY_TASK_DEFAULT_QUEUE": worker_2.queue}, cwd=tmp_path / "web-b")
    previous_routes = app.conf.task_routes
    try:
        with running(worker_1, worker_2, web_a, web_b):
            # 1. The Social Media Officer uploads a photo through web A.
            post = draft(author, [channel, city_hook], title="Lost dog found", body="A brown dog was found on Fred Waring Drive.")  # fmt: skip
            photo = _png_bytes(width=5, height=4)
            smo = session_for(author)
            token = csrf_token(smo, web_a.url(reverse("moderation:post_detail", args=[post.pk])))
            answer = smo.post(
                web_a.url(reverse("moderation:attachment_add", args=[post.pk])),
                data={"csrfmiddlewaretoken": token, "alt_text": "A brown dog sitting on a lawn"},
                files={"file": ("dog.png", photo, "image/png")},
                timeout=30,
                allow_redirects=False,
            )
            assert answer.status_code == 302, answer.text[:500]
            attachment = Attachment.objects.get(post=post)
            assert stores.get("default").exists(attachment.file.name)  # in the bucket, not web A's folder
            assert not any((tmp_path / "web-a" / "media").rglob("*.png"))

            # 2. Approved, then published by worker 1, which reads the photo from the bucket.
            review.submit_for_review(actor=author, post=post)
            review.approve_post(actor=supervisor, post=post)
            send_tasks_to(worker_1.queue)
            posts.publish_post(actor=author, post=post)
            assert wait_for(lambda: receiver.delivery_count() == 1, timeout=60), worker_1.describe()
            assert receiver.deliveries[0]["media"][0]["sha256"] == hashlib.sha256(photo).hexdigest()
            assert wait_for(
                lambda: not Publication.objects.filter(post=post).exclude(status="published").exists(), timeout=60
            )

            # 3. Worker 1 captured it: the record's media is a locked object version in the records bucket.
            assert wait_for(lambda: Record.objects.filter(source_id=post.pk, kind="post").exists(), timeout=60)
            record = Record.objects.get(source_id=post.pk, kind="post")
            blob = record.media.get()
            assert blob.version and blob.lock_mode == settings.RECORDS_LOCK_MODE
            records_store = blob.file.storage
            client, bucket = records_store.connection.meta.client, records_store.bucket_name
            head = client.head_object(Bucket=bucket, Key=blob.file.name, VersionId=blob.version)
            assert head["ObjectLockMode"] == settings.RECORDS_LOCK_MODE

            # 4. Worker 2 builds the export; web B hands it out; the package verifies.
            send_tasks_to(worker_2.queue)
            export = start_export(actor=custodian, purpose="ediscovery", reason="Claim 26-114", record_ids=[record.pk])
            assert wait_for(lambda: Export.objects.get(pk=export.pk).status in ("done", "failed"), timeout=120), (
                worker_2.describe()
            )
            export.refresh_from_db()
            assert export.status == "done", export.error
            assert "build_export_task[" in worker_2.log() and "build_export_task[" not in worker_1.log()
            records_officer = session_for(custodian)
            download = records_officer.get(
                web_b.url(reverse("retention:export_download", args=[export.pk])), timeout=60
            )
            assert download.status_code == 200, download.text[:500]
            package = tmp_path / "package.zip"
            package.write_bytes(download.content)
            assert hashlib.sha256(download.content).hexdigest() == export.sha256
            result = verify_package(package)
            assert result.ok, result.problems
            assert AuditEvent.objects.filter(verb="export.downloaded", object_id=str(export.pk)).exists()

            # 5. The locked media cannot be deleted, nor replaced by a write of ours under its name.
            with pytest.raises(ClientError) as refused:
                client.delete_object(Bucket=bucket, Key=blob.file.name, VersionId=blob.version)
            assert refused.value.response["Error"]["Code"] == "AccessDenied"
            with pytest.raises(ClientError) as taken:
                client.put_object(Bucket=bucket, Key=blob.file.name, Body=b"other bytes", IfNoneMatch="*")
            assert taken.value.response["Error"]["Code"] == "PreconditionFailed"

            # 6. A legal hold puts an Object Lock legal hold on it (set by a worker); releasing it removes it.
            hold = holds.place_hold(
                actor=custodian, matter="Claim 26-114", requested_by="City Attorney", reason="Litigation",
                records=[record],
            )  # fmt: skip

            def legal_hold() -> str:
                found = client.get_object_legal_hold(Bucket=bucket, Key=blob.file.name, VersionId=blob.version)
                return found.get("LegalHold", {}).get("Status", "OFF")  # never set: no hold

            assert wait_for(lambda: legal_hold() == "ON", timeout=60), worker_2.describe()
            holds.release_hold(actor=custodian, hold=hold, reason="Settled")
            assert wait_for(lambda: legal_hold() == "OFF", timeout=60), worker_2.describe()

        # 7. Once its lock has passed, disposition removes every version of it.
        blob.refresh_from_db()
        assert blob.locked_until is not None
        time.sleep(max(0.0, (blob.locked_until - timezone.now()).total_seconds()) + 1)
        summary = disposition.scan(as_of=timezone.localdate(), apply=True, actor=custodian)
        item = DispositionItem.objects.get(batch_id=summary["batch"], record=record)
        disposition.decide(actor=custodian, item=item, approve=True)
        batch = disposition.carry_out(actor=custodian, batch=item.batch)
        assert blob.version in batch.certificate_html
        assert stores.versions(records_store, blob.file.name) == []
        assert not MediaBlob.objects.filter(sha256=blob.sha256).exists()
    finally:
        _route_all(app, previous_routes)
