"""PostgreSQL only: trigram GIN indexes on the search index's folded words.

The site search matches every query word with `LIKE '% prefix%'` / `LIKE '%prefix%'` on
`title_terms` and `body_terms` (library/site_search.py). Without an index that is a sequential
scan of every index row for each search nobody asked before (the cached page hides it only for
repeated queries); pg_trgm's GIN operator class answers both patterns from the index. pg_trgm
is a trusted extension (PostgreSQL 13+): the database's owner may create it without being a
superuser. SQLite skips this (its index is small enough to scan; see docs/library.md).
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS search_entry_title_trgm ON library_searchentry USING gin (title_terms gin_trgm_ops);
CREATE INDEX IF NOT EXISTS search_entry_body_trgm ON library_searchentry USING gin (body_terms gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS search_entry_title_trgm;
DROP INDEX IF EXISTS search_entry_body_trgm;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("library", "0006_search_entry")]

    operations = [migrations.RunPython(forward, backward)]
