"""PostgreSQL only: keep `search_vector` current with a trigger and index it with GIN.

A trigger (rather than code in save()) also covers bulk updates and admin edits. The
expression mirrors library/search.py: title A, summary B, body C, transcript D, with
the Norwegian configuration so "utgivelser" finds "utgivelse". SQLite skips this and
searches with icontains instead.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION library_resource_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('norwegian', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('norwegian', coalesce(NEW.summary, '')), 'B') ||
    setweight(to_tsvector('norwegian', coalesce(NEW.body, '')), 'C') ||
    setweight(to_tsvector('norwegian', coalesce(NEW.transcript, '')), 'D');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER library_resource_search_vector_update
  BEFORE INSERT OR UPDATE ON library_resource
  FOR EACH ROW EXECUTE FUNCTION library_resource_search_vector();
CREATE INDEX library_resource_search_gin ON library_resource USING gin (search_vector);
UPDATE library_resource SET title = title;
"""

BACKWARD = """
DROP INDEX IF EXISTS library_resource_search_gin;
DROP TRIGGER IF EXISTS library_resource_search_vector_update ON library_resource;
DROP FUNCTION IF EXISTS library_resource_search_vector();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
