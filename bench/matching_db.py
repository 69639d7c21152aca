"""The matching bench through a database (bench/matching.py --db): fill a scratch database with the
synthetic cities, then time a first run, a rerun and one-city refreshes through the ORM."""

from __future__ import annotations

import os
import random
import statistics
import time

from synthetic import (
    COUNTRIES,
    LANGUAGES,
    PRIORITY_THEMES,
    REGIONS,
    ROOT,
    SUBREGIONS,
    THEMES,
    peak_rss_mb,
    synthetic_cities,
)


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

    from partnerships.matching.runs import city_proposals_refresh, matching_run_create, matching_run_execute
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
        # The refresh alone: the refreshes it queues for cities that lost a proposal to it are
        # tasks of their own (in the bench they would run inline, eagerly, and be counted here).
        city_proposals_refresh(city_id=city_id, trigger="bench", cascade=False)
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


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "travelsouth.settings")
    import django

    django.setup()


def worker_fill(count: int) -> dict:
    """The worker bench's first process: a scratch SQLite file with ``count`` synthetic cities."""
    path = ROOT / "var" / "bench" / f"matching-worker-{count}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    _setup(f"sqlite:///{path}")
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    _fill_database(count)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"path": str(path), "fill_seconds": time.perf_counter() - started}


def worker_run(path: str) -> dict:
    """The worker bench's second process, started fresh as a worker's pool process is: the
    ``partnerships.run_matching`` task's body for a queued run, and this process's peak memory."""
    _setup(f"sqlite:///{path}")
    from partnerships.models import MatchingRun
    from partnerships.tasks import run_matching

    before = peak_rss_mb()
    run = MatchingRun.objects.create(scope=MatchingRun.Scope.ALL, trigger="bench")
    started = time.perf_counter()
    run_matching.run(run_id=run.pk)
    seconds = time.perf_counter() - started
    run.refresh_from_db()
    return {
        "status": run.status,
        "seconds": seconds,
        "created": run.created_count,
        "candidates": run.candidate_count,
        "peak_rss_mb": peak_rss_mb(),
        "before_mb": before,
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
