"""Ordering by a name as the visitor reads it: in their language's column, by their language's rules.

On PostgreSQL the database sorts with its ICU collations (``es-x-icu``, ``zh-x-icu``: Chinese in pinyin
order, Spanish with "ñ" after "n" and accents ignored); they are looked up when a connection opens,
and a server built without ICU sorts by its default collation. On SQLite the same orders come from
collations registered on each connection (``travelsouth_es`` ...), whose keys are made in Python:
accents folded and "ñ" after "n" for Spanish and English, pinyin (pypinyin) for Chinese.
"""

from __future__ import annotations

import functools
import unicodedata

from django.db import connection
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Collate, NullIf
from pypinyin import Style, lazy_pinyin

from .i18n import column, interface_language, language_codes


def icu_collation(language: str) -> str:
    """The PostgreSQL ICU collation of an interface language: ``es-x-icu``, ``zh-x-icu`` (pinyin)."""
    return f"{language.split('-')[0]}-x-icu"


def sqlite_collation(language: str) -> str:
    """The SQLite collation standing for it: ``travelsouth_es``, ``travelsouth_zh``."""
    return f"travelsouth_{language.split('-')[0]}"


def _interface_language(language: str | None) -> str:
    return interface_language(language)


def _folded(text: str) -> str:
    """Case and accents folded; "ñ" kept apart and after "n" (Spanish)."""
    decomposed = unicodedata.normalize("NFD", text.casefold()).replace("n\u0303", "n\U0010ffff")
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@functools.lru_cache(maxsize=4096)
def sort_key(text: str, language: str) -> tuple:
    """The key that orders ``text`` for readers of ``language``: pinyin for Chinese (a name in Latin
    letters sorts among them by its letters), letters without accents otherwise."""
    if language == "zh-hans":
        syllables = lazy_pinyin(text, style=Style.TONE3, errors="default")
        return (tuple(_folded(syllable) for syllable in syllables), text)
    return (_folded(text), text)


def _compare(language: str, left: str | None, right: str | None) -> int:
    left_key, right_key = sort_key(left or "", language), sort_key(right or "", language)
    return (left_key > right_key) - (left_key < right_key)


def register_sqlite_collations(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver (travelsouth.apps): the collations ``display_order`` names."""
    if connection.vendor == "sqlite":
        for language in language_codes():
            connection.connection.create_collation(
                sqlite_collation(language), functools.partial(_compare, language)
            )
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT collname FROM pg_collation WHERE collname = ANY(%s)",
                [[icu_collation(language) for language in language_codes()]],
            )
            connection.travelsouth_icu = {row[0] for row in cursor.fetchall()}


def _collation(language: str) -> str | None:
    if connection.vendor == "sqlite":
        return sqlite_collation(language)
    if connection.vendor == "postgresql":
        name = icu_collation(language)
        return name if name in getattr(connection, "travelsouth_icu", set()) else None
    return None


_EMPTY = RawSQL("''", [])


def display_order(field: str, *, language: str | None = None, prefix: str = ""):
    """An ``order_by`` expression for a translated field (``name``, with ``name_es``, ``name_zh_hans``...):
    the text shown in ``language`` (default: the active one), falling back to the base text (English,
    or the original), in that language's order. ``prefix`` orders by a related row's field
    (``"country__"``)."""
    language = _interface_language(language)
    # '' written out, not a parameter: SQLite matches an ORDER BY to an index on an expression only
    # when the two are written alike (the display-order indexes below).
    shown = Coalesce(NullIf(F(f"{prefix}{column(field, language)}"), _EMPTY), F(f"{prefix}{field}"))
    collation = _collation(language)
    return (Collate(shown, collation) if collation else shown).asc()


def sorted_for_display(items, key, *, language: str | None = None) -> list:
    """``items`` in the order of their displayed text (``key(item)``) for readers of ``language``."""
    language = _interface_language(language)
    return sorted(items, key=lambda item: sort_key(key(item), language))


# --- indexes in the display orders -------------------------------------------------------------------
# One per language for the directory (cities by name) and the library (practices by year, then
# title): a page is an index walk instead of a sort of every row by a collation (on SQLite a Python
# function, some 70,000 calls for 10,000 cities). The expressions are the ones display_order writes.
# They are not in the models' Meta: the collations differ by database. SQLite drops them when a
# migration rebuilds the table, so they are put back after every migrate (travelsouth/apps.py).
_ORDERED = {  # index name prefix -> (table, columns before the name, the name's column, after)
    "city_directory": ("cities_city", "review_status", "name", "id"),
    "practice_library": ("cities_goodpractice", "status, year DESC", "title", "id"),
}


def _display_order_indexes(connection) -> list[tuple[str, str]]:
    if connection.vendor == "sqlite":
        collations = {language: sqlite_collation(language) for language in language_codes()}
    elif connection.vendor == "postgresql":
        wanted = {language: icu_collation(language) for language in language_codes()}
        with connection.cursor() as cursor:
            cursor.execute("SELECT collname FROM pg_collation WHERE collname = ANY(%s)", [list(wanted.values())])
            available = {row[0] for row in cursor.fetchall()}
        collations = {language: name for language, name in wanted.items() if name in available}
    else:
        return []
    indexes = []
    for language, collation in collations.items():
        for prefix, (table, before, base, after) in _ORDERED.items():
            shown = f"COALESCE(NULLIF({column(base, language)}, ''), {base})"
            indexes.append(
                (_index_name(prefix, language), f'ON {table} ({before}, ({shown} COLLATE "{collation}"), {after})')
            )
    return indexes


def _index_name(prefix: str, language: str) -> str:
    return f"{prefix}_{language.replace('-', '_')}_idx"


def ensure_display_order_indexes(using: str = "default") -> None:
    """Create whichever display-order index is missing (``IF NOT EXISTS``: cheap when all are there)."""
    from django.db import connections

    connection = connections[using]
    existing_tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for name, body in _display_order_indexes(connection):
            if body.split()[1] in existing_tables:
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} {body}")


def drop_display_order_indexes(using: str = "default") -> None:
    from django.db import connections

    with connections[using].cursor() as cursor:
        for prefix in _ORDERED:
            for language in language_codes():
                cursor.execute(f"DROP INDEX IF EXISTS {_index_name(prefix, language)}")
