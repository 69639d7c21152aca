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
from .signals import Profile, exclusion, reach_rank, score_pair, score_parts

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

    # 1. Candidates and the rank the selection maximises (reachable first: signals.reach_rank). Only
    #    the rank is kept: at 100,000 cities there are millions of candidates, and every dictionary
    #    over them costs about 100 MB. Their scores and reasons are computed again for the chosen few,
    #    and whether a pair is invitable is read from its two cities when asked (_Invitable).
    ranks: dict[int, float] = {}
    invitable = _Invitable(ranks, profiles)
    causes: dict[int, str] = {}
    blocked = problem.blocked_pairs
    links = problem.priority_links()
    total = len(scope)

    def consider(key: int, profile: Profile, other: Profile) -> str | None:
        score, webinar, _, _ = score_parts(profile, other, weights, links)
        if score is None:
            return Cause.NO_BASIS
        if score < rules.min_score or score <= 0:
            return Cause.BELOW_MIN_SCORE
        reachable = profile.has_consenting_contact and other.has_consenting_contact
        ranks[key] = reach_rank(score, webinar, reachable, rules)
        return None

    for done, city in enumerate(scope, start=1):
        profile = profiles[city]
        for partner in partners_of(profile, index, rules.bucket_cap, both_ways=only_city is not None):
            if partner == city or partner not in cities:
                continue
            key = pair_key(city, partner)
            if key in ranks or key in causes:
                continue
            other = profiles[partner]
            cause = blocked.get(key) or exclusion(profile, other, rules)
            if not cause:
                cause = consider(key, profile, other)
                if cause == Cause.NO_BASIS:
                    continue
            if cause:
                causes[key] = cause
        if done % _PROGRESS_EVERY == 0 or done == total:
            report("candidates", done, total)

    # 2. Proposals awaiting review keep their place while their basis stands and no clearly better
    #    pair needs the slot: they take part in the selection like any candidate (so the result
    #    does not depend on the order cities came in). In a one-city refresh, the partners'
    #    proposals awaiting review with other cities (``held``) take part too, at their score.
    dropped: list[Dropped] = []
    for key in sorted(pending):
        city_a, city_b = pair_cities(key)
        if city_a not in cities or city_b not in cities:
            dropped.append(Dropped(city_a, city_b, Cause.INACTIVE_CITY))
            continue
        if key in ranks:
            continue
        cause = _blocked_pending(problem, key) or exclusion(profiles[city_a], profiles[city_b], rules)
        if cause is None:
            cause = consider(key, profiles[city_a], profiles[city_b])
        if cause:
            dropped.append(Dropped(city_a, city_b, cause))
    held_load: dict[int, int] = {}
    for key, (score, reachable, webinar) in problem.held.items():
        if key in ranks or key in pending:
            continue
        ranks[key] = reach_rank(score, webinar, reachable, rules)
        invitable.held[key] = reachable
        for city in pair_cities(key):
            if city not in cities:
                held_load[city] = held_load.get(city, 0) + 1

    # 3. The selection, across all cities at once.
    report("selection", 0, 1)
    capacity = _capacity(problem, only_city, held_load)
    default_capacity = rules.proposals_per_city
    margin = rules.clear_margin
    if rules.non_invitable_uses_slots:
        chosen = select(ranks, default_capacity=default_capacity, capacity=capacity, margin=margin)
    else:
        reachable_ranks = {key: rank for key, rank in ranks.items() if invitable[key]}
        other_ranks = {key: rank for key, rank in ranks.items() if not invitable[key]}
        chosen = select(reachable_ranks, default_capacity=default_capacity, capacity=capacity, margin=margin)
        chosen |= select(other_ranks, default_capacity=default_capacity, capacity=capacity, margin=margin)
    report("selection", 1, 1)
    held_by: dict[int, list[int]] = {}
    for key in chosen:
        for city in pair_cities(key):
            held_by.setdefault(city, []).append(key)
    for key in sorted(set(pending) | set(problem.held)):
        if key in chosen or key not in ranks:
            continue
        dropped.append(_displaced(key, ranks, held_by, invitable, rules.non_invitable_uses_slots))

    # 4. Reasons for what is proposed (held pairs of a refresh are not rewritten), and notes on
    #    named pairs that are not.
    proposals: list[PairProposal] = []
    final = sorted(key for key in chosen if key not in problem.held)
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

    notes = _named_pair_notes(
        problem, scope, index, only_city, chosen, causes, capacity, ranks, held_by, invitable
    )
    return MatchingOutcome(proposals=proposals, dropped=dropped, notes=notes, candidate_count=len(ranks))


class _Invitable:
    """Pair key -> whether both cities can be invited, for the candidates (``ranks``): read from the
    two cities' profiles when asked instead of stored for millions of pairs; a held pair of a
    one-city refresh (whose other city may be outside the problem) says it itself."""

    def __init__(self, ranks: dict[int, float], profiles: _Profiles) -> None:
        self.ranks = ranks
        self.profiles = profiles
        self.held: dict[int, bool] = {}

    def __contains__(self, key: int) -> bool:
        return key in self.ranks

    def __getitem__(self, key: int) -> bool:
        if key in self.held:
            return self.held[key]
        if key not in self.ranks:
            raise KeyError(key)
        city_a, city_b = pair_cities(key)
        return self.profiles[city_a].has_consenting_contact and self.profiles[city_b].has_consenting_contact


def _displaced(
    key: int, ranks: dict[int, float], held_by: dict[int, list[int]], invitable: _Invitable, shared: bool
) -> Dropped:
    """A proposal awaiting review the selection left out: the better pair that took its place at
    one of its cities (the weakest of them that still ranks above it)."""
    city_a, city_b = pair_cities(key)
    rank = ranks[key]
    best: tuple[float, int, int] | None = None
    for city in (city_a, city_b):
        for other in held_by.get(city, ()):
            if not shared and invitable[other] != invitable[key]:
                continue
            if ranks[other] >= rank and (best is None or (ranks[other], other) < best[:2]):
                best = (ranks[other], other, city)
    if best is None:
        return Dropped(city_a, city_b, Cause.CAP)
    return Dropped(city_a, city_b, Cause.DISPLACED, blocking_city=best[2], replaced_by=pair_cities(best[1]))


class Capacity(Protocol):
    """City -> how many proposals it may take in this run (a dict, or computed on demand)."""

    def get(self, city: int, default: int) -> int: ...


class _RoomLeft:
    """A city's capacity in a one-city refresh: the cap, less the proposals it keeps elsewhere; a
    city outside the refresh, as many as the held proposals it has in it (it keeps them or loses
    them, never gains). Looked up lazily, so that the refresh never walks over every city."""

    def __init__(self, cap: int, fixed_load, held_load) -> None:
        self.cap = cap
        self.fixed_load = fixed_load
        self.held_load = held_load

    def get(self, city: int, default: int) -> int:
        if city in self.held_load:
            return self.held_load[city]
        return max(self.cap - self.fixed_load.get(city, 0), 0)


def _capacity(problem: MatchingProblem, only_city: int | None, held_load: dict[int, int]) -> Capacity:
    if only_city is None:
        return {}
    return _RoomLeft(problem.rules.proposals_per_city, problem.fixed_load, held_load)


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
    ranks: dict[int, float],
    held_by: dict[int, list[int]],
    invitable: _Invitable,
) -> list[NamedPairNote]:
    default_capacity = problem.rules.proposals_per_city
    shared = problem.rules.non_invitable_uses_slots

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
        # The cap: the full city, and its weakest proposal (the one holding the slot).
        holding: tuple[int, int] | None = None
        blocking = None
        for city in (partner, seeker):
            kept = [
                other
                for other in held_by.get(city, ())
                if shared or key not in invitable or invitable[other] == invitable[key]
            ]
            if len(kept) >= capacity.get(city, default_capacity):
                weakest = min(kept, key=lambda other: (ranks[other], -other)) if kept else None
                blocking = city
                holding = pair_cities(weakest) if weakest is not None else None
                break
        notes.append(NamedPairNote(seeker, partner, Cause.CAP, blocking_city=blocking, holding=holding))
    return notes
