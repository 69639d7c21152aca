"""The matching index in the database, and one city's windows into it (for a one-city refresh).

A refresh needs, for each bucket the city seeks in (who offers the themes it seeks or that address
its priorities, who is in the countries and regions it named), only the engine's window into that
bucket's ranked members; and, for each bucket it is a member of, only the window into the bucket's
seekers (candidates.window: the first half of the ranked list, and a slice of the rest that starts
at a place fixed by the city's id). Big buckets hold thousands of cities at 10,000 cities.

So the index is kept as rows (IndexEntry: kind, bucket, city, strength) under an index ordered the
way the engine ranks a bucket (strongest first, then by city): a window is then one or two ranges of
that index. A refresh reads its windows in 2 queries (the sizes of its buckets, then the ranges),
whatever the size of the buckets.

The rows are derived from each city's facts by the engine's own definitions (candidates.member_buckets
and seeker_buckets), so the windows read here are the engine's by construction. They are written by
the matching alone, under the matching lock: a full run rewrites them all (``index_rebuild``), a
one-city refresh its own city's (``index_city_replace``), which is when that city's change reaches
the other cities' refreshes. Every service that changes what matching reads about a city schedules
that city's refresh. An empty index (a new database) is built by the first refresh that needs it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping

from django.db import connection, transaction

from cities.models import ReviewStatus

from ..models import IndexEntry, Interest, MatchingSettings
from .engine import BucketIndex, CityFacts
from .engine.candidates import COUNTRY, PRIORITY, REGION, THEME, invert, member_buckets, mix, seeker_buckets
from .engine.signals import Profile

Kind = IndexEntry.Kind
_MEMBER = {
    THEME: Kind.MEMBER_THEME,
    PRIORITY: Kind.MEMBER_PRIORITY,
    COUNTRY: Kind.MEMBER_COUNTRY,
    REGION: Kind.MEMBER_REGION,
}
_SEEKER = {
    THEME: Kind.SEEKER_THEME,
    PRIORITY: Kind.SEEKER_PRIORITY,
    COUNTRY: Kind.SEEKER_COUNTRY,
    REGION: Kind.SEEKER_REGION,
}
_NAME = {int(code): name for table in (_MEMBER, _SEEKER) for name, code in table.items()}
_MEMBER_CODES = {int(code) for code in _MEMBER.values()}

# SQLite allows 500 terms in one compound SELECT; a query here holds at most this many ranges.
_RANGES_PER_QUERY = 200


def matching_lock() -> None:
    """Take the matching lock (a row lock on the matching settings) until the transaction ends: one
    writer of proposals made by runs, and of the index, at a time."""
    MatchingSettings.objects.select_for_update().get_or_create(id=MatchingSettings.SINGLETON_ID)


def index_entries(
    city: CityFacts, themes_to_priorities: Mapping[int, frozenset[int]]
) -> Iterator[tuple[int, int, int, int]]:
    """(kind, bucket, city, strength) of every bucket ``city`` is a member or a seeker of."""
    profile = Profile(city)
    for (name, bucket), strength in member_buckets(profile, themes_to_priorities):
        if bucket is not None:  # a country without a sub-region
            yield int(_MEMBER[name]), bucket, city.id, strength
    for name, bucket in seeker_buckets(profile):
        yield int(_SEEKER[name]), bucket, city.id, 0


def _table() -> str:
    return connection.ops.quote_name(IndexEntry._meta.db_table)


def _insert(rows: Iterable[tuple[int, int, int, int]]) -> None:
    columns = f"{_table()} (kind, bucket, city_id, strength)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: a full run writes about ten entries per city, and row-by-row binding would cost
            # more than the run's own writes.
            with cursor.cursor.copy(f"COPY {columns} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            # In slices: a full run at 100,000 cities writes about a million entries, which as one
            # list of tuples would cost some 150 MB at the run's busiest moment.
            rows = iter(rows)
            while chunk := list(itertools.islice(rows, 10_000)):
                cursor.executemany(f"INSERT INTO {columns} VALUES (%s, %s, %s, %s)", chunk)


@transaction.atomic
def index_rebuild(
    cities: Mapping[int, CityFacts], themes_to_priorities: Mapping[int, frozenset[int]]
) -> None:
    """Rewrite the whole index from the facts of all approved cities (a full run's)."""
    matching_lock()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table()}")
    _insert(row for city in cities.values() for row in index_entries(city, themes_to_priorities))


@transaction.atomic
def index_city_replace(
    city_id: int, city: CityFacts | None, themes_to_priorities: Mapping[int, frozenset[int]]
) -> None:
    """Rewrite one city's entries from its facts (none when it is gone or no longer approved)."""
    matching_lock()
    IndexEntry.objects.filter(city_id=city_id).delete()
    if city is not None:
        _insert(index_entries(city, themes_to_priorities))


def index_is_empty() -> bool:
    return not IndexEntry.objects.exists()


def _ranges(total: int, city_id: int, cap: int) -> list[tuple[int, int]]:
    """candidates.window as (offset, count) ranges of a bucket's ranked list of ``total`` cities."""
    if total <= cap:
        return [(0, total)]
    head = cap // 2
    span = cap - head
    rest = total - head
    start = head + mix(city_id) % rest
    end = start + span
    if end <= total:
        return [(0, head), (start, span)]
    return [(0, head), (start, total - start), (head, end - total)]


def city_buckets(profile: Profile, themes_of_priority: dict[int, frozenset[int]], cap: int) -> BucketIndex:
    """The windows of one city into its buckets, read from the index (3 queries): members of the
    buckets it seeks in, seekers of the buckets it is a member of, and the cities that named it."""
    themes_to_priorities = invert(themes_of_priority)
    wanted = [(int(_MEMBER[name]), bucket) for name, bucket in seeker_buckets(profile)]
    wanted += [
        (int(_SEEKER[name]), bucket)
        for (name, bucket), _strength in member_buckets(profile, themes_to_priorities)
        if bucket is not None
    ]
    ranges = [
        (kind, bucket, offset, count)
        for (kind, bucket), total in sorted(_sizes(wanted).items())
        for offset, count in _ranges(total, profile.id, cap)
    ]
    members: dict[tuple[str, int], list[int]] = {}
    seekers: dict[tuple[str, int], list[int]] = {}
    for kind, bucket, city in _read(ranges):
        side = members if kind in _MEMBER_CODES else seekers
        side.setdefault((_NAME[kind], bucket), []).append(city)
    named_by = sorted(
        set(
            Interest.partner_cities.through.objects.filter(
                city_id=profile.id,
                interest__is_current=True,
                interest__city__review_status=ReviewStatus.APPROVED,
            ).values_list("interest__city_id", flat=True)
        )
    )
    return BucketIndex(members, seekers, {profile.id: named_by} if named_by else {}, themes_to_priorities)


def _sizes(wanted: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """How many cities each wanted bucket holds (buckets nobody is in are left out). One count per
    bucket: each is a range of the rank index, counted without reading the table."""
    sizes: dict[tuple[int, int], int] = {}
    wanted = sorted(set(wanted))
    for first in range(0, len(wanted), _RANGES_PER_QUERY):
        chunk = wanted[first : first + _RANGES_PER_QUERY]
        arms = [
            f"SELECT {number} AS arm, COUNT(*) FROM {_table()} WHERE kind = %s AND bucket = %s"
            for number in range(len(chunk))
        ]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(arms), [value for bucket in chunk for value in bucket])
            sizes.update((chunk[arm], total) for arm, total in cursor.fetchall() if total)
    return sizes


def _read(ranges: list[tuple[int, int, int, int]]) -> Iterator[tuple[int, int, int]]:
    """(kind, bucket, city) of each range of the rank index, range after range, in rank order."""
    for first in range(0, len(ranges), _RANGES_PER_QUERY):
        chunk = ranges[first : first + _RANGES_PER_QUERY]
        arms = []
        params: list[int] = []
        for number, (kind, bucket, offset, count) in enumerate(chunk):
            arms.append(
                f"SELECT * FROM (SELECT {number} AS arm, city_id, strength FROM {_table()}"
                " WHERE kind = %s AND bucket = %s ORDER BY strength DESC, city_id LIMIT %s OFFSET %s) AS r"
                f"{number}"
            )
            params += [kind, bucket, count, offset]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(arms), params)
            fetched = cursor.fetchall()
        # UNION ALL keeps no order of its own: put each range back in rank order.
        fetched.sort(key=lambda row: (row[0], -row[2], row[1]))
        for arm, city, _strength in fetched:
            kind, bucket, _offset, _count = chunk[arm]
            yield kind, bucket, city
