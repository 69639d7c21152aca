"""The directory's and the library's pages walk an index in their display order (travelsouth
0005, ``ensure_display_order_indexes``) instead of sorting every row by a collation."""

import pytest
from django.db import connection
from django.utils import translation

from cities import selectors
from tests.conftest import skip_or_fail
from travelsouth.collation import ensure_display_order_indexes

pytestmark = pytest.mark.django_db

LANGUAGES = {"en": "en", "es": "es", "zh-hans": "zh_hans"}


def _plans() -> dict[str, str]:
    plans = {}
    for language, tag in LANGUAGES.items():
        with translation.override(language):
            pages = {
                f"city_directory_{tag}_idx": selectors.city_directory().values_list("pk", flat=True)[:24],
                f"practice_library_{tag}_idx": selectors.good_practice_library().values_list("pk", flat=True)[
                    :20
                ],
            }
        for index, page in pages.items():
            sql, params = page.query.sql_with_params()
            with connection.cursor() as cursor:
                prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
                cursor.execute(prefix + sql, params)
                plans[index] = " ".join(str(cell) for row in cursor.fetchall() for cell in row)
    return plans


def test_on_sqlite_each_languages_page_walks_its_index_without_sorting():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite plans; the PostgreSQL ones are the next test")

    plans = _plans()

    assert {
        index: index in plan and "TEMP B-TREE" not in plan for index, plan in plans.items()
    } == dict.fromkeys(plans, True), plans


def test_a_display_order_index_dropped_by_a_table_rebuild_is_put_back():
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX city_directory_en_idx")

    ensure_display_order_indexes()

    assert "city_directory_en_idx" in _plans()["city_directory_en_idx"] or connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'city_directory_en_idx'"
            )
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = 'city_directory_en_idx'")
        assert cursor.fetchall() == [("city_directory_en_idx",)]


@pytest.mark.services
def test_on_postgresql_each_languages_page_can_walk_its_index():
    if connection.vendor != "postgresql":
        skip_or_fail("DATABASE_URL does not point at PostgreSQL")
    if not getattr(connection, "travelsouth_icu", None):
        skip_or_fail("this PostgreSQL has no ICU collations")
    with connection.cursor() as cursor:
        # A handful of rows: the planner would sort them; this asks whether it can walk the index.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")

    plans = _plans()

    assert {index: index in plan for index, plan in plans.items()} == dict.fromkeys(plans, True), plans
