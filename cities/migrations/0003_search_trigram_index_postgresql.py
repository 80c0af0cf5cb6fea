"""Trigram index for substring search on commune names, on PostgreSQL only.

`search_name LIKE '%chalon%'` cannot use a B-tree index; a GIN index with `gin_trgm_ops` can.
SQLite has no pg_trgm: there the search scans the 35k rows, which stays fast enough.
"""

from django.db import migrations

INDEX = "cities_commune_search_name_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON cities_commune USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0002_epci_search_name"),
    ]

    operations = [
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
