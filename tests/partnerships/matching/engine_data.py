"""Plain-data builders for the matching engine's tests (no database)."""

import random

from partnerships.matching.engine import (
    CityFacts,
    InterestFacts,
    MatchingProblem,
    Practice,
    Rules,
    SurveyMention,
    Weights,
    pair_key,
)

# A small vocabulary: themes 1-6; priority 10 (tourism) is addressed by themes 1-3, priority 20 by 4-5.
PRIORITY_THEMES = {10: frozenset({1, 2, 3}), 20: frozenset({4, 5})}
MEXICO, CHINA, ITALY, BRAZIL = 1, 2, 3, 4
AMERICAS, ASIA, EUROPE = 100, 200, 300
REGIONS = {MEXICO: AMERICAS, CHINA: ASIA, ITALY: EUROPE, BRAZIL: AMERICAS}


def city(
    city_id: int,
    *,
    country: int = MEXICO,
    south: bool = True,
    heritage: bool = False,
    languages=(),
    consent: bool = True,
    practices=(),
    interest: InterestFacts | None = None,
) -> CityFacts:
    return CityFacts(
        id=city_id,
        country=country,
        regions=frozenset({REGIONS.get(country, 999)}),
        is_global_south=south,
        is_world_heritage=heritage,
        languages=frozenset(languages),
        has_consenting_contact=consent,
        practices=tuple(practices),
        interest=interest,
    )


def practice(practice_id: int, *themes: int, webinar: bool = False) -> Practice:
    return Practice(id=practice_id, themes=frozenset(themes), presented_at_webinar=webinar)


def interest(interest_id: int, **fields) -> InterestFacts:
    mentions = fields.pop("survey_mentions", {})
    return InterestFacts(
        id=interest_id,
        **{name: frozenset(values) for name, values in fields.items() if name != "survey_response"},
        survey_response=fields.get("survey_response"),
        survey_mentions={named: SurveyMention(*ids) for named, ids in mentions.items()},
    )


def problem(*cities: CityFacts, weights: Weights | None = None, **rules) -> MatchingProblem:
    pending = rules.pop("pending_pairs", frozenset())
    blocked = rules.pop("blocked_pairs", {})
    fixed_load = rules.pop("fixed_load", {})
    return MatchingProblem(
        cities={facts.id: facts for facts in cities},
        priority_themes=PRIORITY_THEMES,
        weights=weights or Weights(),
        rules=Rules(**rules),
        pending_pairs=frozenset(pending),
        blocked_pairs=blocked,
        fixed_load=fixed_load,
    )


def random_scores(rng: random.Random, *, cities: int, degree: float) -> dict[int, float]:
    """A random sparse candidate graph with integer scores, like the engine's (a few partners each)."""
    probability = min(1.0, degree / max(cities - 1, 1))
    return {
        pair_key(a, b): float(rng.randint(1, 20))
        for a in range(1, cities + 1)
        for b in range(a + 1, cities + 1)
        if rng.random() < probability
    }


def random_cities(rng: random.Random, count: int) -> list[CityFacts]:
    """Random cities with interests, priorities and good practices (for whole-engine properties)."""
    facts = []
    for city_id in range(1, count + 1):
        country = rng.choice([MEXICO, CHINA, ITALY, BRAZIL])
        practices = [
            practice(
                city_id * 10 + number, *rng.sample(range(1, 7), rng.randint(1, 2)), webinar=rng.random() < 0.4
            )
            for number in range(rng.randint(0, 2))
        ]
        wish = None
        if rng.random() < 0.7:
            wish = interest(
                city_id,
                priorities=rng.sample([10, 20], rng.randint(0, 2)),
                themes_sought=rng.sample(range(1, 7), rng.randint(0, 2)),
                partner_cities=[
                    other for other in rng.sample(range(1, count + 1), min(2, count)) if other != city_id
                ][: rng.randint(0, 2)],
                partner_countries=[rng.choice([MEXICO, CHINA, BRAZIL])] if rng.random() < 0.2 else [],
            )
        facts.append(
            city(
                city_id,
                country=country,
                south=country != ITALY,
                heritage=rng.random() < 0.3,
                languages=rng.sample(range(1, 4), 1),
                consent=rng.random() < 0.6,
                practices=practices,
                interest=wish,
            )
        )
    return facts
