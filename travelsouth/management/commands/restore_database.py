"""Restore a backup made by ``backup_database`` into the database DATABASE_URL names. ``make restore
FILE=...`` runs it. A database that already has tables is refused unless ``--replace`` is given: then
what the backup holds replaces what is there (pg_restore --clean)."""

import shutil
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup_database import postgres_environment


class Command(BaseCommand):
    help = "Restore a backup (backup_database) into the database; --replace to overwrite one in use."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path)
        parser.add_argument("--replace", action="store_true", help="Replace the tables already there.")

    def handle(self, *args, backup: Path, replace=False, **options):
        if not backup.is_file():
            raise CommandError(f"No backup at {backup}.")
        database = connection.settings_dict
        tables = connection.introspection.table_names()
        if tables and not replace:
            raise CommandError(
                f"The database {database['NAME']} already has {len(tables)} tables; restore into an "
                "empty database, or pass --replace to overwrite them."
            )
        connection.close()
        if connection.vendor == "postgresql":
            command = ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", database["NAME"]]
            if replace:
                command += ["--clean", "--if-exists"]
            finished = subprocess.run(
                [*command, str(backup)], env=postgres_environment(database), capture_output=True, text=True
            )
            if finished.returncode:
                raise CommandError(f"pg_restore failed: {finished.stderr.strip()}")
        elif connection.vendor == "sqlite":
            shutil.copyfile(backup, database["NAME"])
        else:
            raise CommandError(f"No restore for a {connection.vendor} database.")
        self.stdout.write(self.style.SUCCESS(f"Restored {backup} into {database['NAME']}."))
