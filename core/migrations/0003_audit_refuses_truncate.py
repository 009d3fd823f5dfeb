"""PostgreSQL refuses TRUNCATE of the audit trail as well as UPDATE and DELETE.

TRUNCATE fires no row trigger, so the append-only trigger (socialgov 0002) never sees it; a statement trigger
does. A superuser is let through: it can switch any trigger off anyway (session_replication_role, DISABLE
TRIGGER), and Django empties a test database with one TRUNCATE of every table, as the superuser the test suite
connects as. The application connects as a role that owns no table and has no TRUNCATE privilege (README,
deploy/postgresql-app-role.sql), and the owner that runs migrations is refused by this trigger. SQLite has no
TRUNCATE.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION socialgov_audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only (TRUNCATE refused)' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER socialgov_auditevent_no_truncate
    BEFORE TRUNCATE ON socialgov_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION socialgov_audit_refuse_truncate();
"""
REVERSE = """
DROP TRIGGER IF EXISTS socialgov_auditevent_no_truncate ON socialgov_auditevent;
DROP FUNCTION IF EXISTS socialgov_audit_refuse_truncate();
"""


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL only (both ways); elsewhere it does nothing."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_auditverification")]

    operations = [PostgreSQLOnly(FORWARD, REVERSE)]
