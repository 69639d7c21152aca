"""The synthetic cities of the matching bench (bench/matching.py): countries in regions, themes,
priorities, good practices, interests, named partners, languages and consent, drawn from a seed."""

from __future__ import annotations

import random
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from partnerships.matching.engine import CityFacts, InterestFacts, Practice  # noqa: E402  (after the path fix)

THEMES = 15
PRIORITY_THEMES = {
    1: frozenset({1, 2, 3, 4, 5, 6, 7, 8, 13, 14}),  # tourism: most themes, as in the report
    2: frozenset({9, 10, 11}),
    3: frozenset({4, 5, 12}),
    4: frozenset({5, 12, 15}),
    5: frozenset({6, 7, 8}),
    6: frozenset({4, 12, 13}),
    7: frozenset({14}),
}
COUNTRIES = 190
SUBREGIONS = 22
REGIONS = 5
LANGUAGES = 30


def country_regions(country: int) -> frozenset[int]:
    subregion = 1000 + country % SUBREGIONS
    return frozenset({100 + subregion % REGIONS, subregion})


def synthetic_cities(count: int, seed: int = 2021) -> dict[int, CityFacts]:
    """Cities with good practices, interests, priorities, named partners, languages and consent.
    A few cities are popular (many name them), as the showcased cities of the series were."""
    rng = random.Random(seed)
    popular = list(range(1, count + 1, max(count // 50, 1)))
    cities = {}
    for city_id in range(1, count + 1):
        country = rng.randrange(COUNTRIES)
        practices = tuple(
            Practice(
                id=city_id * 10 + number,
                themes=frozenset(rng.sample(range(1, THEMES + 1), rng.randint(1, 3))),
                presented_at_webinar=rng.random() < 0.4,
            )
            for number in range(rng.choice((0, 0, 1, 1, 2, 3)))
        )
        interest = None
        if rng.random() < 0.6:
            named = set()
            for _ in range(rng.choice((0, 0, 1, 1, 2))):
                named.add(rng.choice(popular) if rng.random() < 0.3 else rng.randint(1, count))
            named.discard(city_id)
            interest = InterestFacts(
                id=city_id,
                priorities=frozenset(rng.sample(sorted(PRIORITY_THEMES), rng.randint(0, 2))),
                themes_sought=frozenset(rng.sample(range(1, THEMES + 1), rng.randint(0, 3))),
                themes_offered=frozenset(rng.sample(range(1, THEMES + 1), rng.randint(0, 2))),
                partner_cities=frozenset(named),
                partner_countries=frozenset({rng.randrange(COUNTRIES)})
                if rng.random() < 0.1
                else frozenset(),
                partner_regions=frozenset({100 + rng.randrange(REGIONS)})
                if rng.random() < 0.05
                else frozenset(),
                working_languages=frozenset(rng.sample(range(LANGUAGES), rng.randint(0, 1))),
                survey_response=city_id if rng.random() < 0.3 else None,
            )
        cities[city_id] = CityFacts(
            id=city_id,
            country=country,
            regions=country_regions(country),
            is_global_south=rng.random() < 0.85,
            is_world_heritage=rng.random() < 0.1,
            languages=frozenset(rng.sample(range(LANGUAGES), rng.randint(1, 2))),
            has_consenting_contact=rng.random() < 0.5,
            practices=practices,
            interest=interest,
        )
    return cities


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
