import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from core.audit import record_event, verify_chain
from core.models import GENESIS_HASH, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(django_user_model):
    # An actor without roles or flags: giving those is itself audited, and this chain starts at the genesis.
    officer = django_user_model.objects.create_user("officer", "officer@police.example.gov", "x" * 16)
    return [record_event(officer, f"test.event{i}", officer, details={"n": i}) for i in range(5)]


def run_verify():
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def _without_guard(sql, params=()):
    """Tamper as a database owner would: around the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser's session can switch user triggers off; the hash chain still exposes the change.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = origin")
        else:
            cursor.execute("DROP TRIGGER socialgov_auditevent_no_update")
            cursor.execute(sql, params)


def test_chain_links_each_event_to_the_one_before(chain):
    assert chain[0].prev_hash == GENESIS_HASH
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.prev_hash == before.hash
        assert after.seq == before.seq + 1
    report = verify_chain()
    assert report.ok and report.count == 5 and report.head == chain[-1].hash
    assert "intact: 5 events" in run_verify()


def test_verify_audit_names_an_altered_row(chain):
    victim = chain[2]
    _without_guard("UPDATE socialgov_auditevent SET verb = %s WHERE id = %s", ["test.innocent", victim.pk])
    with pytest.raises(CommandError) as broken:
        run_verify()
    assert f"event id {victim.pk} (seq {victim.seq})" in str(broken.value)
    assert "altered" in str(broken.value)


def test_verify_audit_detects_a_deleted_row(chain):
    victim = chain[1]
    _without_guard("DELETE FROM socialgov_auditevent WHERE id = %s", [victim.pk])
    with pytest.raises(CommandError) as broken:
        run_verify()
    assert f"event id {chain[2].pk}" in str(broken.value)


def test_verify_audit_detects_an_inserted_row(chain, chief):
    forged = AuditEvent(
        seq=AuditEvent.objects.order_by("-seq").first().seq + 1,
        created_at=chain[-1].created_at,
        actor=chief,
        actor_repr="chief",
        verb="authorization.granted",
        prev_hash="f" * 64,
        details={},
    )
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)
    report = verify_chain()
    assert not report.ok and report.broken.event_id == forged.pk


def test_database_refuses_updates_to_audit_events(chain):
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        AuditEvent.objects.filter(pk=chain[0].pk).update(verb="changed")
    chain[0].refresh_from_db()
    assert chain[0].verb == "test.event0"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps DELETE for test flushes; PostgreSQL refuses it"
)
def test_postgresql_refuses_deletes_of_audit_events(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=chain[0].pk).delete()
    assert AuditEvent.objects.count() == 5


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (SQLite has one writer)"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(chief):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def write(n):
        try:
            for i in range(10):
                with transaction.atomic():
                    record_event(chief, "test.concurrent", details={"writer": n, "i": i})
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, range(4)))
    report = verify_chain()
    assert report.ok, report.broken
    assert AuditEvent.objects.filter(verb="test.concurrent").count() == 40
