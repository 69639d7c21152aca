from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class TravelSouthConfig(AppConfig):
    name = "travelsouth"
    verbose_name = "Travel South"

    def ready(self):
        from .pages import install_write_watch

        # Every connection's writes change the public pages' data version (travelsouth/pages.py).
        connection_created.connect(install_write_watch, dispatch_uid="travelsouth.pages.write_watch")

        from .collation import register_sqlite_collations

        # Each new database connection learns the collations that order names per language.
        connection_created.connect(register_sqlite_collations, dispatch_uid="travelsouth.collations")

        # SQLite drops a table's triggers and hand-made indexes when a migration rebuilds the table:
        # the search tables' triggers (travelsouth/text_search.py) and the display-order indexes
        # (travelsouth/collation.py) are put back after every migrate.
        post_migrate.connect(
            _search_tables_after_migrate, sender=self, dispatch_uid="travelsouth.text_search"
        )


def _search_tables_after_migrate(sender, using="default", **kwargs):
    # Also after every flush of a transactional test: one query, then checks that say IF NOT EXISTS.
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from .collation import ensure_display_order_indexes
    from .text_search import ensure_search_tables

    ensure_search_tables(using=using)
    if ("travelsouth", "0005_display_order_indexes") in MigrationRecorder(
        connections[using]
    ).applied_migrations():
        ensure_display_order_indexes(using=using)
