"""Choosing the proposals: a maximum-weight b-matching, approximately.

Each city takes part in at most ``capacity`` chosen pairs; the total score should be as high as
possible. The exact problem is polynomial but heavy (blossoms on an expanded graph), so the engine
does what works well on sparse candidate graphs:

1. **Greedy**: take pairs by score, highest first, while both cities have room. Never worse than
   half the optimum, and usually within a few percent of it.
2. **Local search along short alternating chains**: insert a pair left out; where a city is now
   over its capacity, drop one of its pairs; the city at the other end of the dropped pair may take
   a new pair (first choice: one to a city with room, which ends the chain), which may push a third
   city over, and so on, a few steps deep. Keep the chain when the total grows, undo it otherwise.
   Passes repeat until one finds nothing. The work is bounded by a budget proportional to the
   number of candidate pairs, so a run stays linear however the search goes.
3. **Fill**: add any pair whose two cities still have room, so the result is maximal (which also
   means a rerun on the same data has nothing to add).

Ties go to the lower pair key, so the same input always gives the same output.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .facts import pair_cities

_EPSILON = 1e-9
# A chain looks at this many of a city's best pairs (it bounds memory), tries the best pair to a
# city with room plus _CHAIN_BRANCHING others at each step, drops one of a city's _DROP_BRANCHING
# lightest pairs, and adds at most _CHAIN_DEPTH pairs after the first.
_BEST_PAIRS = 16
_CHAIN_BRANCHING = 2
_DROP_BRANCHING = 2
_CHAIN_DEPTH = 3
# Search steps: per inserted pair, and per candidate pair for the whole run (with a floor, so
# that small problems are searched thoroughly).
_STEPS_PER_INSERT = 64
_STEPS_PER_PAIR = 4
_STEPS_AT_LEAST = 200_000


class _State:
    def __init__(self, default_capacity: int, capacity: Mapping[int, int], fixed: Iterable[int]) -> None:
        self.default_capacity = default_capacity
        self.capacity = capacity
        self.used: dict[int, int] = {}
        self.chosen: dict[int, list[int]] = {}  # city -> the chosen pairs that may still be dropped
        self.selected: set[int] = set()
        for key in fixed:
            for city in pair_cities(key):
                self.used[city] = self.used.get(city, 0) + 1

    def room(self, city: int) -> int:
        return self.capacity.get(city, self.default_capacity) - self.used.get(city, 0)

    def add(self, key: int) -> None:
        self.selected.add(key)
        used = self.used
        chosen = self.chosen
        for city in pair_cities(key):
            used[city] = used.get(city, 0) + 1
            chosen.setdefault(city, []).append(key)

    def remove(self, key: int) -> None:
        self.selected.discard(key)
        for city in pair_cities(key):
            self.used[city] -= 1
            self.chosen[city].remove(key)


def select(
    scores: Mapping[int, float],
    *,
    default_capacity: int,
    capacity: Mapping[int, int] | None = None,
    fixed: Iterable[int] = (),
    passes: int = 4,
) -> set[int]:
    """The chosen pairs among ``scores`` (pair key -> score). ``capacity`` overrides
    ``default_capacity`` per city; ``fixed`` pairs are already chosen: they use capacity and are
    never dropped."""
    state = _State(default_capacity, capacity or {}, fixed)
    order = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    room = state.room
    for key, _score in order:
        city_a, city_b = pair_cities(key)
        if room(city_a) > 0 and room(city_b) > 0:
            state.add(key)
    if passes:
        _improve(state, scores, order, passes)
    for key, _score in order:
        if key not in state.selected:
            city_a, city_b = pair_cities(key)
            if room(city_a) > 0 and room(city_b) > 0:
                state.add(key)
    return state.selected


def _improve(state: _State, scores: Mapping[int, float], order: list[tuple[int, float]], passes: int) -> None:
    best_pairs: dict[int, list[tuple[int, float, int]]] = {}  # city -> (pair, score, other city)
    for key, score in order:
        city_a, city_b = pair_cities(key)
        for city, other in ((city_a, city_b), (city_b, city_a)):
            pairs = best_pairs.setdefault(city, [])
            if len(pairs) < _BEST_PAIRS:
                pairs.append((key, score, other))
    room = state.room
    selected = state.selected
    steps = max(_STEPS_AT_LEAST, _STEPS_PER_PAIR * len(order))
    insert_steps = 0

    def settle(gain: float, depth: int, overfull: list[int], chain: set[int]) -> bool:
        nonlocal steps, insert_steps
        city = next((city for city in overfull if room(city) < 0), None)
        if city is None:
            return gain > _EPSILON
        droppable = sorted((scores[key], key) for key in state.chosen.get(city, ()) if key not in chain)
        for weight, dropped in droppable[:_DROP_BRANCHING]:
            if insert_steps <= 0 or steps <= 0:
                return False
            insert_steps -= 1
            steps -= 1
            state.remove(dropped)
            chain.add(dropped)
            if settle(gain - weight, depth, overfull, chain):
                return True
            city_a, city_b = pair_cities(dropped)
            freed = city_b if city_a == city else city_a
            refills: list[tuple[int, float, int]] = []
            continuing = 0
            fitting = False
            for key, score, other in best_pairs.get(freed, ()):
                if key in selected or key in chain or other == city:
                    continue
                if room(other) > 0:
                    if not fitting:
                        refills.append((key, score, other))
                        fitting = True
                elif depth > 0 and continuing < _CHAIN_BRANCHING:
                    refills.append((key, score, other))
                    continuing += 1
            for key, score, other in refills:
                state.add(key)
                chain.add(key)
                if settle(gain - weight + score, depth - 1, [*overfull, other], chain):
                    return True
                state.remove(key)
                chain.discard(key)
            chain.discard(dropped)
            state.add(dropped)
        return False

    for _ in range(passes):
        improved = False
        for key, score in order:
            if steps <= 0:
                return
            if key in selected:
                continue
            city_a, city_b = pair_cities(key)
            room_a, room_b = room(city_a), room(city_b)
            if room_a > 0 and room_b > 0:
                state.add(key)
                improved = True
                continue
            # An improving chain either ends at a city with room (an augmenting path: start from
            # that end) or has an inserted pair heavier than a pair it drops next to it (start
            # there). Other starting pairs can be skipped, which saves most of the work.
            if room_a <= 0 and room_b <= 0:
                lightest = min(
                    (scores[chosen] for city in (city_a, city_b) for chosen in state.chosen.get(city, ())),
                    default=None,
                )
                if lightest is None or score <= lightest + _EPSILON:
                    continue
            state.add(key)
            insert_steps = _STEPS_PER_INSERT
            if settle(score, _CHAIN_DEPTH, [city_a, city_b], {key}):
                improved = True
                continue
            state.remove(key)
        if not improved:
            return
