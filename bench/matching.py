"""Benchmark of the matching engine (not a test: it prints figures and ratios).

    .venv/bin/python bench/matching.py                  # engine on plain data: 1k, 10k, 50k cities
    .venv/bin/python bench/matching.py --db             # also the whole run through a database, 1k and 10k
    .venv/bin/python bench/matching.py --sizes 1000 10000 --db-sizes 1000

Each size runs in its own process, so that its peak memory is its own. For every size it prints
the full-run time and the peak memory (the process's peak resident set, and how much the run added
to it), then the growth ratio t(10k)/t(1k) (target: at most 15, i.e. near-linear) and the time of a
one-city recomputation at 10,000 cities (target: under 1/100 of the full run there).

The one-city recomputation on plain data uses an index of all cities built beforehand, as the
database's indexes stand ready for the real refresh; the refresh itself only looks up the city's
buckets. ``--db`` measures the real thing: ``city_proposals_refresh`` through the ORM.

The database bench writes into a scratch SQLite file (var/bench/matching-<n>.sqlite3), or into the
database of ``--database-url`` (which it fills with synthetic cities: never point it at real data).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from partnerships.matching import (  # noqa: E402  (after the path fix, so the script runs from anywhere)
    BucketIndex,
    CityFacts,
    InterestFacts,
    MatchingProblem,
    Practice,
    pair_cities,
    pair_key,
    propose,
)
from partnerships.matching.signals import Profile  # noqa: E402

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


def engine_size(count: int, refreshes: int, repeat: int) -> dict:
    """One size, in this process: the full run (the best of ``repeat`` timings, as timeit does,
    since the others only add the machine's noise), then (optionally) one-city recomputations."""
    cities = synthetic_cities(count)
    problem = MatchingProblem(cities=cities, priority_themes=PRIORITY_THEMES)
    before = peak_rss_mb()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        outcome = propose(problem)
        timings.append(time.perf_counter() - started)
    seconds = min(timings)
    result = {
        "cities": count,
        "seconds": seconds,
        "timings": timings,
        "peak_rss_mb": peak_rss_mb(),
        "run_added_mb": peak_rss_mb() - before,
        "proposals": len(outcome.proposals),
        "candidates": outcome.candidate_count,
        "total_score": sum(proposal.score for proposal in outcome.proposals),
    }
    if refreshes:
        result.update(_refreshes(problem, outcome, refreshes))
    return result


def _refreshes(problem: MatchingProblem, outcome, refreshes: int) -> dict:
    # The proposals of the full run are now awaiting review; the index stands ready (as the
    # database's indexes do). Each refresh gets what the database would give it: the city's own
    # pending pairs and its partners' loads.
    started = time.perf_counter()
    index = BucketIndex.build((Profile(facts) for facts in problem.cities.values()), problem.priority_themes)
    index_seconds = time.perf_counter() - started
    pending_by_city: dict[int, list[int]] = {}
    load: dict[int, int] = {}
    for proposal in outcome.proposals:
        key = pair_key(proposal.city_a, proposal.city_b)
        for city in (proposal.city_a, proposal.city_b):
            pending_by_city.setdefault(city, []).append(key)
            load[city] = load.get(city, 0) + 1
    rng = random.Random(7)
    chosen = rng.sample([city for city, facts in problem.cities.items() if facts.interest], refreshes)
    times = []
    for city in chosen:
        own = pending_by_city.get(city, [])
        started = time.perf_counter()
        one_city = MatchingProblem(
            cities=problem.cities,
            priority_themes=problem.priority_themes,
            pending_pairs=frozenset(own),
            fixed_load=_LoadWithout(load, own, city),
        )
        propose(one_city, only_city=city, index=index)
        times.append(time.perf_counter() - started)
    return {
        "index_seconds": index_seconds,
        "refresh_median_seconds": statistics.median(times),
        "refresh_max_seconds": max(times),
        "refreshes": len(times),
    }


class _LoadWithout:
    """Each city's proposals awaiting review, without those of the city being recomputed: what the
    refresh's one aggregate query gives, looked up lazily."""

    def __init__(self, load: dict[int, int], own: list[int], city: int) -> None:
        self.load = load
        self.partners = {other for key in own for other in pair_cities(key) if other != city}

    def get(self, city: int, default: int = 0) -> int:
        return self.load.get(city, default) - (1 if city in self.partners else 0)


# --- through the database ---------------------------------------------------------------------------


def db_size(count: int, database_url: str | None) -> dict:
    if database_url is None:
        path = ROOT / "var" / "bench" / f"matching-{count}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        database_url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "travelsouth.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partnerships.matching_runs import city_proposals_refresh, matching_run_create, matching_run_execute
    from partnerships.models import Proposal

    call_command("migrate", verbosity=0)
    if database_url.startswith("postgres"):
        call_command("flush", "--noinput", verbosity=0)  # a scratch database: start empty
    started = time.perf_counter()
    city_ids = _fill_database(count)
    fill_seconds = time.perf_counter() - started
    # A live database keeps its planner statistics and visibility map current (autovacuum, or
    # SQLite's ANALYZE); a freshly bulk-filled one has none yet, and its plans would measure that
    # instead of the code.
    maintenance = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(maintenance)

    started = time.perf_counter()
    first = matching_run_execute(run=matching_run_create(trigger="bench"))
    first_seconds = time.perf_counter() - started
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        second = matching_run_execute(run=matching_run_create(trigger="bench"))
        second_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        # The runs wrote a proposal per city and the matching index: autovacuum would run now.
        cursor.execute(maintenance)
    rng = random.Random(3)
    times = []
    for city_id in rng.sample(city_ids, 10):
        started = time.perf_counter()
        city_proposals_refresh(city_id=city_id, trigger="bench")
        times.append(time.perf_counter() - started)
    return {
        "cities": count,
        "database": connection.vendor,
        "fill_seconds": fill_seconds,
        "first_run_seconds": first_seconds,
        "first_run": [
            first.created_count,
            first.updated_count,
            first.unchanged_count,
            first.superseded_count,
        ],
        "rerun_seconds": second_seconds,
        "rerun_queries": len(captured),
        "rerun": [
            second.created_count,
            second.updated_count,
            second.unchanged_count,
            second.superseded_count,
        ],
        "proposals": Proposal.objects.count(),
        "refresh_median_seconds": statistics.median(times),
        "peak_rss_mb": peak_rss_mb(),
    }


def _fill_database(count: int) -> list[int]:
    """The synthetic cities, written with bulk inserts (not through the services: it is a bench)."""
    from cities.models import City, Country, GoodPractice, Language, Person, Region, Theme
    from partnerships.models import DevelopmentPriority, Interest

    facts = synthetic_cities(count)
    regions = Region.objects.bulk_create(
        [Region(code=f"{100 + number}", name=f"Region {number}", level="region") for number in range(REGIONS)]
    )
    subregions = Region.objects.bulk_create(
        [
            Region(
                code=f"{500 + number}",
                name=f"Sub-region {number}",
                level="subregion",
                parent=regions[(1000 + number) % REGIONS],
            )
            for number in range(SUBREGIONS)
        ]
    )
    countries = Country.objects.bulk_create(
        [
            Country(
                iso_code=f"{chr(65 + number // 26)}{chr(65 + number % 26)}",
                name=f"Country {number}",
                region=regions[(1000 + number % SUBREGIONS) % REGIONS],
                subregion=subregions[number % SUBREGIONS],
            )
            for number in range(COUNTRIES)
        ]
    )
    themes = Theme.objects.bulk_create(
        [Theme(slug=f"theme-{n}", name=f"Theme {n}") for n in range(1, THEMES + 1)]
    )
    priorities = DevelopmentPriority.objects.bulk_create(
        [DevelopmentPriority(slug=f"priority-{p}", name=f"Priority {p}") for p in PRIORITY_THEMES]
    )
    for priority, theme_ids in zip(priorities, PRIORITY_THEMES.values(), strict=True):
        priority.themes.set([themes[theme - 1] for theme in theme_ids])
    languages = Language.objects.bulk_create(
        [Language(code=f"l{n}", name=f"Language {n}") for n in range(LANGUAGES)]
    )
    cities = City.objects.bulk_create(
        [
            City(
                slug=f"city-{city.id}",
                name=f"City {city.id}",
                country=countries[city.country],
                is_world_heritage_city=city.is_world_heritage,
            )
            for city in facts.values()
        ],
        batch_size=2000,
    )
    by_fact = {city.id: db_city for city, db_city in zip(facts.values(), cities, strict=True)}
    City.languages.through.objects.bulk_create(
        [
            City.languages.through(city_id=by_fact[city.id].pk, language_id=languages[language].pk)
            for city in facts.values()
            for language in city.languages
        ],
        batch_size=5000,
    )
    Person.objects.bulk_create(
        [
            Person(
                slug=f"person-{city.id}",
                full_name=f"Contact {city.id}",
                email=f"contact-{city.id}@bench.example",
                city=by_fact[city.id],
            )
            for city in facts.values()
            if city.has_consenting_contact
        ],
        batch_size=2000,
    )
    from django.utils import timezone

    Person.objects.update(contact_consent_given_at=timezone.now(), contact_consent_source="bench")
    practices = GoodPractice.objects.bulk_create(
        [
            GoodPractice(
                slug=f"practice-{practice.id}",
                city=by_fact[city.id],
                title=f"Practice {practice.id}",
                summary=".",
            )
            for city in facts.values()
            for practice in city.practices
        ],
        batch_size=2000,
    )
    fact_practices = [practice for city in facts.values() for practice in city.practices]
    GoodPractice.themes.through.objects.bulk_create(
        [
            GoodPractice.themes.through(goodpractice_id=db_practice.pk, theme_id=themes[theme - 1].pk)
            for practice, db_practice in zip(fact_practices, practices, strict=True)
            for theme in practice.themes
        ],
        batch_size=5000,
    )
    with_interest = [city for city in facts.values() if city.interest]
    interests = Interest.objects.bulk_create(
        [Interest(city=by_fact[city.id], source=Interest.Source.STAFF) for city in with_interest],
        batch_size=2000,
    )
    for relation, attribute, target in (
        ("priorities", "priorities", lambda value: priorities[value - 1].pk),
        ("themes_sought", "themes_sought", lambda value: themes[value - 1].pk),
        ("themes_offered", "themes_offered", lambda value: themes[value - 1].pk),
        ("partner_cities", "partner_cities", lambda value: by_fact[value].pk),
        ("partner_countries", "partner_countries", lambda value: countries[value].pk),
        ("partner_regions", "partner_regions", lambda value: regions[value - 100].pk),
        ("working_languages", "working_languages", lambda value: languages[value].pk),
    ):
        through = getattr(Interest, relation).through
        column = next(
            field.attname for field in through._meta.fields if field.attname not in ("id", "interest_id")
        )
        through.objects.bulk_create(
            [
                through(interest_id=interest.pk, **{column: target(value)})
                for city, interest in zip(with_interest, interests, strict=True)
                for value in getattr(city.interest, attribute)
            ],
            batch_size=5000,
        )
    # The database holds "global South" per country (the plain facts draw it per city): one country
    # in seven is outside it.
    Country.objects.filter(
        pk__in=[country.pk for number, country in enumerate(countries) if number % 7 == 0]
    ).update(is_global_south=False)
    return [by_fact[city.id].pk for city in with_interest]


# --- driver --------------------------------------------------------------------------------------------


def _child(arguments: list[str]) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, *arguments], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--db", action="store_true", help="Also run through the database.")
    parser.add_argument("--db-sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument(
        "--database-url", help="A scratch database to fill (default: a SQLite file per size)."
    )
    parser.add_argument("--refreshes", type=int, default=20, help="One-city recomputations timed at 10,000.")
    parser.add_argument(
        "--repeat", type=int, default=3, help="Full runs timed per size up to 10,000 (the best counts)."
    )
    parser.add_argument("--engine-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db-size", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()

    if arguments.engine_size:
        refreshes = arguments.refreshes if arguments.engine_size == 10_000 else 0
        repeat = arguments.repeat if arguments.engine_size <= 10_000 else 1
        print(json.dumps(engine_size(arguments.engine_size, refreshes, repeat)))
        return
    if arguments.db_size:
        print(json.dumps(db_size(arguments.db_size, arguments.database_url)))
        return

    print("Matching engine on plain data (one process per size)")
    print(
        f"{'cities':>8} {'full run (s)':>13} {'peak RSS (MB)':>14} {'run added (MB)':>15} {'candidates':>11} {'proposals':>10}"
    )
    engine = {}
    for size in arguments.sizes:
        result = _child(
            [
                "--engine-size",
                str(size),
                "--refreshes",
                str(arguments.refreshes),
                "--repeat",
                str(arguments.repeat),
            ]
        )
        engine[size] = result
        print(
            f"{size:>8} {result['seconds']:>13.2f} {result['peak_rss_mb']:>14.0f} {result['run_added_mb']:>15.0f} "
            f"{result['candidates']:>11} {result['proposals']:>10}"
        )
    if 1_000 in engine and 10_000 in engine:
        ratio = engine[10_000]["seconds"] / engine[1_000]["seconds"]
        print(f"growth t(10k)/t(1k) = {ratio:.1f}  (target <= 15: {'met' if ratio <= 15 else 'MISSED'})")
    if 10_000 in engine and "refresh_median_seconds" in engine[10_000]:
        ten = engine[10_000]
        share = ten["refresh_median_seconds"] / ten["seconds"]
        print(
            f"one-city recomputation at 10k: median {ten['refresh_median_seconds'] * 1000:.1f} ms, "
            f"max {ten['refresh_max_seconds'] * 1000:.1f} ms over {ten['refreshes']} cities "
            f"= 1/{1 / share:.0f} of the full run  (target < 1/100: {'met' if share < 0.01 else 'MISSED'})"
        )
        print(f"(the index of all 10k cities, built once beforehand, took {ten['index_seconds']:.2f} s)")

    if arguments.db:
        print()
        print("Whole run through the database (one process per size)")
        print(
            f"{'cities':>8} {'db':>10} {'fill (s)':>9} {'first run (s)':>14} {'rerun (s)':>10} {'rerun queries':>14} "
            f"{'refresh (ms)':>13} {'peak RSS (MB)':>14}"
        )
        database = {}
        for size in arguments.db_sizes:
            extra = ["--database-url", arguments.database_url] if arguments.database_url else []
            result = _child(["--db-size", str(size), *extra])
            database[size] = result
            print(
                f"{size:>8} {result['database']:>10} {result['fill_seconds']:>9.1f} {result['first_run_seconds']:>14.2f} "
                f"{result['rerun_seconds']:>10.2f} {result['rerun_queries']:>14} "
                f"{result['refresh_median_seconds'] * 1000:>13.0f} {result['peak_rss_mb']:>14.0f}"
            )
            print(
                f"{'':>8} first run new/updated/unchanged/superseded {result['first_run']}, rerun {result['rerun']}"
            )
        if 1_000 in database and 10_000 in database:
            ratio = database[10_000]["first_run_seconds"] / database[1_000]["first_run_seconds"]
            share = database[10_000]["refresh_median_seconds"] / database[10_000]["first_run_seconds"]
            print(
                f"growth t(10k)/t(1k) = {ratio:.1f}; one-city refresh at 10k = 1/{1 / share:.0f} of the full run"
            )


if __name__ == "__main__":
    main()
