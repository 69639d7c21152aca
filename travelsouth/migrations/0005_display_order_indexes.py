"""Indexes in the directory's and the library's display orders, one per language
(travelsouth/collation.py, ``ensure_display_order_indexes``): SQLite with the collations every Django
connection registers (a connection without them, the sqlite3 shell, cannot write those two tables),
PostgreSQL with the ICU collations where the server has them."""

from django.db import migrations

from travelsouth.collation import drop_display_order_indexes, ensure_display_order_indexes


def create(apps, schema_editor):
    ensure_display_order_indexes(using=schema_editor.connection.alias)
    if schema_editor.connection.vendor == "sqlite":
        # Statistics for the new indexes: without them SQLite may prefer one of them to a foreign
        # key's index (a webinar's practices) and sort (PostgreSQL's autovacuum analyses by itself).
        schema_editor.execute("ANALYZE cities_city")
        schema_editor.execute("ANALYZE cities_goodpractice")


def drop(apps, schema_editor):
    drop_display_order_indexes(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("travelsouth", "0004_text_search_indexes")]

    operations = [migrations.RunPython(create, drop)]
