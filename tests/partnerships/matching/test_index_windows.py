"""A one-city refresh reads only its windows into the index buckets, as ranges of the matching index
in the database: they must be the windows the engine would take from the index of all cities
(candidates.window), however the index was kept (rebuilt whole, or one city rewritten)."""

import pytest

from cities.models import City
from partnerships.matching.engine import BucketIndex
from partnerships.matching.engine.candidates import invert, partners_of
from partnerships.matching.engine.signals import Profile
from partnerships.matching.index import city_buckets, index_city_replace, index_rebuild
from partnerships.matching.loading import load_city_facts, priority_themes
from partnerships.models import IndexEntry, Interest
from tests import factories
from webinars.models import AgendaItem, Webinar, WebinarSeries

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
            presented = number % 4 == 0
            speaker = factories.person(city=city)
            factories.good_practice(
                city_=city,
                themes=[themes[number % 3]],
                webinar=webinar if presented else None,
                speaker=speaker,
            )
            if presented:  # on the agenda for its city: the strongest signal
                AgendaItem.objects.create(
                    webinar=webinar, order=number + 1, kind="presentation", speaker=speaker, city=city
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


def _assert_windows_are_the_engines() -> int:
    """Compare every city's windows read from the index with the engine's; the number of cities
    whose buckets were larger than the cap."""
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
    return compared


def test_the_windows_read_from_the_index_are_the_engines_windows(crowded):
    index_rebuild(load_city_facts(), invert(priority_themes()))
    assert _assert_windows_are_the_engines() > 20  # most cities saw buckets larger than the cap


def test_rewriting_one_city_keeps_the_index_the_engines(crowded):
    world = crowded
    index_rebuild(load_city_facts(), invert(priority_themes()))
    # Morelia now offers e-commerce with a practice shown at a webinar, seeks something else, and
    # names a country; the hidden city is approved.
    series = WebinarSeries.objects.create(slug="t", title="T", organiser=factories.organisation())
    webinar = Webinar.objects.create(series=series, number=2, slug="x", title="X", broadcast_on="2021-02-01")
    factories.good_practice(city_=world.morelia, themes=[world.e_commerce], webinar=webinar)
    world.interest(world.morelia, themes_sought=[world.cooperation], partner_countries=[world.brazil])
    hidden = City.objects.get(name="Hidden")
    hidden.review_status = "approved"
    hidden.save(update_fields=["review_status"])
    themes_to_priorities = invert(priority_themes())
    for city in (world.morelia, hidden):
        index_city_replace(city.pk, load_city_facts(city_ids=[city.pk])[city.pk], themes_to_priorities)
    assert _assert_windows_are_the_engines() > 20
    entries = set(IndexEntry.objects.values_list("kind", "bucket", "city_id", "strength"))
    index_rebuild(load_city_facts(), themes_to_priorities)
    assert set(IndexEntry.objects.values_list("kind", "bucket", "city_id", "strength")) == entries

    # A city no longer approved leaves the index.
    world.morelia.review_status = "pending"
    world.morelia.save(update_fields=["review_status"])
    index_city_replace(world.morelia.pk, None, themes_to_priorities)
    assert not IndexEntry.objects.filter(city=world.morelia).exists()
    assert _assert_windows_are_the_engines() > 20
