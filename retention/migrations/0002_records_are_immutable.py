"""The database refuses to change or delete a record's captured content, whoever asks (ORM, admin, raw SQL).

PostgreSQL: UPDATE of the captured columns is refused unless the transaction declared itself a disposition
(SET LOCAL socialgov.disposition = 'on', which only the disposition service does); DELETE is always refused.
SQLite: UPDATE of the captured columns is refused (DELETE stays possible for the test suite's flushes).
"""

from django.db import migrations

GUARDED = ["kind", "source_type", "source_id", "source_version", "captured_at", "published_at", "channel_slugs",
           "author_username", "title", "text", "content", "sha256", "parent_id", "status"]

PG_FORWARD = """
CREATE OR REPLACE FUNCTION retention_record_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'records cannot be deleted; disposition leaves a tombstone' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF coalesce(current_setting('socialgov.disposition', true), '') <> 'on' AND (%(changed)s) THEN
        RAISE EXCEPTION 'record content is immutable (record %%)', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER retention_record_immutable BEFORE UPDATE OR DELETE ON retention_record
    FOR EACH ROW EXECUTE FUNCTION retention_record_guard();
""" % {"changed": " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in GUARDED)}

PG_REVERSE = """
DROP TRIGGER IF EXISTS retention_record_immutable ON retention_record;
DROP FUNCTION IF EXISTS retention_record_guard();
"""

SQLITE_FORWARD = (
    "CREATE TRIGGER retention_record_immutable BEFORE UPDATE OF "
    + ", ".join(GUARDED)
    + " ON retention_record BEGIN SELECT RAISE(ABORT, 'record content is immutable'); END;"
)
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS retention_record_immutable;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_records")]

    operations = [migrations.RunPython(forward, reverse)]
