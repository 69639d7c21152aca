"""Trigram indexes for the admin's search (travelsouth/text_search.py): pg_trgm GIN indexes on
PostgreSQL, FTS5 trigram tables kept by triggers on SQLite. Each backend gets only its own."""

from django.db import migrations

from travelsouth.text_search import SEARCHED, drop_search_tables, ensure_search_tables


def _postgres_index(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, columns in SEARCHED.items():
            for column in columns:
                # UPPER(column::text): the expression Django's icontains compares on PostgreSQL.
                schema_editor.execute(
                    f"CREATE INDEX IF NOT EXISTS {_postgres_index(table, column)} ON {table} "
                    f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
                )
    elif connection.vendor == "sqlite":
        ensure_search_tables(using=connection.alias)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for table, columns in SEARCHED.items():
            for column in columns:
                schema_editor.execute(f"DROP INDEX IF EXISTS {_postgres_index(table, column)}")
    elif connection.vendor == "sqlite":
        drop_search_tables(using=connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("travelsouth", "0003_roles_for_the_translation_queue_and_priority_links"),
        ("cities", "0016_text_size_limits_in_every_language"),
        ("partnerships", "0026_text_size_limits_in_every_language"),
    ]

    operations = [migrations.RunPython(create, drop)]
