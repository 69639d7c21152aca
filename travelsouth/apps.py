from django.apps import AppConfig
from django.db.backends.signals import connection_created


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
