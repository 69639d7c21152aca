"""Substring search through an index, for the admin's long lists (issue 19, goal 3).

The admin's own search (``icontains`` on each search field) reads every row. Here each searched table
has a trigram index over its searched columns, so "does this column contain this word?" is an index
look-up on both databases:

- PostgreSQL: pg_trgm GIN indexes on ``UPPER(column)`` (migration travelsouth 0004), the very
  expression Django's ``icontains`` compares, so a plain ``icontains`` filter uses them.
- SQLite: an FTS5 table with the trigram tokenizer per searched table, ``<table>_search``, kept in
  step with its table by triggers (inserts, deletes and updates of the searched columns, bulk writes
  included). ``MATCH '"word"'`` finds the rows where a column contains the word, case-insensitively.

A word shorter than three characters has no trigram (a two-character Chinese name, say): it is
matched with ``icontains``, which reads the whole (small) cities or people table on SQLite and the
whole index on PostgreSQL. Results are the same either way: tests/travelsouth/test_text_search.py.

SQLite rebuilds a table to alter it (new table, copy, drop, rename), and dropping a table drops its
triggers: ``ensure_search_tables`` runs after every ``migrate`` (post_migrate, travelsouth/apps.py)
and puts back whatever is missing, refilling a search table whose triggers were gone.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import connections, router
from django.db.models import Model, Q, QuerySet
from django.db.models.expressions import RawSQL

# The searched tables and columns: the cities' names, the people's names and e-mail addresses (the
# invitations list), and the invitations' last errors.
SEARCHED: dict[str, tuple[str, ...]] = {
    "cities_city": ("name", "name_es", "name_zh_hans"),
    "cities_person": ("full_name", "email"),
    "partnerships_invitation": ("last_error",),
}
SHORTEST_INDEXED_WORD = 3


def search_table(table: str) -> str:
    return f"{table}_search"


def rows_containing(model: type[Model], word: str) -> QuerySet:
    """``model``'s rows where one of its searched columns contains ``word`` (any case)."""
    table = model._meta.db_table
    connection = connections[router.db_for_read(model)]
    if connection.vendor == "sqlite" and len(word) >= SHORTEST_INDEXED_WORD:
        phrase = '"' + word.replace('"', '""') + '"'
        index = search_table(table)
        # The table name is ours (SEARCHED), never the visitor's; the word is a parameter.
        return model._default_manager.filter(
            pk__in=RawSQL(f'SELECT rowid FROM "{index}" WHERE "{index}" MATCH %s', [phrase])
        )
    return model._default_manager.filter(
        reduce(or_, (Q(**{f"{column}__icontains": word}) for column in SEARCHED[table]))
    )


def _sqlite_statements(table: str, columns: tuple[str, ...]) -> list[str]:
    index = search_table(table)
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    delete_old = f"INSERT INTO {index}({index}, rowid, {names}) VALUES ('delete', old.id, {old});"
    insert_new = f"INSERT INTO {index}(rowid, {names}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {index} USING fts5({names}, content='{table}', "
        f"content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER IF NOT EXISTS {index}_insert AFTER INSERT ON {table} BEGIN {insert_new} END",
        f"CREATE TRIGGER IF NOT EXISTS {index}_delete AFTER DELETE ON {table} BEGIN {delete_old} END",
        f"CREATE TRIGGER IF NOT EXISTS {index}_update AFTER UPDATE OF {names} ON {table} "
        f"BEGIN {delete_old} {insert_new} END",
    ]


def ensure_search_tables(using: str = "default") -> None:
    """On SQLite, create any missing search table or trigger and refill a table that missed writes
    (its triggers were gone). Nothing to do on PostgreSQL: its indexes come with migration 0004."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        existing = {
            name
            for (name,) in cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        }
        for table, columns in SEARCHED.items():
            if table not in existing:
                continue  # before the app's first migration
            index = search_table(table)
            wanted = {index, f"{index}_insert", f"{index}_delete", f"{index}_update"}
            if wanted <= existing:
                continue
            for statement in _sqlite_statements(table, columns):
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")


def drop_search_tables(using: str = "default") -> None:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in SEARCHED:
            index = search_table(table)
            for trigger in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {index}_{trigger}")
            cursor.execute(f"DROP TABLE IF EXISTS {index}")
