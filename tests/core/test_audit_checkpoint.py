"""Signed checkpoints make the audit trail prove what it claims: `verify_audit` names, by sequence number, rows
altered, rows inserted and rows deleted after a checkpoint, refuses to trust a checkpoint file that was tampered
with, and stays clean on an untouched trail."""

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from core import checkpoints
from core.audit import record_event, verify_chain
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

# Empty, missing, IPv4, IPv6 (uncompressed, with a zone index, IPv4-mapped): what requests really leave.
ADDRESSES = ["", None, "192.0.2.7", "2001:0DB8:0000:0000:0000:0000:0000:0001", "fe80::1%eth0", "::ffff:c000:207"]


@pytest.fixture
def officer(django_user_model):
    # No roles or flags: giving those is itself audited, and the trail starts at seq 1 with this test's events.
    return django_user_model.objects.create_user("officer", "officer@police.example.gov", "x" * 16)


@pytest.fixture
def trail(officer):
    """Six events, seq 1 to 6."""
    events = [record_event(officer, f"test.event{i}", officer, details={"n": i}, ip=ADDRESSES[i]) for i in range(6)]
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]
    return events


def checkpoint_now() -> str:
    out = StringIO()
    call_command("audit_checkpoint", stdout=out)
    return out.getvalue()


def verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def verify_fails() -> str:
    with pytest.raises(CommandError) as failed:
        verify()
    return str(failed.value)


def files() -> list:
    folder = settings.AUDIT_CHECKPOINT_DIR
    return sorted(folder.glob("checkpoint-*.json")) if folder.exists() else []


def tamper(*statements):
    """Change rows as a database owner would, around the append-only trigger (rolled back with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS socialgov_auditevent_no_update")
        for sql, params in statements:
            cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def delete_seqs(*seqs):
    tamper(*[("DELETE FROM socialgov_auditevent WHERE seq = %s", [seq]) for seq in seqs])


# An untouched trail -----------------------------------------------------------------------------------------------


def test_an_untouched_trail_with_empty_and_ipv6_addresses_verifies_against_its_checkpoints(trail, officer):
    assert {e.ip for e in AuditEvent.objects.all()} >= {None, "2001:db8::1", "fe80::1", "::ffff:192.0.2.7"}
    assert "Checkpoint written: seq 6" in checkpoint_now()
    record_event(officer, "test.later", ip="")
    record_event(officer, "test.later", ip="2001:db8:85a3::8a2e:370:7334")
    assert "Checkpoint written: seq 8" in checkpoint_now()

    out = verify()
    assert "Audit trail intact: 8 events" in out
    assert "matches 2 checkpoint(s), the newest at seq 8" in out


def test_a_checkpoint_is_a_new_signed_file_named_by_seq_and_never_rewritten(trail, officer):
    checkpoint_now()
    (first,) = files()
    before = first.read_bytes()
    body = json.loads(before)
    assert first.name.startswith("checkpoint-000000000006-")
    assert body["seq"] == 6 and body["hash"] == trail[-1].hash and body["signature"]
    assert datetime.fromisoformat(body["written_at"]).tzinfo is not None

    assert "already names the newest event" in checkpoint_now()  # nothing new to vouch for: nothing written
    assert files() == [first]

    record_event(officer, "test.later")
    instant = datetime(2030, 1, 2, 3, 4, 5, 600000, tzinfo=UTC)
    taken = settings.AUDIT_CHECKPOINT_DIR / "checkpoint-000000000007-20300102T030405600000Z.json"
    taken.write_text("someone else's file")
    written, new = checkpoints.write_checkpoint(now=instant)
    assert new and written.seq == 7 and written.written_at == instant + timedelta(microseconds=1)
    assert taken.read_text() == "someone else's file"  # an existing name is never overwritten
    assert first.read_bytes() == before
    assert [f.name for f in files()] == [first.name, taken.name, written.name]  # in seq, then time, order


def test_an_empty_trail_gets_no_checkpoint_and_verifies():
    assert not AuditEvent.objects.exists()
    assert "empty: no checkpoint written" in checkpoint_now()
    assert files() == []
    assert "Audit trail intact: 0 events" in verify()


# Tampering, named by seq --------------------------------------------------------------------------------------------


def test_an_altered_row_is_named_by_its_seq(trail):
    checkpoint_now()
    victim = trail[2]
    tamper(("UPDATE socialgov_auditevent SET verb = %s WHERE id = %s", ["test.innocent", victim.pk]))
    message = verify_fails()
    assert "verification failed: altered seq 3." in message
    assert f"altered event id {victim.pk} (seq 3): its content no longer matches its hash" in message


def test_an_inserted_row_is_named_by_its_seq(trail, officer):
    checkpoint_now()
    forged = AuditEvent(
        seq=7,
        created_at=trail[-1].created_at,
        actor=officer,
        actor_repr="officer",
        verb="authorization.granted",
        prev_hash="f" * 64,
        details={},
    )
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)
    message = verify_fails()
    assert "verification failed: inserted seq 7." in message
    assert f"inserted event id {forged.pk} (seq 7): does not link to seq 6" in message


def test_a_row_deleted_from_the_middle_is_named_by_its_seq(trail):
    checkpoint_now()
    delete_seqs(3)
    message = verify_fails()
    assert "verification failed: missing seq 3." in message
    assert f"sequence jumps from 2 to 4 at event id {trail[3].pk}" in message


def test_the_newest_rows_deleted_after_a_checkpoint_are_named_by_seq(trail):
    assert verify_chain().ok
    checkpoint_now()
    delete_seqs(5, 6)
    assert verify_chain().ok  # the chain that is left is whole: only the checkpoint shows what is gone
    message = verify_fails()
    assert "verification failed: missing seq 5-6." in message
    assert "recorded the trail through seq 6, but the database ends at seq 4" in message

    checkpoint_now()
    checkpoint_now()
    assert len(files()) == 2  # the cut-back trail is signed once, like any other head
    assert "verification failed: missing seq 5-6." in verify_fails()  # and the first checkpoint still says so


def test_a_trail_cut_back_and_written_again_is_caught_at_the_checkpoint(trail, officer):
    checkpoint_now()
    delete_seqs(5, 6)
    record_event(officer, "test.rewritten")
    record_event(officer, "test.rewritten")
    assert verify_chain().ok and AuditEvent.objects.latest("seq").seq == 6
    message = verify_fails()
    assert "verification failed: missing seq 6." in message
    assert "this seq now has another hash" in message


def test_every_problem_is_reported_not_only_the_first(trail):
    checkpoint_now()
    tamper(
        ("UPDATE socialgov_auditevent SET details = %s WHERE seq = 2", ['{"n": 99}']),
        ("DELETE FROM socialgov_auditevent WHERE seq = 4", []),
        ("DELETE FROM socialgov_auditevent WHERE seq = 6", []),
    )
    message = verify_fails()
    assert "verification failed: altered seq 2; missing seq 4, seq 6." in message


# Checkpoint files that cannot be trusted -----------------------------------------------------------------------------


def test_a_tampered_checkpoint_file_is_reported_and_not_trusted(trail):
    checkpoint_now()
    (path,) = files()
    body = json.loads(path.read_text())
    body["seq"] = 9  # claims more events than were ever written
    path.chmod(0o644)
    path.write_text(json.dumps(body))
    message = verify_fails()
    assert "verification failed: 1 checkpoint file(s) not trusted." in message
    assert f"the checkpoint file {path.name} has a signature that does not verify" in message
    assert "not trusted" in message
    assert "missing" not in message  # its claim of seq 9 was not believed
    assert checkpoints.latest_checkpoint() is None


def test_unsigned_and_foreign_checkpoints_are_not_trusted(trail, settings):
    checkpoint_now()
    (good,) = files()
    unsigned = settings.AUDIT_CHECKPOINT_DIR / "checkpoint-000000000099-20300101T000000000000Z.json"
    body = json.loads(good.read_text())
    del body["signature"]
    unsigned.write_text(json.dumps({**body, "seq": 99, "written_at": "2030-01-01T00:00:00+00:00"}))
    settings.AUDIT_CHECKPOINT_KEY = "a key this server does not use"
    record_event("system", "test.later")
    checkpoints.write_checkpoint()  # signed with a key that is then taken away
    settings.AUDIT_CHECKPOINT_KEY = ""

    assert checkpoints.latest_checkpoint().name == good.name  # the newest one that verifies
    message = verify_fails()
    assert f"the checkpoint file {unsigned.name} is not signed" in message
    assert "signed with a key this server does not hold" in message
    assert "missing" not in message


def test_a_separate_key_signs_and_a_rotated_one_still_verifies(trail, settings):
    settings.AUDIT_CHECKPOINT_KEY = "old-checkpoint-key-0123456789"
    checkpoint_now()
    settings.AUDIT_CHECKPOINT_KEY = "new-checkpoint-key-0123456789,old-checkpoint-key-0123456789"
    assert "matches 1 checkpoint(s)" in verify()
    settings.AUDIT_CHECKPOINT_KEY = "new-checkpoint-key-0123456789"
    assert "has a signature that does not verify" in verify_fails()


# When checkpoints are written ---------------------------------------------------------------------------------------


def test_beat_writes_a_checkpoint_every_15_minutes_and_verifies_daily():
    from socialgov.celery import app

    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["core.tasks.write_checkpoint_task"] == timedelta(minutes=15)
    assert schedule["socialgov.tasks.verify_audit_trail_task"] == timedelta(days=1)
    app.loader.import_default_modules()
    assert {"core.tasks.write_checkpoint_task", "socialgov.tasks.verify_audit_trail_task"} <= set(app.tasks)


def test_the_checkpoint_task_signs_the_newest_event(trail):
    from core.tasks import write_checkpoint_task

    assert write_checkpoint_task.delay().get() == {"seq": 6, "written": True}
    assert write_checkpoint_task.delay().get() == {"seq": 6, "written": False}  # idempotent
    assert len(files()) == 1


def test_on_s3_checkpoints_are_locked_objects_that_verify(s3, db, settings):
    """With S3 configured the checkpoints go to the records bucket, each locked: S3 refuses to delete one."""
    import pytest as _pytest
    from botocore.exceptions import ClientError

    from core import storage
    from core.audit import record_event
    from core.checkpoints import latest_checkpoint, verify_trail, write_checkpoint

    record_event("system", "test.event", None, details={"n": 1})
    checkpoint, written = write_checkpoint()
    assert written and latest_checkpoint() == checkpoint
    assert verify_trail().ok
    store = storage.get("checkpoints")
    client, key = store.connection.meta.client, f"audit-checkpoints/{checkpoint.name}"
    head = client.head_object(Bucket=store.bucket_name, Key=key)
    assert head["ObjectLockMode"] == settings.RECORDS_LOCK_MODE
    with _pytest.raises(ClientError) as refused:
        client.delete_object(Bucket=store.bucket_name, Key=key, VersionId=head["VersionId"])
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
