"""One city's index buckets, read from the database for a one-city refresh (see matching_io.py).

Members of the buckets the city seeks in (who offers the themes it seeks or that address its
priorities, who is in the countries and regions it named), seekers of the buckets it is a member
of (who seeks what it offers), and the cities that named it: 9 queries, whatever the number of
cities. The rows are light (ids and a strength); the engine takes its windows from them.
"""

from django.db.models import Exists, OuterRef, Q

from cities.models import City, GoodPractice, ReviewStatus

from .matching import BucketIndex
from .matching.candidates import COUNTRY, PRIORITY, REGION, THEME, invert
from .matching.signals import Profile
from .models import Interest


def _practice_strength():
    """2 when the city has a published practice presented at a webinar, 1 a published practice, else 0."""
    practices = GoodPractice.objects.filter(city=OuterRef("pk"), status=GoodPractice.Status.PUBLISHED)
    return Exists(practices.filter(webinar__isnull=False)), Exists(practices)


def city_buckets(profile: Profile, themes_of_priority: dict[int, frozenset[int]]) -> BucketIndex:
    """The index buckets of one city, read from the database: members of the buckets it seeks in,
    seekers of the buckets it is a member of, and the cities that named it (9 queries)."""
    interest = profile.interest
    approved = {"review_status": ReviewStatus.APPROVED}
    member_rows: list[tuple[tuple[str, int], int, int]] = []
    seeker_rows: list[tuple[tuple[str, int], int]] = []
    named_by_rows: list[tuple[int, int]] = []
    themes_to_priorities = invert(themes_of_priority)

    if interest is not None:
        wanted_themes = set(interest.themes_sought)
        for priority in interest.priorities:
            wanted_themes |= themes_of_priority.get(priority, frozenset())
        theme_offers: list[tuple[int, int, int]] = [
            (theme_id, city_id, 2 if webinar_id else 1)
            for theme_id, city_id, webinar_id in GoodPractice.themes.through.objects.filter(
                theme_id__in=wanted_themes,
                goodpractice__status=GoodPractice.Status.PUBLISHED,
                goodpractice__city__review_status=ReviewStatus.APPROVED,
            ).values_list("theme_id", "goodpractice__city_id", "goodpractice__webinar_id")
        ]
        theme_offers += [
            (theme_id, city_id, 0)
            for theme_id, city_id in Interest.themes_offered.through.objects.filter(
                theme_id__in=wanted_themes,
                interest__is_current=True,
                interest__city__review_status=ReviewStatus.APPROVED,
            ).values_list("theme_id", "interest__city_id")
        ]
        for theme_id, city_id, strength in theme_offers:
            if theme_id in interest.themes_sought:
                member_rows.append(((THEME, theme_id), city_id, strength))
            for priority in themes_to_priorities.get(theme_id, ()):
                if priority in interest.priorities:
                    member_rows.append(((PRIORITY, priority), city_id, strength))
        with_webinar, with_practice = _practice_strength()
        places = City.objects.filter(**approved).annotate(
            with_webinar=with_webinar, with_practice=with_practice
        )
        if interest.partner_countries:
            for country_id, city_id, webinar, practice in places.filter(
                country_id__in=interest.partner_countries
            ).values_list("country_id", "id", "with_webinar", "with_practice"):
                member_rows.append(((COUNTRY, country_id), city_id, 2 if webinar else int(practice)))
        if interest.partner_regions:
            regions = list(interest.partner_regions)
            for region_id, subregion_id, city_id, webinar, practice in places.filter(
                Q(country__region_id__in=regions) | Q(country__subregion_id__in=regions)
            ).values_list(
                "country__region_id", "country__subregion_id", "id", "with_webinar", "with_practice"
            ):
                for region in {region_id, subregion_id} & interest.partner_regions:
                    member_rows.append(((REGION, region), city_id, 2 if webinar else int(practice)))

    offered = profile.offered
    current = {"interest__is_current": True, "interest__city__review_status": ReviewStatus.APPROVED}
    seeker_rows += [
        ((THEME, theme_id), city_id)
        for theme_id, city_id in Interest.themes_sought.through.objects.filter(
            theme_id__in=offered, **current
        ).values_list("theme_id", "interest__city_id")
    ]
    addressed = {priority for theme in offered for priority in themes_to_priorities.get(theme, ())}
    seeker_rows += [
        ((PRIORITY, priority_id), city_id)
        for priority_id, city_id in Interest.priorities.through.objects.filter(
            developmentpriority_id__in=addressed, **current
        ).values_list("developmentpriority_id", "interest__city_id")
    ]
    seeker_rows += [
        ((COUNTRY, country_id), city_id)
        for country_id, city_id in Interest.partner_countries.through.objects.filter(
            country_id=profile.country, **current
        ).values_list("country_id", "interest__city_id")
    ]
    seeker_rows += [
        ((REGION, region_id), city_id)
        for region_id, city_id in Interest.partner_regions.through.objects.filter(
            region_id__in=list(profile.regions), **current
        ).values_list("region_id", "interest__city_id")
    ]
    named_by_rows += [
        (profile.id, city_id)
        for city_id in Interest.partner_cities.through.objects.filter(
            city_id=profile.id, **current
        ).values_list("interest__city_id", flat=True)
    ]
    return BucketIndex.from_rows(
        member_rows=member_rows,
        seeker_rows=seeker_rows,
        named_by_rows=named_by_rows,
        priority_themes=themes_of_priority,
    )
