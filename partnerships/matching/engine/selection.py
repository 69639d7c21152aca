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
   number of cities, so a run stays linear however the search goes.
3. **Fill**: add any pair whose two cities still have room, so the result is maximal (which also
   means a rerun on the same data has nothing to add).

Ties go to the lower pair key, so the same input always gives the same output.
"""

from __future__ import annotations

from array import array
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
# Search steps: per inserted pair, and per city for the whole run (with a floor, so that small
# problems are searched thoroughly). Per city rather than per candidate pair: a city gets a few
# proposals however many candidates it has, so a denser candidate graph earns no more search.
_STEPS_PER_INSERT = 32
_STEPS_PER_CITY = 40
_STEPS_AT_LEAST = 20_000


def select(
    scores: Mapping[int, float],
    *,
    default_capacity: int,
    capacity: Mapping[int, int] | None = None,  # or anything with .get(city, default)
    fixed: Iterable[int] = (),
    passes: int = 4,
    margin: float | None = None,
) -> set[int]:
    """The chosen pairs among ``scores`` (pair key -> score). ``capacity`` overrides
    ``default_capacity`` per city; ``fixed`` pairs are already chosen: they use capacity and are
    never dropped. With ``margin`` (the broker's rule), the search never leaves out a pair that
    is more than ``margin`` better (weight > (1 + margin) x) than a pair kept at each of its two
    cities, or whose cities have room: a city's clearly best pair is dropped only when a cap
    forces it. Without it, the plain maximum total."""
    # Best score first, ties to the lower pair key (sorting is stable, also in reverse).
    order = sorted(sorted(scores), key=scores.__getitem__, reverse=True)
    graph = _Graph(order, scores, default_capacity, capacity or {}, fixed)
    graph.margin = margin
    graph.greedy()
    if passes:
        graph.improve(passes)
    graph.greedy()  # fill: whatever still fits
    return {order[edge] for edge in graph.chosen_edges()}


class _Incidence:
    """City -> all its edges, in edge order: one flat array of edge numbers, cut by offsets (a list of
    lists would cost an int object and a list slot per edge end)."""

    def __init__(self, ends_a: array, ends_b: array, cities: int) -> None:
        offsets = array("q", bytes(8 * (cities + 1)))
        for ends in (ends_a, ends_b):
            for city in ends:
                offsets[city + 1] += 1
        for city in range(cities):
            offsets[city + 1] += offsets[city]
        edges = array("i", bytes(4 * offsets[cities]))
        filled = array("q", offsets[:cities])
        for edge in range(len(ends_a)):
            for city in (ends_a[edge], ends_b[edge]):
                edges[filled[city]] = edge
                filled[city] += 1
        self.offsets = offsets
        self.edges = edges

    def __getitem__(self, city: int) -> array:
        return self.edges[self.offsets[city] : self.offsets[city + 1]]


class _Graph:
    """The candidate pairs as numbered edges between numbered cities: plain lists instead of
    dictionaries keep a large run's working set small and fast."""

    def __init__(
        self,
        order: list[int],
        scores: Mapping[int, float],
        default_capacity: int,
        capacity: Mapping[int, int],
        fixed: Iterable[int],
    ) -> None:
        # Arrays of machine integers rather than lists of Python ints: at 100,000 cities there are
        # millions of edges, and an int object per edge number costs 32 bytes where an array
        # element costs 4.
        index: dict[int, int] = {}
        ends_a = array("i")
        ends_b = array("i")
        for key in order:
            city_a, city_b = pair_cities(key)
            ends_a.append(index.setdefault(city_a, len(index)))
            ends_b.append(index.setdefault(city_b, len(index)))
        self.weight = [scores[key] for key in order]
        self.ends_a = ends_a
        self.ends_b = ends_b
        self.free = [capacity.get(city, default_capacity) for city in index]
        for key in fixed:
            for city in pair_cities(key):
                if city in index:
                    self.free[index[city]] -= 1
        self.selected = bytearray(len(order))
        self.chosen: list[list[int]] = [[] for _ in index]  # city -> its chosen edges that may be dropped
        best: list[array] = [array("i") for _ in index]
        for edge in range(len(order)):
            for city in (ends_a[edge], ends_b[edge]):
                if len(best[city]) < _BEST_PAIRS:
                    best[city].append(edge)
        self.best = best  # city -> its best edges, best first
        self.margin: float | None = None
        self.incident: _Incidence | None = None  # city -> all its edges, built on first use

    def clearly_blocks(self, edge: int) -> bool:
        """Left out, ``edge`` is more than the margin better than a kept pair at both its cities
        (or a city has room): leaving it out breaks the broker's rule."""
        threshold = self.weight[edge] / (1.0 + self.margin)
        for city in (self.ends_a[edge], self.ends_b[edge]):
            if self.free[city] > 0:
                continue
            if not any(self.weight[other] < threshold - _EPSILON for other in self.chosen[city]):
                return False
        return True

    def stable_after(self, chain: set[int]) -> bool:
        """No pair left out at a city the chain touched breaks the rule (a chain that frees a
        slot or adds a weak pair can make an earlier left-out pair break it)."""
        if self.margin is None:
            return True
        if self.incident is None:
            self.incident = _Incidence(self.ends_a, self.ends_b, len(self.free))
        selected, incident = self.selected, self.incident
        touched = {city for edge in chain for city in (self.ends_a[edge], self.ends_b[edge])}
        return not any(
            not selected[edge] and self.clearly_blocks(edge) for city in touched for edge in incident[city]
        )

    def add(self, edge: int) -> None:
        self.selected[edge] = 1
        for city in (self.ends_a[edge], self.ends_b[edge]):
            self.free[city] -= 1
            self.chosen[city].append(edge)

    def remove(self, edge: int) -> None:
        self.selected[edge] = 0
        for city in (self.ends_a[edge], self.ends_b[edge]):
            self.free[city] += 1
            self.chosen[city].remove(edge)

    def greedy(self) -> None:
        free, selected, ends_a, ends_b = self.free, self.selected, self.ends_a, self.ends_b
        for edge in range(len(selected)):
            if not selected[edge] and free[ends_a[edge]] > 0 and free[ends_b[edge]] > 0:
                self.add(edge)

    def chosen_edges(self) -> list[int]:
        return [edge for edge, chosen in enumerate(self.selected) if chosen]

    def improve(self, passes: int) -> None:
        weight, free, selected, chosen, best = self.weight, self.free, self.selected, self.chosen, self.best
        ends_a, ends_b = self.ends_a, self.ends_b
        budget = [max(_STEPS_AT_LEAST, _STEPS_PER_CITY * len(free)), 0]  # run, this insertion

        def settle(gain: float, depth: int, overfull: list[int], chain: set[int]) -> bool:
            city = next((city for city in overfull if free[city] < 0), None)
            if city is None:
                return gain > _EPSILON and self.stable_after(chain)
            droppable = sorted((weight[edge], -edge) for edge in chosen[city] if edge not in chain)
            for dropped_weight, negative_edge in droppable[:_DROP_BRANCHING]:
                if budget[1] <= 0 or budget[0] <= 0:
                    return False
                budget[0] -= 1
                budget[1] -= 1
                dropped = -negative_edge
                self.remove(dropped)
                chain.add(dropped)
                if settle(gain - dropped_weight, depth, overfull, chain):
                    return True
                freed = ends_b[dropped] if ends_a[dropped] == city else ends_a[dropped]
                refills: list[tuple[int, int]] = []
                continuing = 0
                fitting = False
                for edge in best[freed]:
                    if selected[edge] or edge in chain:
                        continue
                    other = ends_b[edge] if ends_a[edge] == freed else ends_a[edge]
                    if other == city:
                        continue
                    if free[other] > 0:
                        if not fitting:
                            refills.append((edge, other))
                            fitting = True
                    elif depth > 0 and continuing < _CHAIN_BRANCHING:
                        refills.append((edge, other))
                        continuing += 1
                for edge, other in refills:
                    self.add(edge)
                    chain.add(edge)
                    if settle(gain - dropped_weight + weight[edge], depth - 1, [*overfull, other], chain):
                        return True
                    self.remove(edge)
                    chain.discard(edge)
                chain.discard(dropped)
                self.add(dropped)
            return False

        for _ in range(passes):
            improved = False
            for edge in range(len(weight)):
                if budget[0] <= 0:
                    return
                if selected[edge]:
                    continue
                city_a, city_b = ends_a[edge], ends_b[edge]
                room_a, room_b = free[city_a], free[city_b]
                if room_a > 0 and room_b > 0:
                    self.add(edge)
                    improved = True
                    continue
                # An improving chain either ends at a city with room (an augmenting path: start
                # from that end) or has an inserted pair heavier than a pair it drops next to it
                # (start there). Other starting pairs can be skipped, which saves most of the work.
                if room_a <= 0 and room_b <= 0:
                    removable = chosen[city_a] + chosen[city_b]
                    if not removable or weight[edge] <= min(weight[other] for other in removable) + _EPSILON:
                        continue
                self.add(edge)
                budget[1] = _STEPS_PER_INSERT
                if settle(weight[edge], _CHAIN_DEPTH, [city_a, city_b], {edge}):
                    improved = True
                    continue
                self.remove(edge)
            if not improved:
                return
