"""Full-text search over records on PostgreSQL (retention/search.py).

A record's title and text never change after capture (only a disposition replaces them with a tombstone), so
their tsvector is computed once, as a stored generated column, and indexed with GIN: the title weighs more
(A) than the text (B) when results are ranked. A second index serves "newest first" — the record's publication
time, or its capture time when it has none — which orders unranked results, breaks ties between ranks and picks
the newest matches when there are too many to rank; a smaller one does the same for records of removed content.

Neither the column nor the indexes are part of the model: the column is read only through
`retention.search.StoredSearchVector`, and SQLite, which has no equivalent, searches with simple matching.
Adding a stored column rewrites the table once; on a large archive run this migration in a quiet hour.
"""

from django.db import migrations

PG_COLUMN = """
    ALTER TABLE retention_record ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(text, '')), 'B')
    ) STORED
"""

PG_INDEXES = {
    "retention_record_search": "CREATE INDEX retention_record_search ON retention_record USING gin (search_vector)",
    "retention_record_newest": "CREATE INDEX retention_record_newest ON retention_record "
                               "((COALESCE(published_at, captured_at)) DESC, id DESC)",
    # Records of removed content are few; without their own index, "removed" with a common word reads most of
    # the table. The condition is the one retention.search filters on.
    "retention_record_removed": "CREATE INDEX retention_record_removed ON retention_record "
                                "((COALESCE(published_at, captured_at)) DESC, id DESC) "
                                "WHERE kind = 'removed_comment' OR source_version::text LIKE '%:removed'",
}

PG_FORWARD = [PG_COLUMN, *PG_INDEXES.values(), "ANALYZE retention_record"]

PG_REVERSE = [*(f"DROP INDEX IF EXISTS {name}" for name in PG_INDEXES),
              "ALTER TABLE retention_record DROP COLUMN IF EXISTS search_vector"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_FORWARD:
            schema_editor.execute(statement, params=None)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_REVERSE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("retention", "0008_requests_exports")]

    operations = [migrations.RunPython(forward, reverse)]
