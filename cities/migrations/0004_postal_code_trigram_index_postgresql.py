"""Trigram index for the commune search by code, on PostgreSQL only (issue 13).

A code query ("71100", "71") asks `insee_code LIKE '71100%' OR postal_codes_text LIKE '71100%' OR
postal_codes_text LIKE '% 71100%'`. The B-tree pattern indexes answer the two prefixes, not the third (a postal
code after the first one), so PostgreSQL scanned the 35k communes (4–9 ms a query, EXPLAIN ANALYZE); with a GIN
trigram index on the postal codes the three patterns are index lookups (0.2–0.9 ms).
"""

from django.db import migrations

INDEXES = {"cities_commune_postal_codes_text_trgm": "postal_codes_text"}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON cities_commune USING gin ({column} gin_trgm_ops)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0003_search_trigram_index_postgresql"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
