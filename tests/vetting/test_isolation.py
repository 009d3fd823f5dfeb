"""Vetting files are personnel records: they never appear in the social media records' search or exports, and the
vetting app imports nothing of posts, moderation, retention or oversight (import-linter keeps that contract)."""

import zipfile

import pytest
from django.utils import timezone

from retention.models import Record
from retention.search import search_records
from tests.retention.test_export_commands import records, run  # noqa: F401  (a fixture and a helper)
from tests.vetting.conftest import add_finding, work_all_steps
from vetting import services

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5.4(d)")]

MARK = "Zanzibarquill"


def test_vetting_files_never_appear_in_records_search_or_exports(
    records,  # noqa: F811
    custodian,
    searcher,
    candidate,
    session,
    png_upload,
    tmp_path,
):
    before = Record.objects.count()
    finding = add_finding(searcher, candidate, f"Posted a video of a street race; the car says {MARK} on it.")
    photos = add_finding(searcher, candidate, f"Church choir photos with {MARK} on the banner.", capture=png_upload)
    work_all_steps(searcher, candidate)
    for flag in photos.flags.all():
        services.decide_flag(actor=searcher, flag=flag, decision="redacted", reason="Protected")
    services.validate_finding(actor=searcher, finding=finding, validated=True, method="second_source")
    report = services.release_report(actor=searcher, candidate=candidate, read_by_hand=True)
    assert MARK in str(report.body)  # the vetting report itself holds it

    assert Record.objects.count() == before  # vetting makes no social media record
    assert not search_records({"q": MARK}).exists()
    assert not search_records({"q": "Riley Ramos"}).exists()
    everything = search_records({"date_from": timezone.localdate().replace(year=2000, month=1, day=1)})
    assert {r.source_type for r in everything} == {"posts.post"}

    target = tmp_path / "everything.zip"
    run(
        "export_records",
        "--from",
        "2000-01-01",
        "--purpose",
        "ediscovery",
        "--reason",
        "Litigation hold review",
        "--actor",
        "custodian",
        "--out",
        str(target),
        "--no-progress",
    )
    with zipfile.ZipFile(target) as package:
        assert any(name.endswith(".json") or name.endswith(".html") for name in package.namelist())
        for name in package.namelist():
            data = package.read(name)
            assert MARK.encode() not in data and b"Riley Ramos" not in data, name
            assert photos.capture_sha256.encode() not in data, name
    assert len(records) == 2
