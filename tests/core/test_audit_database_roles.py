"""On PostgreSQL the application connects as a role that owns no table, with exactly the grants of
deploy/postgresql-app-role.sql (the README's production section): it appends to the audit trail the normal way,
and the database itself refuses it switching the append-only triggers off, emptying the trail or changing a row.
The table's owner, which could switch triggers off, is still refused TRUNCATE by a trigger."""

import re
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from core.audit import record_event, verify_chain
from core.models import AuditEvent
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
GRANTS = ROOT / "deploy" / "postgresql-app-role.sql"

# Another role sees only what is committed.
on_postgresql = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("database roles, privileges and TRUNCATE triggers are PostgreSQL's (set DATABASE_URL)")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def grant_statements(*, app_role: str, owner_role: str) -> list[str]:
    """The file's statements as psql runs them with -v app_role=... -v owner_role=... (:"name" is an identifier)."""
    text = "\n".join(line for line in GRANTS.read_text().splitlines() if not line.lstrip().startswith("--"))
    text = text.replace(':"app_role"', _quoted(app_role)).replace(':"owner_role"', _quoted(owner_role))
    assert not re.search(r":\"?\w+", text), "a psql variable the test does not fill in"
    return [statement.strip() for statement in text.split(";") if statement.strip()]


def _admin(*statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _current_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


@contextmanager
def new_role(prefix: str):
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    _admin(f"CREATE ROLE {_quoted(name)} LOGIN")
    try:
        yield name
    finally:
        _admin(f"DROP OWNED BY {_quoted(name)}", f"DROP ROLE {_quoted(name)}")


def raw_connection(role: str):
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=db["NAME"], user=role, host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432
    )


def refused(conn, statement: str) -> str:
    """Run `statement` in a transaction of its own, always rolled back; return the database's refusal."""
    try:
        with conn.cursor() as cursor:
            cursor.execute(statement)
    except psycopg2.Error as exc:
        return str(exc)
    finally:
        conn.rollback()
    pytest.fail(f"the database allowed: {statement}")


@contextmanager
def django_connected_as(role: str):
    """The product's own connection, signed in to the database as `role` (the normal path of every write)."""
    db = connection.settings_dict
    original = db.get("USER")
    connection.close()
    db["USER"] = role
    try:
        yield
    finally:
        connection.close()
        db["USER"] = original


@on_postgresql
def test_the_application_role_appends_to_the_trail_and_cannot_switch_off_empty_or_change_it(postgresql):
    owner = _current_user()
    record_event("system", "test.before", ip="")
    with new_role("socialgov_app") as app_role:
        _admin(*grant_statements(app_role=app_role, owner_role=owner))

        with django_connected_as(app_role):
            event = record_event("system", "test.as_the_application", details={"n": 1}, ip="2001:db8::1")
            get_user_model().objects.create_user("officer", "officer@police.example.gov", "x" * 16)
            assert verify_chain().ok

        raw = raw_connection(app_role)
        try:
            assert "must be owner of table socialgov_auditevent" in refused(
                raw, "ALTER TABLE socialgov_auditevent DISABLE TRIGGER ALL"
            )
            # Refused by the privileges themselves, not only by the append-only triggers behind them.
            for statement in (
                "TRUNCATE socialgov_auditevent",
                "UPDATE socialgov_auditevent SET verb = 'test.innocent'",
                "DELETE FROM socialgov_auditevent",
            ):
                assert "permission denied for table socialgov_auditevent" in refused(raw, statement), statement
            assert "permission denied to set parameter" in refused(raw, "SET session_replication_role = replica")
        finally:
            raw.close()

    assert list(AuditEvent.objects.values_list("verb", flat=True)) == ["test.before", "test.as_the_application"]
    assert AuditEvent.objects.get(pk=event.pk).hash == event.hash
    assert verify_chain().ok


@on_postgresql
def test_the_tables_owner_is_refused_truncate_of_the_trail(postgresql):
    superuser = _current_user()
    record_event("system", "test.kept")
    with new_role("socialgov_owner") as owner:
        _admin(f"ALTER TABLE socialgov_auditevent OWNER TO {_quoted(owner)}")
        try:
            raw = raw_connection(owner)
            try:
                assert "audit events are append-only (TRUNCATE refused)" in refused(
                    raw, "TRUNCATE socialgov_auditevent"
                )
            finally:
                raw.close()
        finally:
            _admin(f"ALTER TABLE socialgov_auditevent OWNER TO {_quoted(superuser)}")
    assert AuditEvent.objects.filter(verb="test.kept").count() == 1


def test_the_readme_shows_the_grants_the_file_holds():
    readme = (ROOT / "README.md").read_text()
    shown = re.search(r"which runs:\n\n```sql\n(.*?)```", readme, re.S)
    assert shown, "the README's production section shows the grants"
    statements = [" ".join(s.split()) for s in shown[1].split(";") if s.strip()]
    expected = grant_statements(app_role="socialgov_app", owner_role="socialgov_owner")
    assert statements == [" ".join(s.replace('"', "").split()) for s in expected]
    assert "deploy/postgresql-app-role.sql" in readme
