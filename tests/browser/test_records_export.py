"""The records custodian answers a public-records request in real Chromium, with a real Celery worker building
the export: log the request, search, attach the results, start the export, watch it finish, download the ZIP —
and the ZIP is a valid BagIt bag by the `bagit` library and by `verify_export`."""

import re
import zipfile
from io import StringIO

import bagit
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from posts import services as posts
from posts.models import Post
from retention.models import Export, RecordsRequest
from retention.services import capture_post
from tests.workers import celery_worker

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_custodian_answers_a_request_with_a_verified_export(as_user, settings, tmp_path):
    call_command("seed_demo", verbosity=0)
    worker_env = {"EXPORT_DIR": str(settings.EXPORT_ROOT), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    with celery_worker(env_extra=worker_env):
        post = Post.objects.get(title="National Night Out", status="approved")
        posts.publish_post(actor=post.author, post=post)
        record = capture_post(post.pk)[0]  # the worker captures it too; capture is idempotent

        custodian = as_user("custodian")
        custodian.goto("/records/requests/")
        custodian.get_by_label(re.compile("^Requester")).first.fill("Desert Sun newsroom")
        custodian.get_by_label(re.compile("^Records asked for")).fill("Posts about National Night Out")
        custodian.get_by_role("button", name="Log request").click()
        expect(custodian.get_by_role("status")).to_contain_text("logged")
        request = RecordsRequest.objects.get(requester="Desert Sun newsroom")
        expect(custodian.get_by_role("heading", level=1)).to_contain_text(request.number)

        custodian.get_by_role("link", name="Find records").click()
        custodian.get_by_label("Words").fill("Night Out")
        custodian.get_by_role("button", name="Search", exact=True).click()
        result = custodian.get_by_role("row").filter(has_text=f"#{record.pk} National Night Out")
        expect(result).to_be_visible()
        expect(result.locator("mark").first).to_be_visible()  # the snippet highlights the words searched
        custodian.get_by_label("Request", exact=True).select_option(str(request.pk))
        custodian.get_by_role("button", name="Attach all results").click()
        expect(custodian.get_by_role("status")).to_contain_text(f"attached to request {request.number}")
        expect(custodian.get_by_role("region", name=re.compile("Records attached"))).to_contain_text(f"#{record.pk}")

        custodian.get_by_role("link", name="Start export").click()
        custodian.get_by_label("E-discovery (never redacted)").check()
        custodian.get_by_label(re.compile("^Why")).fill(f"Answering {request.number}")
        custodian.get_by_label(re.compile("Concordance DAT")).check()
        custodian.get_by_role("button", name="Start export").click()

        progress = custodian.locator("progress")
        expect(progress).to_be_visible()
        download_link = custodian.get_by_role("link", name="Download the ZIP")
        expect(download_link).to_be_visible(timeout=90_000)
        export = Export.objects.get()
        expect(progress).to_have_attribute("value", str(export.total))
        expect(progress).to_have_attribute("max", str(export.total))
        assert export.status == "done" and export.request == request and export.total >= 1
        with custodian.expect_download() as download:
            download_link.click()
        zip_path = tmp_path / "export.zip"
        download.value.save_as(zip_path)

    bag_dir = tmp_path / "bag"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(bag_dir)
    roots = [p for p in bag_dir.iterdir() if p.is_dir()]
    bag = bagit.Bag(str(roots[0] if len(roots) == 1 and not (bag_dir / "bagit.txt").exists() else bag_dir))
    bag.validate(processes=1)  # raises BagValidationError on any missing file or checksum mismatch
    assert bag.info["External-Identifier"] == request.number
    assert any(name.endswith(f"{record.pk}.html") for name in bag.payload_entries())

    out = StringIO()
    call_command("verify_export", str(zip_path), stdout=out)
    assert out.getvalue().startswith("OK")
    assert Export.objects.get().pk == export.pk
    from core.models import AuditEvent

    assert AuditEvent.objects.filter(verb="export.downloaded").count() == 1
