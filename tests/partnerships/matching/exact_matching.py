"""The exact best selection, for tests: a branch and bound over pairs (an integer program solved by
hand), with the dual of the linear relaxation as its bound. Fast on sparse instances of up to about
40 cities."""

from collections.abc import Mapping

from partnerships.matching.engine import pair_cities


def optimal_total(scores: Mapping[int, float], *, capacity: int, at_least: float = 0.0) -> float:
    """The highest total score of pairs chosen so that no city is in more than ``capacity`` of them.

    ``at_least``, the total of a known selection, only prunes the search: the answer stays exact.
    """
    edges = sorted(((score, pair_cities(key)) for key, score in scores.items()), reverse=True)
    cities = sorted({city for _, pair in edges for city in pair})
    room = dict.fromkeys(cities, capacity)
    price = dict.fromkeys(cities, 0.0)
    incident: dict[int, list[int]] = {city: [] for city in cities}
    for index, (_, (city_a, city_b)) in enumerate(edges):
        incident[city_a].append(index)
        incident[city_b].append(index)
    best = at_least

    def open_edge(index: int, start: int) -> bool:
        _, (city_a, city_b) = edges[index]
        return index >= start and room[city_a] > 0 and room[city_b] > 0

    def bound(start: int) -> float:
        # LP duality: for any prices p >= 0, what the open pairs can still add is at most
        # sum(room * p) + sum over open pairs of max(0, score - p(a) - p(b)). A few rounds of
        # coordinate descent on p (warm-started from the last node) make the bound tight.
        for _ in range(2):
            for city in cities:
                if not room[city]:
                    continue
                residuals = sorted(
                    (
                        edges[index][0] - price[other]
                        for index in incident[city]
                        if open_edge(index, start)
                        for other in edges[index][1]
                        if other != city
                    ),
                    reverse=True,
                )
                price[city] = max(residuals[room[city]], 0.0) if len(residuals) > room[city] else 0.0
        total = sum(room[city] * price[city] for city in cities if room[city])
        for index in range(start, len(edges)):
            score, (city_a, city_b) = edges[index]
            if room[city_a] and room[city_b]:
                total += max(0.0, score - price[city_a] - price[city_b])
        return total

    def explore(start: int, value: float) -> None:
        nonlocal best
        best = max(best, value)
        if start == len(edges) or value + bound(start) <= best + 1e-9:
            return
        score, (city_a, city_b) = edges[start]
        if room[city_a] and room[city_b]:
            room[city_a] -= 1
            room[city_b] -= 1
            explore(start + 1, value + score)
            room[city_a] += 1
            room[city_b] += 1
        explore(start + 1, value)

    explore(0, 0.0)
    return best


def per_city_top_k(scores: Mapping[int, float], *, capacity: int) -> set[int]:
    """The naive selection: each city in turn (by id) takes its own best partners that still have room."""
    used: dict[int, int] = {}
    chosen: set[int] = set()
    by_city: dict[int, list[tuple[float, int, int]]] = {}
    for key, score in scores.items():
        city_a, city_b = pair_cities(key)
        by_city.setdefault(city_a, []).append((score, key, city_b))
        by_city.setdefault(city_b, []).append((score, key, city_a))
    for city in sorted(by_city):
        for _score, key, other in sorted(by_city[city], key=lambda row: (-row[0], row[1])):
            if used.get(city, 0) >= capacity:
                break
            if key not in chosen and used.get(other, 0) < capacity:
                chosen.add(key)
                used[city] = used.get(city, 0) + 1
                used[other] = used.get(other, 0) + 1
    return chosen
