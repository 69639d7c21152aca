"""One city's index buckets, read from the database for a one-city refresh (see matching_io.py).

A refresh needs, for each bucket the city seeks in (who offers the themes it seeks or that address
its priorities, who is in the countries and regions it named), only the engine's window into that
bucket's members; and, for each bucket it is a member of, only the window into the bucket's seekers
(candidates.window: the first half of the ranked list, and a slice of the rest that starts at a
place fixed by the city's id). Big buckets hold thousands of cities at 10,000 cities, so the windows
are cut in SQL (ROW_NUMBER and COUNT over each bucket) and only at most ``bucket_cap`` rows per
bucket come back: 3 queries in all, whatever the number of cities.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from cities.models import City, Country, GoodPractice, ReviewStatus

from .matching import BucketIndex
from .matching.candidates import COUNTRY, PRIORITY, REGION, THEME, invert, mix
from .matching.signals import Profile
from .models import DevelopmentPriority, Interest

_KINDS = {1: THEME, 2: PRIORITY, 3: COUNTRY, 4: REGION}
_CODES = {kind: code for code, kind in _KINDS.items()}


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _in(values: Iterable[int]) -> tuple[str, list[int]]:
    values = sorted(value for value in set(values) if value is not None)
    return ", ".join(["%s"] * len(values)), values


def city_buckets(profile: Profile, themes_of_priority: dict[int, frozenset[int]], cap: int) -> BucketIndex:
    """The windows of one city into its buckets, read from the database (3 queries): members of the
    buckets it seeks in, seekers of the buckets it is a member of, and the cities that named it."""
    members = _windows(*_member_sql(profile), city_id=profile.id, cap=cap)
    seekers = _windows(*_seeker_sql(profile, themes_of_priority), city_id=profile.id, cap=cap)
    named_by = sorted(
        set(
            Interest.partner_cities.through.objects.filter(
                city_id=profile.id,
                interest__is_current=True,
                interest__city__review_status=ReviewStatus.APPROVED,
            ).values_list("interest__city_id", flat=True)
        )
    )
    return BucketIndex(
        members, seekers, {profile.id: named_by} if named_by else {}, invert(themes_of_priority)
    )


def _member_sql(profile: Profile) -> tuple[str, list]:
    """(kind, bucket, city, strength) for every member of the buckets ``profile`` seeks in. Strength:
    2 a published practice presented at a webinar, 1 a published practice, 0 an offer declared in
    the city's interest (for countries and regions: the city's best practice, whatever its theme).
    Each table is read once; the approval of the cities is checked once, on the grouped rows."""
    interest = profile.interest
    if interest is None:
        return "", []
    practices, cities = _table(GoodPractice), _table(City)
    published = GoodPractice.Status.PUBLISHED
    themes_of_priorities = _table(DevelopmentPriority.themes.through)
    offers: list[str] = []  # (theme, city, strength) for the themes sought or addressing a priority
    rows: list[str] = []
    params: list = []
    sought_marks, sought = _in(interest.themes_sought)
    priority_marks, priorities = _in(interest.priorities)
    if sought or priorities:
        either = " OR ".join(
            condition
            for condition, wanted in (
                (f"{{theme}} IN ({sought_marks})", sought),
                (
                    f"{{theme}} IN (SELECT theme_id FROM {themes_of_priorities}"
                    f" WHERE developmentpriority_id IN ({priority_marks}))",
                    priorities,
                ),
            )
            if wanted
        )
        offers.append(
            f"SELECT gt.theme_id, gp.city_id, CASE WHEN gp.webinar_id IS NULL THEN 1 ELSE 2 END"
            f" FROM {_table(GoodPractice.themes.through)} gt JOIN {practices} gp ON gp.id = gt.goodpractice_id"
            f" WHERE gp.status = %s AND ({either.format(theme='gt.theme_id')})"
        )
        params += [published, *sought, *priorities]
        offers.append(
            f"SELECT o.theme_id, i.city_id, 0 FROM {_table(Interest.themes_offered.through)} o"
            f" JOIN {_table(Interest)} i ON i.id = o.interest_id"
            f" WHERE i.is_current = %s AND ({either.format(theme='o.theme_id')})"
        )
        params += [True, *sought, *priorities]
        if sought:
            rows.append(
                f"SELECT {_CODES[THEME]}, theme, city, strength FROM offers WHERE theme IN ({sought_marks})"
            )
            params += sought
        if priorities:
            rows.append(
                f"SELECT {_CODES[PRIORITY]}, pt.developmentpriority_id, city, strength FROM offers"
                f" JOIN {themes_of_priorities} pt ON pt.theme_id = offers.theme"
                f" WHERE pt.developmentpriority_id IN ({priority_marks})"
            )
            params += priorities
    city_strength = (
        f"CASE WHEN EXISTS (SELECT 1 FROM {practices} gp WHERE gp.city_id = c.id AND gp.status = %s"
        f" AND gp.webinar_id IS NOT NULL) THEN 2 WHEN EXISTS (SELECT 1 FROM {practices} gp"
        " WHERE gp.city_id = c.id AND gp.status = %s) THEN 1 ELSE 0 END"
    )
    marks, ids = _in(interest.partner_countries)
    if ids:
        rows.append(
            f"SELECT {_CODES[COUNTRY]}, c.country_id, c.id, {city_strength} FROM {cities} c"
            f" WHERE c.country_id IN ({marks})"
        )
        params += [published, published, *ids]
    marks, ids = _in(interest.partner_regions)
    if ids:
        for column in ("region_id", "subregion_id"):
            rows.append(
                f"SELECT {_CODES[REGION]}, co.{column}, c.id, {city_strength} FROM {cities} c"
                f" JOIN {_table(Country)} co ON co.id = c.country_id WHERE co.{column} IN ({marks})"
            )
            params += [published, published, *ids]
    if not rows:
        return "", []
    with_offers = f"offers (theme, city, strength) AS ({' UNION ALL '.join(offers)}), " if offers else ""
    return f"{with_offers}rows_ (kind, bucket, city, strength) AS ({' UNION ALL '.join(rows)})", params


def _seeker_sql(profile: Profile, themes_of_priority: dict[int, frozenset[int]]) -> tuple[str, list]:
    """(kind, bucket, city, 0) for every seeker of the buckets ``profile`` is a member of: the cities
    whose current interest seeks a theme it offers, states a priority one of those themes addresses,
    or names its country or one of its regions."""
    themes_to_priorities = invert(themes_of_priority)
    addressed = {priority for theme in profile.offered for priority in themes_to_priorities.get(theme, ())}
    rows: list[str] = []
    params: list = []
    for code, through, column, wanted in (
        (_CODES[THEME], Interest.themes_sought.through, "theme_id", profile.offered),
        (_CODES[PRIORITY], Interest.priorities.through, "developmentpriority_id", addressed),
        (_CODES[COUNTRY], Interest.partner_countries.through, "country_id", [profile.country]),
        (_CODES[REGION], Interest.partner_regions.through, "region_id", profile.regions),
    ):
        marks, ids = _in(wanted)
        if ids:
            rows.append(
                f"SELECT {code}, {column}, interest_id FROM {_table(through)} WHERE {column} IN ({marks})"
            )
            params += ids
    if not rows:
        return "", []
    return (
        f"wanted (kind, bucket, interest) AS ({' UNION ALL '.join(rows)}),"
        f" rows_ (kind, bucket, city, strength) AS (SELECT w.kind, w.bucket, i.city_id, 0 FROM wanted w"
        f" JOIN {_table(Interest)} i ON i.id = w.interest WHERE i.is_current = %s)",
        [*params, True],
    )


def _windows(rows: str, params: list, *, city_id: int, cap: int) -> dict[tuple[str, int], list[int]]:
    """Each bucket's window for ``city_id``, in the order candidates.window gives it: the rows of
    approved cities ranked by strength (strongest first) then city id, the first ``cap // 2`` kept,
    and the slice of the rest that starts ``mix(city_id) % rest`` places after them, wrapping around."""
    if not rows:
        return {}
    head = cap // 2
    span = cap - head
    sql = f"""
        WITH {rows},
        best AS (
            SELECT r.kind, r.bucket, r.city, MAX(r.strength) AS strength
            FROM rows_ r JOIN {_table(City)} c ON c.id = r.city
            WHERE c.review_status = %s
            GROUP BY r.kind, r.bucket, r.city
        ),
        ranked AS (
            SELECT kind, bucket, city,
                   ROW_NUMBER() OVER (PARTITION BY kind, bucket ORDER BY strength DESC, city) - 1 AS pos,
                   COUNT(*) OVER (PARTITION BY kind, bucket) AS total
            FROM best
        )
        SELECT kind, bucket, city, pos, total FROM ranked
        WHERE total <= %s OR pos < %s
           OR ((pos - %s) - %s %% (total - %s) + (total - %s)) %% (total - %s) < %s
    """
    mixed = mix(city_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, ReviewStatus.APPROVED, cap, head, head, mixed, head, head, head, span])
        fetched = cursor.fetchall()
    windows: dict[tuple[str, int], list[tuple[tuple[int, int], int]]] = {}
    for code, bucket, city, pos, total in fetched:
        if total <= cap or pos < head:
            order = (0, pos)
        else:
            rest = total - head
            order = (1, (pos - head - mixed % rest) % rest)
        windows.setdefault((_KINDS[code], bucket), []).append((order, city))
    return {bucket: [city for _, city in sorted(rows)] for bucket, rows in windows.items()}
