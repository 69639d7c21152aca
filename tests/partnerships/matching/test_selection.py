"""The selection: close to the exact optimum, better than each city taking its own top k, and the
properties every output must have."""

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerships.matching.engine import Rules, pair_cities, pair_key, propose, select
from partnerships.matching.engine.signals import Profile, exclusion, reach_rank, score_parts

from .engine_data import problem, random_cities, random_scores
from .exact_matching import optimal_total, per_city_top_k

# Random instances: (seed, number of cities up to 40, proposals per city, partners per city).
INSTANCES = [
    (seed, rng.randint(6, 40), rng.randint(1, 3), rng.uniform(3, 7))
    for seed, rng in ((seed, random.Random(seed)) for seed in range(60))
]


def total(scores, chosen) -> float:
    return sum(scores[key] for key in chosen)


@pytest.mark.parametrize(("seed", "cities", "capacity", "degree"), INSTANCES)
def test_selection_is_within_95_percent_of_the_exact_optimum(seed, cities, capacity, degree):
    scores = random_scores(random.Random(seed * 7919), cities=cities, degree=degree)

    chosen = select(scores, default_capacity=capacity)

    achieved = total(scores, chosen)
    assert achieved >= 0.95 * optimal_total(scores, capacity=capacity, at_least=achieved)


@pytest.mark.parametrize("seed", range(12))
def test_whole_engine_without_the_brokers_rule_is_within_95_percent_of_the_best_over_all_pairs(seed):
    # The candidates and the search, measured on the plain total of ranks (the broker's rule off:
    # tests/partnerships/matching/test_objective.py checks the rule against an integer program).
    rng = random.Random(seed)
    cities = random_cities(rng, rng.randint(8, 40))
    matching = problem(*cities, proposals_per_city=rng.randint(1, 3), clear_margin=None)
    rules: Rules = matching.rules
    links = matching.priority_links()
    profiles = {facts.id: Profile(facts) for facts in cities}
    every_pair = {}
    for city_a in profiles.values():
        for city_b in profiles.values():
            if city_a.id < city_b.id and exclusion(city_a, city_b, rules) is None:
                score, webinar, _, _ = score_parts(city_a, city_b, matching.weights, links)
                if score is not None and score > 0:
                    reachable = city_a.has_consenting_contact and city_b.has_consenting_contact
                    every_pair[pair_key(city_a.id, city_b.id)] = reach_rank(score, webinar, reachable, rules)

    outcome = propose(matching)

    achieved = sum(every_pair[pair_key(proposal.city_a, proposal.city_b)] for proposal in outcome.proposals)
    best = optimal_total(every_pair, capacity=rules.proposals_per_city, at_least=achieved)
    assert achieved >= 0.95 * best


def test_choosing_across_all_cities_beats_each_city_taking_its_own_top_k():
    # Oaxaca (1) likes Luoyang (2) best; Luoyang and Anyang (3) are an even better pair; Durango (4)
    # only fits Anyang, weakly. Taking turns, Oaxaca grabs Luoyang first and the strong pair is lost.
    oaxaca, luoyang, anyang, durango = 1, 2, 3, 4
    scores = {
        pair_key(oaxaca, luoyang): 3.0,
        pair_key(luoyang, anyang): 5.0,
        pair_key(anyang, durango): 1.0,
    }

    naive = per_city_top_k(scores, capacity=1)
    chosen = select(scores, default_capacity=1)

    assert (sorted(naive), total(scores, naive)) == (
        sorted([pair_key(oaxaca, luoyang), pair_key(anyang, durango)]),
        4.0,
    )
    assert (sorted(chosen), total(scores, chosen)) == ([pair_key(luoyang, anyang)], 5.0)
    assert total(scores, chosen) == optimal_total(scores, capacity=1)


def test_local_search_repairs_what_greedy_gets_wrong():
    # Greedy takes the best pair (6-9) and is left with 59 in all; the optimum swaps three pairs for
    # three others along an alternating cycle (4-6, 2-9, 3-8 for 6-9, 2-3, 4-8).
    pairs = {
        (1, 5): 12, (2, 3): 14, (2, 6): 9, (2, 7): 8, (2, 9): 15, (2, 11): 8, (3, 4): 14, (3, 5): 7,
        (3, 7): 1, (3, 8): 14, (3, 9): 12, (3, 11): 6, (4, 6): 18, (4, 7): 7, (4, 8): 5, (5, 10): 2,
        (6, 8): 9, (6, 9): 20, (7, 11): 8, (9, 11): 8,
    }  # fmt: skip
    scores = {pair_key(*pair): float(score) for pair, score in pairs.items()}

    greedy = select(scores, default_capacity=1, passes=0)
    chosen = select(scores, default_capacity=1)

    assert (total(scores, greedy), total(scores, chosen), optimal_total(scores, capacity=1)) == (
        59.0,
        67.0,
        67.0,
    )


graphs = st.builds(
    lambda seed, cities, degree: random_scores(random.Random(seed), cities=cities, degree=degree),
    st.integers(0, 10_000),
    st.integers(2, 30),
    st.floats(0.5, 8),
)


@settings(max_examples=60, deadline=None)
@given(scores=graphs, capacity=st.integers(1, 4), seed=st.integers(0, 1000))
def test_selection_properties(scores, capacity, seed):
    shuffled = list(scores.items())
    random.Random(seed).shuffle(shuffled)

    chosen = select(scores, default_capacity=capacity)

    assert chosen <= set(scores)
    load = Counter(city for key in chosen for city in pair_cities(key))
    assert max(load.values(), default=0) <= capacity
    assert select(dict(shuffled), default_capacity=capacity) == chosen  # deterministic
    assert (
        not [  # maximal: nothing left out could simply be added
            key
            for key in scores
            if key not in chosen and all(load[city] < capacity for city in pair_cities(key))
        ]
    )


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), count=st.integers(2, 30), capacity=st.integers(1, 3))
def test_engine_properties(seed, count, capacity):
    cities = random_cities(random.Random(seed), count)

    outcome = propose(problem(*cities, proposals_per_city=capacity))
    again = propose(problem(*reversed(cities), proposals_per_city=capacity))

    pairs = [(proposal.city_a, proposal.city_b) for proposal in outcome.proposals]
    assert all(city_a < city_b for city_a, city_b in pairs)  # a pair is stored one way only
    assert len(set(pairs)) == len(pairs)  # and once, even when each city named the other
    load = Counter(city for pair in pairs for city in pair)
    assert max(load.values(), default=0) <= capacity
    assert again == outcome
