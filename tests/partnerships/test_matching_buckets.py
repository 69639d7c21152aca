"""A one-city refresh reads only its windows into the index buckets, cut in SQL: they must be the
windows the engine would take from the index of all cities (candidates.window)."""

import pytest

from partnerships.matching import BucketIndex
from partnerships.matching.candidates import partners_of
from partnerships.matching.signals import Profile
from partnerships.matching_buckets import city_buckets
from partnerships.matching_io import load_city_facts, priority_themes
from partnerships.models import Interest
from tests import factories
from webinars.models import Webinar, WebinarSeries

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded(world):
    """Buckets much larger than the cap: 30 more cities in three countries, with practices of every
    strength (presented at a webinar, published, declared only), interests in every kind of bucket,
    and a city that is not approved (never a member or seeker)."""
    series = WebinarSeries.objects.create(slug="s", title="S", organiser=factories.organisation())
    webinar = Webinar.objects.create(series=series, number=1, slug="w", title="W", broadcast_on="2021-01-01")
    countries = [world.mexico, world.china, world.brazil]
    themes = [world.heritage, world.cooperation, world.e_commerce]
    for number in range(30):
        city = factories.city(name=f"Crowd {number}", country_=countries[number % 3])
        if number % 5:
            factories.good_practice(
                city_=city, themes=[themes[number % 3]], webinar=webinar if number % 4 == 0 else None
            )
        world.interest(
            city,
            priorities=[world.tourism] if number % 2 else [],
            themes_sought=[themes[(number + 1) % 3]],
            themes_offered=[themes[(number + 2) % 3]] if number % 3 == 0 else [],
            partner_countries=[countries[(number + 1) % 3]] if number % 7 == 0 else [],
            partner_regions=[world.china.subregion] if number % 6 == 0 else [],
            partner_cities=[world.luoyang] if number % 8 == 0 else [],
        )
    hidden = factories.city(name="Hidden", country_=world.china, review_status="pending")
    factories.good_practice(city_=hidden, themes=[world.heritage], webinar=webinar)
    world.interest(world.morelia, priorities=[world.tourism], themes_sought=[world.heritage])
    world.interest(
        world.luoyang, themes_sought=[world.e_commerce], partner_countries=[world.mexico, world.brazil]
    )
    return world


def test_the_windows_cut_in_sql_are_the_engines_windows(crowded):
    facts = load_city_facts()
    themes_of_priority = priority_themes()
    profiles = {city: Profile(city_facts) for city, city_facts in facts.items()}
    everything = BucketIndex.build(profiles.values(), themes_of_priority)
    assert Interest.objects.filter(is_current=True).count() > 30

    compared = 0
    for cap in (2, 4, 7):
        for city, profile in profiles.items():
            expected = list(partners_of(profile, everything, cap, both_ways=True))
            read = list(
                partners_of(profile, city_buckets(profile, themes_of_priority, cap), cap, both_ways=True)
            )
            assert read == expected, (cap, facts[city])
            compared += len(expected) > cap
    assert compared > 20  # most cities saw buckets larger than the cap
