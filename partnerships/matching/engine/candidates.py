"""Candidate pairs without looking at all pairs: an index of buckets, and a capped window into each.

A bucket groups cities around one thing: a theme (cities offering it), a development priority
(cities offering a theme that addresses it), a country or a region (the cities in it). A city with
an interest *seeks* in the buckets its interest points at: the themes it seeks, its priorities, the
countries and regions it named. Its candidate partners are the cities it named plus, in each of its
buckets, a window of at most ``bucket_cap`` members: the strongest half of the bucket (a practice
presented at a webinar beats a practice, which beats a declared offer) and a slice of the rest that
starts at a place fixed by the seeker's id, so that seekers of one big bucket spread over all of
its members instead of all crowding the same few. The work is O(cities x buckets per interest x
cap): linear in the number of cities.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from .signals import Profile

Bucket = tuple[str, int]
THEME, PRIORITY, COUNTRY, REGION = "theme", "priority", "country", "region"


def seeker_buckets(profile: Profile) -> list[Bucket]:
    interest = profile.interest
    if interest is None:
        return []
    return [
        *((THEME, theme) for theme in sorted(interest.themes_sought)),
        *((PRIORITY, priority) for priority in sorted(interest.priorities)),
        *((COUNTRY, country) for country in sorted(interest.partner_countries)),
        *((REGION, region) for region in sorted(interest.partner_regions)),
    ]


def member_buckets(
    profile: Profile, themes_to_priorities: Mapping[int, frozenset[int]]
) -> Iterator[tuple[Bucket, int]]:
    """The buckets ``profile`` is a member of, each with the city's strength in it."""
    priority_strength: dict[int, int] = {}
    for theme, strength in profile.strength_by_theme.items():
        yield (THEME, theme), strength
        for priority in themes_to_priorities.get(theme, ()):
            priority_strength[priority] = max(priority_strength.get(priority, 0), strength)
    for priority, strength in priority_strength.items():
        yield (PRIORITY, priority), strength
    any_practice = max(profile.strength_by_theme.values(), default=0)
    yield (COUNTRY, profile.country), any_practice
    for region in profile.regions:
        yield (REGION, region), any_practice


def invert(priority_themes: Mapping[int, frozenset[int]]) -> dict[int, frozenset[int]]:
    themes_to_priorities: dict[int, set[int]] = {}
    for priority, themes in priority_themes.items():
        for theme in themes:
            themes_to_priorities.setdefault(theme, set()).add(priority)
    return {theme: frozenset(priorities) for theme, priorities in themes_to_priorities.items()}


class BucketIndex:
    """Members of every bucket some seeker looks at (strongest first, then by id), the seekers of
    each bucket (by id), and who named whom."""

    def __init__(
        self,
        members: dict[Bucket, list[int]],
        seekers: dict[Bucket, list[int]],
        named_by: dict[int, list[int]],
        themes_to_priorities: Mapping[int, frozenset[int]],
    ) -> None:
        self.members = members
        self.seekers = seekers
        self.named_by = named_by
        self.themes_to_priorities = themes_to_priorities

    @classmethod
    def build(cls, profiles: Iterable[Profile], priority_themes: Mapping[int, frozenset[int]]) -> BucketIndex:
        profiles = sorted(profiles, key=lambda profile: profile.id)
        seekers: dict[Bucket, list[int]] = {}
        named_by: dict[int, list[int]] = {}
        for profile in profiles:
            for bucket in seeker_buckets(profile):
                seekers.setdefault(bucket, []).append(profile.id)
            if profile.interest is not None:
                for partner in profile.interest.partner_cities:
                    named_by.setdefault(partner, []).append(profile.id)
        themes_to_priorities = invert(priority_themes)
        ranked: dict[Bucket, list[tuple[int, int]]] = {}
        for profile in profiles:
            for bucket, strength in member_buckets(profile, themes_to_priorities):
                if bucket in seekers:
                    ranked.setdefault(bucket, []).append((-strength, profile.id))
        members = {bucket: [city for _, city in sorted(rows)] for bucket, rows in ranked.items()}
        return cls(members, seekers, named_by, themes_to_priorities)


def mix(city_id: int) -> int:
    # Knuth's multiplicative hash: a fixed, well-spread starting place per city.
    return (city_id * 2654435761) & 0xFFFFFFFF


def window(members: list[int], city_id: int, cap: int) -> list[int]:
    """At most ``cap`` members: the strongest half, and a slice of the rest starting at a place
    fixed by ``city_id`` (wrapping around)."""
    count = len(members)
    if count <= cap:
        return members
    head = cap // 2
    span = cap - head
    rest = count - head
    start = head + mix(city_id) % rest
    end = start + span
    if end <= count:
        return members[:head] + members[start:end]
    return members[:head] + members[start:] + members[head : head + end - count]


def partners_of(profile: Profile, index: BucketIndex, cap: int, *, both_ways: bool = False) -> Iterator[int]:
    """The candidate partners of one city. A full run asks every city for its own (``both_ways``
    off): each pair a seeker finds is one candidate, found from the seeker's side. A one-city
    refresh also looks the other way (``both_ways``): the cities that named this one, and a window
    into the seekers of every bucket this city is a member of."""
    interest = profile.interest
    if interest is not None:
        yield from sorted(interest.partner_cities)
        for bucket in seeker_buckets(profile):
            yield from window(index.members.get(bucket, []), profile.id, cap)
    if both_ways:
        yield from index.named_by.get(profile.id, ())
        for bucket, _strength in member_buckets(profile, index.themes_to_priorities):
            yield from window(index.seekers.get(bucket, []), profile.id, cap)
