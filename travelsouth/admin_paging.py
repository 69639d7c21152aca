"""A paginator for the admin's long lists (proposals, invitations): pages read by id, counts estimated.

Django's admin pages with ``OFFSET``: for page 500 the database builds 50,000 full rows, joined to
every table the list shows, and throws them away. ``LeanPaginator`` reads a page's ids first (the
ordering's index alone: an index-only walk), then the page's rows by id. And an unfiltered list is
counted from the planner's statistics on PostgreSQL (``reltuples``, kept by autovacuum and ANALYZE)
rather than by a full COUNT; filtered lists, and SQLite, count for real, on ids only. The ModelAdmin
also sets ``show_full_result_count = False``, which saves the second, unfiltered COUNT.
"""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this many rows the real count is cheap and exact.
ESTIMATE_ABOVE = 50_000


class LeanPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        estimate = _estimated_rows(queryset) if not queryset.query.where else None
        if estimate is not None and estimate > ESTIMATE_ABOVE:
            return estimate
        return queryset.values("pk").order_by().count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = self.object_list.order_by().in_bulk(ids)
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def _estimated_rows(queryset) -> int | None:
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None
