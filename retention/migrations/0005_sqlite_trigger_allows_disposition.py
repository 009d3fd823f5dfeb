"""On SQLite the immutability trigger now lets a disposition (and only a disposition, which holds a permit row
inside its own transaction) replace record content with a tombstone."""

from django.db import migrations

GUARDED = ["kind", "source_type", "source_id", "source_version", "captured_at", "published_at", "channel_slugs",
           "author_username", "title", "text", "content", "sha256", "parent_id", "status"]

FORWARD = (
    "CREATE TRIGGER retention_record_immutable BEFORE UPDATE OF " + ", ".join(GUARDED)
    + " ON retention_record WHEN (SELECT count(*) FROM retention_dispositionpermit) = 0"
    + " BEGIN SELECT RAISE(ABORT, 'record content is immutable'); END;"
)
BEFORE = (
    "CREATE TRIGGER retention_record_immutable BEFORE UPDATE OF " + ", ".join(GUARDED)
    + " ON retention_record BEGIN SELECT RAISE(ABORT, 'record content is immutable'); END;"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS retention_record_immutable;")
        schema_editor.execute(FORWARD)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS retention_record_immutable;")
        schema_editor.execute(BEFORE)


class Migration(migrations.Migration):
    dependencies = [("retention", "0004_disposition_permit")]

    operations = [migrations.RunPython(forward, reverse)]
