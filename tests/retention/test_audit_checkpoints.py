"""A finished export and a carried-out disposition are signed into an audit checkpoint once they commit; a
checkpoint that cannot be written never undoes them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core import checkpoints
from core.models import AuditEvent
from retention import disposition
from retention.exports.services import start_export
from retention.models import DispositionItem

pytestmark = pytest.mark.django_db


def newest_event():
    return AuditEvent.objects.order_by("-seq").first()


def due_batch(publish, custodian):
    record = publish(body="Coffee with a cop.")
    summary = disposition.scan(as_of=timezone.localdate() + timedelta(days=365 * 3), apply=True, actor=custodian)
    item = DispositionItem.objects.get(batch_id=summary["batch"], record=record)
    disposition.decide(actor=custodian, item=item, approve=True)
    return record, item.batch


def test_a_carried_out_disposition_is_signed_in_a_checkpoint(publish, custodian, django_capture_on_commit_callbacks):
    record, batch = due_batch(publish, custodian)
    with django_capture_on_commit_callbacks(execute=True):
        disposition.carry_out(actor=custodian, batch=batch)
    head = newest_event()
    assert head.verb == "disposition.carried_out"
    signed = checkpoints.latest_checkpoint()
    assert (signed.seq, signed.hash) == (head.seq, head.hash)


def test_a_finished_export_is_signed_in_a_checkpoint(publish, custodian, django_capture_on_commit_callbacks):
    record = publish(body="Road work on Monroe Street.")
    with django_capture_on_commit_callbacks(execute=True):
        export = start_export(actor=custodian, purpose="ediscovery", record_ids=[record.pk], reason="Production")
    export.refresh_from_db()
    assert export.status == "done", export.error
    head = newest_event()
    assert head.verb == "export.finished"
    signed = checkpoints.latest_checkpoint()
    assert (signed.seq, signed.hash) == (head.seq, head.hash)


def test_a_checkpoint_that_cannot_be_written_does_not_undo_the_disposition(
    publish, custodian, settings, tmp_path, django_capture_on_commit_callbacks
):
    record, batch = due_batch(publish, custodian)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the checkpoint folder should be")
    settings.AUDIT_CHECKPOINT_DIR = blocked
    with django_capture_on_commit_callbacks(execute=True):
        closed = disposition.carry_out(actor=custodian, batch=batch)
    closed.refresh_from_db()
    record.refresh_from_db()
    assert closed.status == "closed" and record.status == "destroyed"
    assert checkpoints.latest_checkpoint() is None
    assert "cannot be read (not a folder)" in str(checkpoints.verify_trail().problems[0])  # and verifying says so
