"""An export survives its worker being killed mid-build: the sweeper queues it again once its heartbeat goes
stale, a new worker builds it from a clean start, and the package verifies with every record in it."""

import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone

from retention.exports.services import start_export
from retention.exports.tasks import sweep_exports_task
from retention.exports.verify import verify_package
from retention.models import Export, Record
from tests.retention.exported import fetch
from tests.workers import celery_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
RECORDS = 4000


def stored_records(n: int) -> list[int]:
    """n captured posts (capture itself is tested on its own); each hash is computed the way capture does."""
    now = timezone.now()
    rows = []
    for i in range(n):
        content = {"post_id": i, "title": f"Advisory {i}", "body": f"Road work on street {i}. " * 20}
        rows.append(
            Record(
                kind="post",
                source_type="posts.post",
                source_id=i,
                source_version="1",
                published_at=now,
                captured_at=now,
                channel_slugs=["news"],
                author_username="smo",
                title=content["title"],
                text=content["body"],
                content=content,
                sha256=Record.hash_of(content),
            )
        )
    return [r.pk for r in Record.objects.bulk_create(rows, batch_size=1000)]


def test_an_export_whose_worker_was_killed_is_built_again_and_verifies(custodian, settings, tmp_path):
    ids = stored_records(RECORDS)
    env = {"EXPORT_DIR": str(settings.EXPORT_ROOT), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    with celery_worker(env_extra=env) as queue:
        export = start_export(actor=custodian, purpose="ediscovery", reason="Counsel's demand", record_ids=ids)

        def writing():
            current = Export.objects.get(pk=export.pk)
            return current.status == "running" and current.done > 0

        assert wait_for(writing, timeout=60, interval=0.05)
        os.kill(queue.process.pid, signal.SIGKILL)
        queue.process.wait(timeout=10)
    killed = Export.objects.get(pk=export.pk)
    # Killed in any phase of the build (writing, checksumming or packaging): no package was delivered.
    assert killed.status == "running" and not killed.file_name, "the build finished before the kill"

    # A live builder's heartbeat is never taken over; ten minutes of silence later, the sweeper steps in.
    assert sweep_exports_task.apply().get()["requeued"] == []
    Export.objects.filter(pk=export.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=11))
    with celery_worker(queue=str(queue), env_extra=env):
        assert sweep_exports_task.apply().get()["requeued"] == [export.pk]
        assert wait_for(lambda: Export.objects.get(pk=export.pk).status == "done", timeout=120)

    export.refresh_from_db()
    assert (export.done, export.total) == (RECORDS, RECORDS)
    checked = verify_package(fetch(export, tmp_path))
    assert checked.ok, checked.problems
    assert checked.records == RECORDS
    assert not (settings.EXPORT_ROOT / "staging" / str(export.pk)).exists()
