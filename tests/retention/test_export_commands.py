"""`manage.py export_records` and `manage.py verify_export`: the same exports from a terminal."""

import os
import subprocess
import sys
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from core.models import AuditEvent
from moderation import services as review
from posts import services as posts
from retention.models import ClassificationRule, Export, Record, RecordSeries, RetentionSchedule
from retention.public_records import attach_records, log_request
from tests.posts.factories import draft
from tests.retention.exported import fetch

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def records(author, channel, supervisor, custodian, django_capture_on_commit_callbacks):
    series = RecordSeries.objects.create(code="CW-026", title="Social media content")
    RetentionSchedule.objects.create(
        series=series,
        version=1,
        period=2,
        unit="years",
        trigger="publication",
        action="destroy",
        citation="CW-026",
        approved_by=custodian,
    )
    ClassificationRule.objects.create(kind="post", series=series, created_by=custodian)
    made = []
    for body in ("Monroe Street is closed for the parade.", "Coffee with a cop on Friday at the library."):
        post = draft(author, [channel], body=body)
        review.submit_for_review(actor=author, post=post)
        review.approve_post(actor=supervisor, post=post)
        with django_capture_on_commit_callbacks(execute=True):
            posts.publish_post(actor=author, post=post)
        made.append(Record.objects.get(source_type="posts.post", source_id=post.pk))
    return made


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_by_request_number_then_verify(records, custodian, tmp_path):
    request = log_request(actor=custodian, requester="Desert Sun", description="Parade posts", number="PRR-2026-7")
    attach_records(actor=custodian, request=request, records=records[:1])
    target = tmp_path / "prr-7.zip"
    out, _ = run(
        "export_records",
        "--request",
        "PRR-2026-7",
        "--purpose",
        "public",
        "--reason",
        "Answering PRR-2026-7",
        "--actor",
        "custodian",
        "--dat",
        "--out",
        str(target),
        "--no-progress",
    )
    export = Export.objects.get()
    assert export.status == "done" and export.purpose == "public" and export.request == request
    assert target.read_bytes() == fetch(export, tmp_path).read_bytes()
    assert f"1 records, {export.size} bytes, sha256 {export.sha256}" in out and str(target) in out
    names = zipfile.ZipFile(target).namelist()
    assert any(n.endswith("data/loadfile.dat") for n in names)
    # Copying the package out is a download, and audited as one.
    assert AuditEvent.objects.filter(verb="export.downloaded", actor_repr="custodian").count() == 1
    out, _ = run("verify_export", str(target))
    assert out.strip() == f"OK: 1 records, {len(zipfile.ZipFile(target).namelist()) - 1} files verified"


def test_export_a_search_by_id_with_filters(records, custodian, tmp_path):
    target = tmp_path / "search.zip"
    run(
        "export_records",
        "--query",
        "Monroe",
        "--series",
        "CW-026",
        "--channel",
        "news",
        "--kind",
        "post",
        "--from",
        "2000-01-01",
        "--reason",
        "Subpoena",
        "--actor",
        "custodian",
        "--out",
        str(target),
        "--no-progress",
    )
    export = Export.objects.get()
    assert export.purpose == "ediscovery" and export.done == 1
    assert export.query == {
        "q": "Monroe",
        "series": records[0].series_id,
        "channel": "news",
        "kind": "post",
        "date_from": "2000-01-01",
    }
    target.write_bytes(b"old")
    with pytest.raises(CommandError, match="--out .* already exists"):
        run("export_records", "--query", "Monroe", "--reason", "x", "--actor", "custodian", "--out", str(target))
    run(
        "export_records",
        "--query",
        "Monroe",
        "--reason",
        "again",
        "--actor",
        "custodian",
        "--out",
        str(target),
        "--force",
        "--no-progress",
    )
    assert zipfile.is_zipfile(target)


@pytest.mark.parametrize(
    "args, named",
    [
        (["--query", "Monroe", "--reason", "x", "--actor", "custodian"], "--out"),
        (["--query", "Monroe", "--reason", "x", "--out", "OUT"], "--actor"),
        (["--query", "Monroe", "--reason", "x", "--actor", "nobody", "--out", "OUT"], "--actor nobody"),
        (["--query", "Monroe", "--reason", "x", "--actor", "supervisor", "--out", "OUT"], "--actor supervisor"),
        (["--query", "Monroe", "--actor", "custodian", "--out", "OUT"], "--reason"),
        (["--reason", "x", "--actor", "custodian", "--out", "OUT"], "exactly one scope"),
        (
            ["--query", "Monroe", "--hold", "1", "--reason", "x", "--actor", "custodian", "--out", "OUT"],
            "--query and --hold",
        ),
        (["--hold", "77", "--reason", "x", "--actor", "custodian", "--out", "OUT"], "--hold 77"),
        (["--request", "PRR-0000-1", "--reason", "x", "--actor", "custodian", "--out", "OUT"], "--request PRR-0000-1"),
        (
            ["--query", "Monroe", "--from", "yesterday", "--reason", "x", "--actor", "custodian", "--out", "OUT"],
            "--from",
        ),
        (
            ["--query", "Monroe", "--series", "XX-1", "--reason", "x", "--actor", "custodian", "--out", "OUT"],
            "--series",
        ),
        (["--query", "Monroe", "--kind", "tweet", "--reason", "x", "--actor", "custodian", "--out", "OUT"], "--kind"),
        (
            ["--query", "Monroe", "--purpose", "gossip", "--reason", "x", "--actor", "custodian", "--out", "OUT"],
            "--purpose",
        ),
        (["--query", "Monroe", "--redact", "--reason", "x", "--actor", "custodian", "--out", "OUT"], "--redact"),
        (["--query", "no such words", "--reason", "x", "--actor", "custodian", "--out", "OUT"], "--query"),
        (["--query", "Monroe", "--reason", "x", "--actor", "custodian", "--out", "NOFOLDER/x.zip"], "--out"),
    ],
)
def test_bad_arguments_are_refused_naming_them_and_nothing_is_created(records, supervisor, tmp_path, args, named):
    args = [str(tmp_path / a) if a in ("OUT", "NOFOLDER/x.zip") else a for a in args]
    with pytest.raises(CommandError) as refused:
        run("export_records", *args)
    assert named in str(refused.value)
    assert not Export.objects.exists() and not (tmp_path / "OUT").exists()
    assert not any(Path(settings.EXPORT_ROOT).rglob("*.zip"))


def test_verify_export_names_the_altered_file(records, custodian, tmp_path):
    target = tmp_path / "a.zip"
    run(
        "export_records",
        "--query",
        "Monroe",
        "--reason",
        "x",
        "--actor",
        "custodian",
        "--out",
        str(target),
        "--no-progress",
    )
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(target) as old, zipfile.ZipFile(altered, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.endswith("data/records.jsonl"):
                data = data.replace(b"Monroe", b"Munroe")
            new.writestr(info, data)
    out = StringIO()
    with pytest.raises(CommandError, match="does not verify: 1 problem"):
        call_command("verify_export", str(altered), stdout=out)
    assert out.getvalue().startswith("data/records.jsonl: sha256 checksum mismatch (expected ")
    with pytest.raises(CommandError, match="no such file"):
        call_command("verify_export", str(tmp_path / "missing.zip"))
    (tmp_path / "notes.txt").write_text("not a zip")
    with pytest.raises(CommandError, match="not a ZIP file"):
        call_command("verify_export", str(tmp_path / "notes.txt"))


def test_verify_export_exit_status_from_a_shell(records, custodian, tmp_path):
    target = tmp_path / "a.zip"
    run(
        "export_records",
        "--query",
        "Monroe",
        "--reason",
        "x",
        "--actor",
        "custodian",
        "--out",
        str(target),
        "--no-progress",
    )
    env = {**os.environ, "SECRET_KEY": settings.SECRET_KEY or "x" * 50, "HTTPS": "0", "STATIC_MANIFEST": "0"}

    def verify(path):
        return subprocess.run(
            [sys.executable, "manage.py", "verify_export", str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    ok = verify(target)
    assert ok.returncode == 0 and ok.stdout.startswith("OK: 1 records")
    broken = tmp_path / "broken.zip"
    broken.write_bytes(target.read_bytes()[:-200])
    failed = verify(broken)
    assert failed.returncode != 0 and str(broken) in failed.stderr + failed.stdout
