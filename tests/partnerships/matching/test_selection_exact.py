"""The selection against the exact optimum of its stated objective (docs/matching.md, "Selection:
the objective"): an integer program solved by PuLP's bundled CBC on random instances up to 200
cities. The objective: the highest total under the per-city caps such that no pair left out is
more than the margin better than a pair kept at each of its two cities (or has a city with room)."""

import random

import pulp
import pytest

from partnerships.matching.engine import pair_cities, select

from .engine_data import random_scores

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PuLP 3 announces its 4.0 API

MARGIN = 0.25
INSTANCES = [
    (seed, cities, capacity)
    for seed, (cities, capacity) in enumerate(
        [(12, 1), (20, 2), (30, 1), (40, 3), (60, 2), (80, 1), (100, 2), (120, 3), (150, 2), (200, 3)]
    )
]


def breaks_the_rule(scores: dict[int, float], chosen: set[int], capacity: int) -> list[int]:
    """Pairs left out that are more than the margin better than a kept pair at each of their
    cities (or whose city has room): what the objective forbids."""
    kept_at: dict[int, list[float]] = {}
    for key in chosen:
        for city in pair_cities(key):
            kept_at.setdefault(city, []).append(scores[key])
    broken = []
    for key, weight in scores.items():
        if key in chosen:
            continue
        threshold = weight / (1 + MARGIN)
        if all(
            len(kept_at.get(city, [])) < capacity or any(kept < threshold - 1e-9 for kept in kept_at[city])
            for city in pair_cities(key)
        ):
            broken.append(key)
    return broken


def optimum(scores: dict[int, float], capacity: int) -> float:
    """The stated objective's optimum, as an integer program."""
    model = pulp.LpProblem("selection", pulp.LpMaximize)
    chosen = {key: pulp.LpVariable(f"x{key}", cat="Binary") for key in scores}
    model += pulp.lpSum(scores[key] * chosen[key] for key in scores)
    at: dict[int, list[int]] = {}
    for key in scores:
        for city in pair_cities(key):
            at.setdefault(city, []).append(key)
    for keys in at.values():
        model += pulp.lpSum(chosen[key] for key in keys) <= capacity
    for key, weight in scores.items():
        # Left out only if one of its cities is full of pairs not clearly weaker than it.
        full = {}
        for city in pair_cities(key):
            full[city] = pulp.LpVariable(f"y{key}_{city}", cat="Binary")
            model += pulp.lpSum(chosen[other] for other in at[city]) >= capacity * full[city]
            for other in at[city]:
                if other != key and scores[other] < weight / (1 + MARGIN) - 1e-9:
                    model += chosen[other] <= 1 - full[city]
        model += chosen[key] + pulp.lpSum(full.values()) >= 1
    model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=120))
    assert pulp.LpStatus[model.status] == "Optimal"
    return pulp.value(model.objective)


@pytest.mark.parametrize(("seed", "cities", "capacity"), INSTANCES)
def test_the_selection_reaches_97_percent_of_the_exact_optimum_and_keeps_the_brokers_rule(
    seed, cities, capacity
):
    scores = random_scores(random.Random(seed * 7919 + cities), cities=cities, degree=4)

    chosen = select(scores, default_capacity=capacity, margin=MARGIN)

    assert breaks_the_rule(scores, chosen, capacity) == []
    achieved = sum(scores[key] for key in chosen)
    assert achieved >= 0.97 * optimum(scores, capacity)
