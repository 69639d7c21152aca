"""Staff's edits of countries and cities in the admin, through the same change hook as every writer."""

from collections.abc import Iterable

from django.db import transaction

from ..changes import city_changed, matching_vocabulary_changed
from ..models import City, Country

# A country's fields that place its cities in matching's region buckets.
_REGION_FIELDS = {"region", "subregion", "is_global_south"}


@transaction.atomic
def country_save(*, country: Country, changed: Iterable[str] = ()) -> Country:
    """Save a country staff edited. Side effects: when its regions or its global-South status changed,
    the matching index is rebuilt after commit (its cities move to other buckets)."""
    country.full_clean()
    country.save()
    if country.pk and _REGION_FIELDS & set(changed):
        matching_vocabulary_changed()
    return country


@transaction.atomic
def city_save(*, city: City) -> City:
    """Save a city staff edited (its country, languages, World Heritage status... are matching
    signals). Side effects: the city's proposals are refreshed after commit."""
    city.full_clean()
    city.save()
    city_changed(city_id=city.pk)
    return city
