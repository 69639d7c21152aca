"""Back up the database DATABASE_URL names: pg_dump's custom format for PostgreSQL, a consistent copy of
the file for SQLite. ``make backup`` runs it (``make backup COMPOSE=1`` backs up the compose stack's
database through its db container instead)."""

import datetime as dt
import os
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def postgres_environment(database: dict) -> dict[str, str]:
    """libpq's environment for ``database`` (so the password never shows in a process list)."""
    values = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database["NAME"],
    }
    return {**os.environ, **{name: value for name, value in values.items() if value}}


class Command(BaseCommand):
    help = "Back up the database (PostgreSQL: pg_dump --format=custom; SQLite: a copy of the file)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="The file to write (default: backups/<name>-<time>).")

    def handle(self, *args, output=None, **options):
        database = connection.settings_dict
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        if connection.vendor == "postgresql":
            output = output or Path("backups") / f"{database['NAME']}-{stamp}.dump"
            output.parent.mkdir(parents=True, exist_ok=True)
            finished = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(output)],
                env=postgres_environment(database),
                capture_output=True,
                text=True,
            )
            if finished.returncode:
                raise CommandError(f"pg_dump failed: {finished.stderr.strip()}")
        elif connection.vendor == "sqlite":
            output = output or Path("backups") / f"{Path(database['NAME']).stem}-{stamp}.sqlite3"
            output.parent.mkdir(parents=True, exist_ok=True)
            # SQLite's online backup: a consistent copy even while the portal writes.
            connection.ensure_connection()
            with sqlite3.connect(output) as copy:
                connection.connection.backup(copy)
            copy.close()
        else:
            raise CommandError(f"No backup for a {connection.vendor} database.")
        self.stdout.write(self.style.SUCCESS(f"Backed up to {output} ({output.stat().st_size:,} bytes)."))
