"""One matching run over plain data: candidates, scores, exclusions, selection, reasons and notes."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Protocol

from .candidates import BucketIndex, partners_of
from .facts import (
    Cause,
    Dropped,
    MatchingOutcome,
    MatchingProblem,
    NamedPairNote,
    PairProposal,
    pair_cities,
    pair_key,
)
from .selection import select
from .signals import Profile, exclusion, score_pair

# progress(stage, done, total): called now and then, so a caller can show how far a run is.
Progress = Callable[[str, int, int], None]
_PROGRESS_EVERY = 500


class _Profiles(dict):
    """City id -> Profile, built on first use so that a one-city refresh over a large problem only
    builds the profiles it touches."""

    def __init__(self, problem: MatchingProblem) -> None:
        super().__init__()
        self.problem = problem

    def __missing__(self, city_id: int) -> Profile:
        profile = Profile(self.problem.cities[city_id])
        self[city_id] = profile
        return profile


def propose(
    problem: MatchingProblem,
    *,
    only_city: int | None = None,
    index: BucketIndex | None = None,
    progress: Progress | None = None,
) -> MatchingOutcome:
    """Choose the proposals of a run.

    Without ``only_city``: every city, at most ``proposals_per_city`` pairs each, chosen together.
    With ``only_city``: only that city's pairs are recomputed; the other cities keep their proposals
    (``problem.fixed_load`` says how many they hold) and lend only the room they have left. Pass a
    prebuilt ``index`` when ``problem.cities`` holds only part of the cities (a one-city refresh).

    The cyclic garbage collector is paused meanwhile: a run allocates millions of small objects
    and creates no reference cycles, so the collector would only rescan an ever larger heap, which
    made large runs grow faster than linearly.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _propose(problem, only_city=only_city, index=index, progress=progress)
    finally:
        if collecting:
            gc.enable()


def _propose(
    problem: MatchingProblem,
    *,
    only_city: int | None,
    index: BucketIndex | None,
    progress: Progress | None,
) -> MatchingOutcome:
    rules = problem.rules
    weights = problem.weights
    cities = problem.cities
    profiles = _Profiles(problem)
    report = progress or (lambda stage, done, total: None)

    if only_city is None:
        scope = sorted(cities)
        if index is None:
            index = BucketIndex.build((profiles[city] for city in scope), problem.priority_themes)
        pending = set(problem.pending_pairs)
    else:
        scope = [only_city] if only_city in cities else []
        if index is None:
            index = BucketIndex.build((profiles[city] for city in sorted(cities)), problem.priority_themes)
        pending = {key for key in problem.pending_pairs if only_city in pair_cities(key)}

    # 1. Candidates and their scores (no reasons yet: those are built for the chosen few).
    scores: dict[int, float] = {}
    causes: dict[int, str] = {}
    blocked = problem.blocked_pairs
    links = problem.priority_links()
    total = len(scope)
    for done, city in enumerate(scope, start=1):
        profile = profiles[city]
        for partner in partners_of(profile, index, rules.bucket_cap, both_ways=only_city is not None):
            if partner == city or partner not in cities:
                continue
            key = pair_key(city, partner)
            if key in scores or key in causes:
                continue
            other = profiles[partner]
            cause = blocked.get(key) or exclusion(profile, other, rules)
            if cause:
                causes[key] = cause
                continue
            score, _, _ = score_pair(profile, other, weights, links)
            if score is None:
                continue
            if score < rules.min_score or score <= 0:
                causes[key] = Cause.BELOW_MIN_SCORE
                continue
            scores[key] = score
        if done % _PROGRESS_EVERY == 0 or done == total:
            report("candidates", done, total)

    # 2. Proposals awaiting review keep their place while their basis stands, best first, as long as
    #    both cities have room; what is left goes to new pairs.
    dropped: list[Dropped] = []
    kept: list[int] = []
    capacity = _capacity(problem, only_city)
    default_capacity = rules.proposals_per_city
    load: dict[int, int] = {}
    pending_scores: dict[int, float] = {}
    for key in sorted(pending):
        city_a, city_b = pair_cities(key)
        if city_a not in cities or city_b not in cities:
            dropped.append(Dropped(city_a, city_b, Cause.INACTIVE_CITY))
            continue
        cause = _blocked_pending(problem, key) or exclusion(profiles[city_a], profiles[city_b], rules)
        score = None
        if cause is None:
            score, _, _ = score_pair(profiles[city_a], profiles[city_b], weights, links)
            if score is None:
                cause = Cause.NO_BASIS
            elif score < rules.min_score or score <= 0:
                cause = Cause.BELOW_MIN_SCORE
        if cause:
            dropped.append(Dropped(city_a, city_b, cause))
            continue
        pending_scores[key] = score
    for key, _score in sorted(pending_scores.items(), key=lambda item: (-item[1], item[0])):
        city_a, city_b = pair_cities(key)
        full = [
            city for city in (city_a, city_b) if load.get(city, 0) >= capacity.get(city, default_capacity)
        ]
        if full:
            dropped.append(Dropped(city_a, city_b, Cause.CAP, blocking_city=full[0]))
            continue
        kept.append(key)
        for city in (city_a, city_b):
            load[city] = load.get(city, 0) + 1
        scores.pop(key, None)

    # 3. The selection, across all cities at once.
    report("selection", 0, 1)
    chosen = select(scores, default_capacity=default_capacity, capacity=capacity, fixed=kept)
    report("selection", 1, 1)

    # 4. Reasons for what is proposed, and notes on named pairs that are not.
    proposals: list[PairProposal] = []
    kept_set = set(kept)
    final = sorted(chosen | kept_set)
    for done, key in enumerate(final, start=1):
        city_a, city_b = pair_cities(key)
        a, b = profiles[city_a], profiles[city_b]
        score, reasons, themes = score_pair(a, b, weights, links, explain=True)
        proposals.append(
            PairProposal(
                city_a=city_a,
                city_b=city_b,
                score=round(score, 4),
                reasons=tuple(reasons),
                themes=themes,
                is_triangular=a.is_global_south != b.is_global_south,
                is_invitable=a.has_consenting_contact and b.has_consenting_contact,
                was_pending=key in pending,
            )
        )
        if done % _PROGRESS_EVERY == 0 or done == len(final):
            report("reasons", done, len(final))
    proposals.sort(key=lambda proposal: (-proposal.score, proposal.city_a, proposal.city_b))

    notes = _named_pair_notes(problem, scope, index, only_city, set(final), causes, capacity)
    return MatchingOutcome(
        proposals=proposals, dropped=dropped, notes=notes, candidate_count=len(scores) + len(kept)
    )


class Capacity(Protocol):
    """City -> how many proposals it may take in this run (a dict, or computed on demand)."""

    def get(self, city: int, default: int) -> int: ...


class _RoomLeft:
    """A city's capacity in a one-city refresh: the cap, less the proposals it keeps elsewhere.
    Looked up lazily, so that the refresh never walks over every city."""

    def __init__(self, cap: int, fixed_load) -> None:
        self.cap = cap
        self.fixed_load = fixed_load

    def get(self, city: int, default: int) -> int:
        return max(self.cap - self.fixed_load.get(city, 0), 0)


def _capacity(problem: MatchingProblem, only_city: int | None) -> Capacity:
    if only_city is None:
        return {}
    return _RoomLeft(problem.rules.proposals_per_city, problem.fixed_load)


def _blocked_pending(problem: MatchingProblem, key: int) -> str | None:
    cause = problem.blocked_pairs.get(key)
    # A pending proposal is itself an open proposal; only other bans (a partnership) remove it.
    return None if cause == Cause.OPEN_PROPOSAL else cause


def _named_pair_notes(
    problem: MatchingProblem,
    scope: list[int],
    index: BucketIndex,
    only_city: int | None,
    final: set[int],
    causes: dict[int, str],
    capacity: Capacity,
) -> list[NamedPairNote]:
    default_capacity = problem.rules.proposals_per_city
    load: dict[int, int] = {}
    for key in final:
        for city in pair_cities(key):
            load[city] = load.get(city, 0) + 1

    named: list[tuple[int, int]] = []
    for city in scope:
        interest = problem.cities[city].interest
        if interest is not None:
            named.extend((city, partner) for partner in sorted(interest.partner_cities))
        if only_city is not None:
            named.extend(
                (seeker, city) for seeker in index.named_by.get(city, ()) if seeker in problem.cities
            )

    notes: list[NamedPairNote] = []
    for seeker, partner in named:
        if seeker == partner:
            continue
        key = pair_key(seeker, partner)
        if key in final:
            continue
        if partner not in problem.cities:
            notes.append(NamedPairNote(seeker, partner, Cause.INACTIVE_CITY, blocking_city=partner))
            continue
        cause = causes.get(key)
        if cause:
            notes.append(NamedPairNote(seeker, partner, cause))
            continue
        full = [
            city for city in (seeker, partner) if load.get(city, 0) >= capacity.get(city, default_capacity)
        ]
        notes.append(NamedPairNote(seeker, partner, Cause.CAP, blocking_city=full[-1] if full else None))
    return notes
