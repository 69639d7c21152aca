"""Benchmark of the matching engine (not a test: it prints figures and ratios).

    .venv/bin/python bench/matching.py                  # engine on plain data: 1k, 10k, 100k cities
    .venv/bin/python bench/matching.py --db             # also the whole run through a database, 1k and 10k
    .venv/bin/python bench/matching.py --sizes 1000 10000 --db-sizes 1000
    .venv/bin/python bench/matching.py --worker 100000   # a full run as the worker runs it, its peak memory

Each size runs in its own process, so that its peak memory is its own. For every size it prints
the full-run time and the peak memory (the process's peak resident set, and how much the run added
to it), then the growth ratio t(10k)/t(1k) (target: at most 12, i.e. near-linear), the time of a
one-city recomputation at 10,000 cities (target: under 1/100 of the full run there), how much
faster the full run is than a loop scoring all pairs at 10,000 cities (target: at least 50x), and
the peak memory at 100,000 cities.

The one-city recomputation on plain data uses an index of all cities built beforehand, as the
database's indexes stand ready for the real refresh; the refresh itself only looks up the city's
buckets. ``--db`` measures the real thing: ``city_proposals_refresh`` through the ORM.

The database bench writes into a scratch SQLite file (var/bench/matching-<n>.sqlite3), or into the
database of ``--database-url`` (which it fills with synthetic cities: never point it at real data).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matching_db import db_size, worker_fill, worker_run  # noqa: E402  (bench/ is on the path when this file runs)
from synthetic import PRIORITY_THEMES, peak_rss_mb, synthetic_cities  # noqa: E402

from partnerships.matching.engine import (  # noqa: E402  (after the path fix, so the script runs from anywhere)
    BucketIndex,
    MatchingProblem,
    pair_cities,
    pair_key,
    propose,
)
from partnerships.matching.engine.candidates import partners_of  # noqa: E402
from partnerships.matching.engine.signals import Profile, score_parts  # noqa: E402

ALL_PAIRS_SAMPLE = 200_000


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
        result.update(_all_pairs(problem))
    return result


def _all_pairs(problem: MatchingProblem) -> dict:
    """What scoring every pair would cost (the loop the candidate index avoids): the time of
    ``ALL_PAIRS_SAMPLE`` random pairs through the same scoring, scaled to n(n-1)/2 pairs (running
    all 50 million at 10,000 cities would take many minutes). It counts the scoring alone, not
    the selection a real all-pairs run would still need, so the ratio is conservative."""
    ids = sorted(problem.cities)
    profiles = {city: Profile(problem.cities[city]) for city in ids}
    links = problem.priority_links()
    rng = random.Random(11)
    pairs = []
    while len(pairs) < ALL_PAIRS_SAMPLE:
        city_a, city_b = rng.choice(ids), rng.choice(ids)
        if city_a != city_b:
            pairs.append((profiles[city_a], profiles[city_b]))
    started = time.perf_counter()
    for city_a, city_b in pairs:
        score_parts(city_a, city_b, problem.weights, links)
    seconds = time.perf_counter() - started
    total = len(ids) * (len(ids) - 1) / 2
    return {"all_pairs_seconds": seconds * total / len(pairs), "all_pairs_sampled": len(pairs)}


def _refreshes(problem: MatchingProblem, outcome, refreshes: int) -> dict:
    # The proposals of the full run are now awaiting review; the index stands ready (as the
    # database's indexes do). Each refresh gets what the database would give it: the city's own
    # pending pairs and its partners' loads.
    started = time.perf_counter()
    index = BucketIndex.build((Profile(facts) for facts in problem.cities.values()), problem.priority_themes)
    index_seconds = time.perf_counter() - started
    pending_by_city: dict[int, list[int]] = {}
    for proposal in outcome.proposals:
        key = pair_key(proposal.city_a, proposal.city_b)
        for city in (proposal.city_a, proposal.city_b):
            pending_by_city.setdefault(city, []).append(key)
    rng = random.Random(7)
    chosen = rng.sample([city for city, facts in problem.cities.items() if facts.interest], refreshes)
    times = []
    scores = {pair_key(proposal.city_a, proposal.city_b): proposal for proposal in outcome.proposals}
    for city in chosen:
        own = pending_by_city.get(city, [])
        # What the loader reads from the database before the engine starts: the proposals awaiting
        # review of the city's candidate partners, which the refresh may displace.
        partners = set(
            partners_of(Profile(problem.cities[city]), index, problem.rules.bucket_cap, both_ways=True)
        )
        held = {}
        for partner in partners:
            for key in pending_by_city.get(partner, ()):
                if city not in pair_cities(key):
                    proposal = scores[key]
                    held[key] = (proposal.score, proposal.is_invitable, 0.0)
        started = time.perf_counter()
        one_city = MatchingProblem(
            cities=problem.cities,
            priority_themes=problem.priority_themes,
            pending_pairs=frozenset(own),
            held=held,
        )
        propose(one_city, only_city=city, index=index)
        times.append(time.perf_counter() - started)
    return {
        "index_seconds": index_seconds,
        "refresh_median_seconds": statistics.median(times),
        "refresh_max_seconds": max(times),
        "refreshes": len(times),
    }


# --- through the database ---------------------------------------------------------------------------


# --- driver --------------------------------------------------------------------------------------------


def _child(arguments: list[str]) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, *arguments], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--db", action="store_true", help="Also run through the database.")
    parser.add_argument("--db-sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument(
        "--database-url", help="A scratch database to fill (default: a SQLite file per size)."
    )
    parser.add_argument("--refreshes", type=int, default=20, help="One-city recomputations timed at 10,000.")
    parser.add_argument(
        "--repeat", type=int, default=3, help="Full runs timed per size up to 10,000 (the best counts)."
    )
    parser.add_argument(
        "--worker",
        type=int,
        nargs="+",
        default=[],
        help="Sizes for a whole run as a worker runs it (the task's body in a fresh process, on SQLite).",
    )
    parser.add_argument("--worker-fill", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker-run", help=argparse.SUPPRESS)
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
    if arguments.worker_fill:
        print(json.dumps(worker_fill(arguments.worker_fill)))
        return
    if arguments.worker_run:
        print(json.dumps(worker_run(arguments.worker_run)))
        return
    if arguments.worker:
        print("A full run as a worker runs it (partnerships.run_matching in a fresh process, SQLite)")
        print(
            f"{'cities':>8} {'fill (s)':>9} {'run (s)':>9} {'status':>9} {'candidates':>11} {'proposals':>10} {'peak RSS (MB)':>14}"
        )
        for size in arguments.worker:
            filled = _child(["--worker-fill", str(size)])
            result = _child(["--worker-run", filled["path"]])
            print(
                f"{size:>8} {filled['fill_seconds']:>9.1f} {result['seconds']:>9.1f} {result['status']:>9} "
                f"{result['candidates']:>11} {result['created']:>10} {result['peak_rss_mb']:>14.0f}"
            )
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
        print(f"growth t(10k)/t(1k) = {ratio:.1f}  (target <= 12: {'met' if ratio <= 12 else 'MISSED'})")
    if 10_000 in engine and "refresh_median_seconds" in engine[10_000]:
        ten = engine[10_000]
        share = ten["refresh_median_seconds"] / ten["seconds"]
        print(
            f"one-city recomputation at 10k: median {ten['refresh_median_seconds'] * 1000:.1f} ms, "
            f"max {ten['refresh_max_seconds'] * 1000:.1f} ms over {ten['refreshes']} cities "
            f"= 1/{1 / share:.0f} of the full run  (target < 1/100: {'met' if share < 0.01 else 'MISSED'})"
        )
        print(f"(the index of all 10k cities, built once beforehand, took {ten['index_seconds']:.2f} s)")
        speedup = ten["all_pairs_seconds"] / ten["seconds"]
        print(
            f"all-pairs scoring loop at 10k (from {ten['all_pairs_sampled']:,} sampled pairs): "
            f"{ten['all_pairs_seconds']:.0f} s = {speedup:.0f}x the full run  (target >= 50x: "
            f"{'met' if speedup >= 50 else 'MISSED'})"
        )
    if 100_000 in engine:
        print(f"peak memory at 100k cities: {engine[100_000]['peak_rss_mb']:.0f} MB")

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
