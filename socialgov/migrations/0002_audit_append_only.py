"""The database refuses to change or delete audit events, whoever asks.

PostgreSQL refuses UPDATE and DELETE (TRUNCATE stays an owner's maintenance operation, which the
hash chain still exposes). SQLite refuses UPDATE; a deleted row breaks the chain and verify_audit names it.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION socialgov_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER socialgov_auditevent_append_only
    BEFORE UPDATE OR DELETE ON socialgov_auditevent
    FOR EACH ROW EXECUTE FUNCTION socialgov_audit_refuse_change();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS socialgov_auditevent_append_only ON socialgov_auditevent;
DROP FUNCTION IF EXISTS socialgov_audit_refuse_change();
"""
SQLITE_FORWARD = """
CREATE TRIGGER socialgov_auditevent_no_update BEFORE UPDATE ON socialgov_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS socialgov_auditevent_no_update;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_REVERSE, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("socialgov", "0001_initial")]

    operations = [migrations.RunPython(forward, reverse)]
