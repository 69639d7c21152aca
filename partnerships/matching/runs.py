"""Matching runs: load, let the engine choose, write the result back in batches.

These are services (the only writers of proposals made by runs). A run over all cities is queued
from the admin (``matching_run_queue``) and executed by the ``partnerships.run_matching`` task or by
``manage.py propose_partnerships`` (``matching_run_execute``). A one-city refresh
(``city_proposals_refresh``) follows a change to what matching reads about that city: every writer
calls the change hook ``cities.changes.city_changed``, whose receiver here
(``schedule_city_proposals_refresh``) queues the refresh after the transaction commits.

The proposals' moves (proposed, rescored, superseded) are partnerships/lifecycle.py's batch functions,
called under a row lock on the matching settings, so two runs never write at once.
Proposals decided meanwhile are never touched: the writer re-reads the open proposals under the
lock and skips any that left "awaiting review".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from travelsouth.queueing import queue_after_commit, run_here

from ..lifecycle import NewProposal, Rescoring, proposals_propose, proposals_rescore, proposals_supersede
from ..models import MatchingRun, MatchingSettings, Proposal
from ..selectors import matching_settings
from .engine import Cause, Dropped, MatchingOutcome, PairProposal, pair_key, propose
from .engine.candidates import invert
from .index import index_city_replace, index_is_empty, index_rebuild, matching_lock
from .liveness import RunInterrupted, heartbeat, matching_runs_recover
from .loading import load_city_facts, load_city_problem, load_problem, priority_themes

logger = logging.getLogger(__name__)


@dataclass
class RunCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    superseded: int = 0


ProgressCallback = Callable[[str, int, int], None]


def _settings_used(settings_row: MatchingSettings) -> dict:
    return {
        field.name: getattr(settings_row, field.name)
        for field in settings_row._meta.concrete_fields
        if field.name not in {"id", "updated_at", "updated_by"}
    }


class RunTimeLimit(Exception):
    """The run went past MATCHING_RUN_TIME_LIMIT_SECONDS (checked between its steps; in a worker
    Celery's soft limit, SoftTimeLimitExceeded, ends it the same way)."""


def _progress_writer(run: MatchingRun, echo: ProgressCallback | None) -> ProgressCallback:
    """Report progress into the run's row (read by the admin page), at most twice a second; stop the
    run once it is past its time limit."""
    last = [0.0]
    deadline = time.monotonic() + settings.MATCHING_RUN_TIME_LIMIT_SECONDS

    def report(stage: str, done: int, total: int) -> None:
        if echo is not None:
            echo(stage, done, total)
        now = time.monotonic()
        if now > deadline:
            raise RunTimeLimit(stage)
        if done < total and now - last[0] < 0.5:
            return
        last[0] = now
        moment = timezone.now()
        MatchingRun.objects.filter(pk=run.pk).update(
            stage=stage, progress_done=done, progress_total=total, heartbeat_at=moment, updated_at=moment
        )

    return report


@transaction.atomic
def matching_run_queue(*, by: AbstractBaseUser | None, trigger: str = "admin") -> MatchingRun:
    """Queue a run over all cities, unless one is already queued or running (a run whose worker was
    lost is marked interrupted first, and does not count).

    Side effects: after commit, the ``partnerships.run_matching`` task is queued for the new run.
    """
    from ..tasks import run_matching

    matching_runs_recover()  # a run whose worker was lost no longer counts as busy
    busy = (
        MatchingRun.objects.select_for_update()
        .filter(
            scope=MatchingRun.Scope.ALL, status__in=[MatchingRun.Status.QUEUED, MatchingRun.Status.RUNNING]
        )
        .first()
    )
    if busy is not None:
        return busy
    run = MatchingRun(
        scope=MatchingRun.Scope.ALL, trigger=trigger, started_by=by, last_queued_at=timezone.now()
    )
    run.full_clean()
    run.save()
    # Broker down: the run stays queued, and the beat job queues it again (matching_runs_recover).
    queue_after_commit(run_matching, run_id=run.pk)
    return run


def matching_run_create(*, by: AbstractBaseUser | None = None, trigger: str = "command") -> MatchingRun:
    run = MatchingRun(scope=MatchingRun.Scope.ALL, trigger=trigger, started_by=by)
    run.full_clean()
    run.save()
    return run


def matching_run_execute(*, run: MatchingRun, progress: ProgressCallback | None = None) -> MatchingRun:
    """Run the engine over all cities and write the result. Safe to call twice: only a queued run
    starts (the second call returns the run as it is).

    Not one transaction: the engine works outside any (so the admin sees its progress), and the
    result is written in one short transaction under the matching lock.
    """
    now = timezone.now()
    started = MatchingRun.objects.filter(pk=run.pk, status=MatchingRun.Status.QUEUED).update(
        status=MatchingRun.Status.RUNNING, started_at=now, heartbeat_at=now, updated_at=now
    )
    run.refresh_from_db()
    if not started:
        return run
    try:
        with heartbeat(run.pk):
            _execute(run, progress)
    except RunInterrupted:
        logger.warning("Matching run %s was marked interrupted while it ran; its result is dropped", run.pk)
    except (RunTimeLimit, SoftTimeLimitExceeded):
        # Ends cleanly: whatever the write had begun was rolled back with its transaction.
        stage = MatchingRun.objects.filter(pk=run.pk).values_list("stage", flat=True).first() or ""
        MatchingRun.objects.filter(pk=run.pk, status=MatchingRun.Status.RUNNING).update(
            status=MatchingRun.Status.FAILED,
            error=f"Stopped at the time limit ({settings.MATCHING_RUN_TIME_LIMIT_SECONDS} s, "
            f"MATCHING_RUN_TIME_LIMIT_SECONDS) during the {stage or 'loading'} stage; nothing was written.",
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        logger.error("Matching run %s stopped at its time limit", run.pk)
    except Exception as error:
        MatchingRun.objects.filter(pk=run.pk, status=MatchingRun.Status.RUNNING).update(
            status=MatchingRun.Status.FAILED, error=repr(error), finished_at=timezone.now()
        )
        logger.exception("Matching run %s failed", run.pk)
        raise
    run.refresh_from_db()
    return run


def _execute(run: MatchingRun, progress: ProgressCallback | None) -> None:
    settings_row = matching_settings()
    report = _progress_writer(run, progress)
    report("loading", 0, 1)
    loaded = load_problem(matching_settings=settings_row)
    # The index a one-city refresh reads, rewritten from the facts this run works on.
    index_rebuild(loaded.problem.cities, invert(loaded.problem.priority_themes))
    outcome = propose(loaded.problem, progress=report)
    report("saving", 0, 1)
    # Finished in the same transaction as the result: a run is never seen interrupted after writing.
    with transaction.atomic():
        counts = _write_outcome(run=run, outcome=outcome, scope_city_id=None)
        _finish(run, outcome, counts, settings_row)


DISPLACED_TRIGGER = "a better pair displaced one of its proposals"


def city_proposals_refresh(
    *, city_id: int, trigger: str = "city data changed", cascade: bool = True
) -> MatchingRun:
    """Recompute one city's proposals without a full run: its pairs only, the other cities keeping
    theirs unless a clearly better pair of this city displaces one of their proposals awaiting
    review. Records a one-city MatchingRun.

    Side effects: with ``cascade``, after commit, a refresh (without cascade) of each other city
    that lost a proposal here, so that it can take a new partner at once."""
    settings_row = matching_settings()
    run = MatchingRun(
        scope=MatchingRun.Scope.CITY,
        city_id=city_id,
        trigger=trigger,
        status=MatchingRun.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    run.full_clean(exclude=["city"])  # the city may have been deleted since the refresh was queued
    run.save()
    try:
        with heartbeat(run.pk):
            outcome = _refresh(run, city_id, settings_row)
    except RunInterrupted:
        logger.warning("City refresh %s was marked interrupted while it ran; its result is dropped", run.pk)
    except Exception as error:
        MatchingRun.objects.filter(pk=run.pk, status=MatchingRun.Status.RUNNING).update(
            status=MatchingRun.Status.FAILED, error=repr(error), finished_at=timezone.now()
        )
        raise
    run.refresh_from_db()
    if cascade and run.status == MatchingRun.Status.FINISHED:
        losers = {
            city
            for drop in outcome.dropped
            if drop.cause == Cause.DISPLACED and city_id not in (drop.city_a, drop.city_b)
            for city in (drop.city_a, drop.city_b)
            if city != drop.blocking_city
        }
        for other in sorted(losers):
            schedule_city_proposals_refresh(city_id=other, trigger=DISPLACED_TRIGGER, cascade=False)
    return run


def _refresh(run: MatchingRun, city_id: int, settings_row: MatchingSettings) -> MatchingOutcome:
    themes_of_priority = priority_themes()
    city = load_city_facts(city_ids=[city_id]).get(city_id)
    # The city's change reaches the index now (the other cities' refreshes read it there).
    if index_is_empty():  # a new database: build it all once
        index_rebuild(load_city_facts(), invert(themes_of_priority))
    else:
        index_city_replace(city_id, city, invert(themes_of_priority))
    loaded = load_city_problem(
        matching_settings=settings_row, city=city, city_id=city_id, themes_of_priority=themes_of_priority
    )
    outcome = propose(loaded.problem, only_city=city_id, index=loaded.index)
    with transaction.atomic():
        counts = _write_outcome(run=run, outcome=outcome, scope_city_id=city_id)
        _finish(run, outcome, counts, settings_row)
    return outcome


def matching_index_rebuild() -> None:
    """Rewrite the whole matching index from the database (what a full run does first). For changes
    that move many cities at once: the themes a development priority covers, a country's regions."""
    index_rebuild(load_city_facts(), invert(priority_themes()))


def schedule_matching_index_rebuild() -> None:
    """Queue ``matching_index_rebuild`` for after the current transaction commits (the receiver of
    ``cities.changes.matching_vocabulary_changed``)."""
    from ..tasks import rebuild_matching_index

    queue_after_commit(rebuild_matching_index, if_broker_down=run_here(rebuild_matching_index))


def schedule_city_proposals_refresh(
    *, city_id: int, trigger: str = "city data changed", cascade: bool = True
) -> None:
    """Queue ``city_proposals_refresh`` for after the current transaction commits (at once when
    there is none). The receiver of the one change hook, ``cities.changes.city_changed``, which every
    service that changes what matching reads about a city calls; nothing else calls this."""
    from ..tasks import refresh_city_proposals

    # Nothing else would find a lost refresh again, so with the broker down it runs here and now.
    queue_after_commit(
        refresh_city_proposals,
        if_broker_down=run_here(refresh_city_proposals),
        city_id=city_id,
        trigger=trigger,
        cascade=cascade,
    )


def _finish(
    run: MatchingRun, outcome: MatchingOutcome, counts: RunCounts, settings_row: MatchingSettings
) -> None:
    MatchingRun.objects.filter(pk=run.pk, status=MatchingRun.Status.RUNNING).update(
        status=MatchingRun.Status.FINISHED,
        finished_at=timezone.now(),
        stage="",
        candidate_count=outcome.candidate_count,
        created_count=counts.created,
        updated_count=counts.updated,
        unchanged_count=counts.unchanged,
        superseded_count=counts.superseded,
        notes=[note.as_data() for note in outcome.notes],
        settings_used=_settings_used(settings_row),
        updated_at=timezone.now(),
    )


def _cause_data(drop: Dropped) -> dict:
    """What the timeline's "superseded" entry stores: the cause, the full city, the better pair."""
    data = {name: value for name, value in asdict(drop).items() if value is not None}
    if drop.replaced_by is not None:
        data["replaced_by"] = list(drop.replaced_by)
    return data


def _reasons_data(proposal: PairProposal) -> list[dict]:
    return [reason.as_data() for reason in proposal.reasons]


@transaction.atomic
def _write_outcome(*, run: MatchingRun, outcome: MatchingOutcome, scope_city_id: int | None) -> RunCounts:
    now = timezone.now()
    # The matching lock: one writer of run results at a time. Writing first also makes SQLite take
    # its write lock now, before the open proposals are read. A run marked interrupted meanwhile
    # writes nothing (a newer run may be writing).
    if not MatchingRun.objects.filter(pk=run.pk, status=MatchingRun.Status.RUNNING).update(
        stage="saving", heartbeat_at=now, updated_at=now
    ):
        raise RunInterrupted(run.pk)
    matching_lock()

    # Locking the open proposals makes a staff decision on one of them wait for this write, and
    # then see the proposal as this run leaves it.
    open_now = Proposal.objects.select_for_update().filter(status__in=Proposal.OPEN_STATUSES)
    if scope_city_id is not None:
        # The city's proposals, and those of its partners that the refresh displaced.
        touching = Q(city_a_id=scope_city_id) | Q(city_b_id=scope_city_id)
        for drop in outcome.dropped:
            touching |= Q(city_a_id=drop.city_a, city_b_id=drop.city_b)
        open_now = open_now.filter(touching)
    current = {
        pair_key(row["city_a_id"], row["city_b_id"]): row
        for row in open_now.values(
            "id",
            "city_a_id",
            "city_b_id",
            "status",
            "score",
            "reasons",
            "is_triangular",
            "is_invitable",
            "themes_edited",
        )
    }
    pending_ids = [row["id"] for row in current.values() if row["status"] == Proposal.Status.PENDING]
    themes_now: dict[int, set[int]] = {}
    for proposal_id, theme_id in Proposal.themes.through.objects.filter(
        proposal_id__in=pending_ids
    ).values_list("proposal_id", "theme_id"):
        themes_now.setdefault(proposal_id, set()).add(theme_id)

    counts = RunCounts()
    new: list[NewProposal] = []
    rescorings: list[Rescoring] = []
    for chosen in outcome.proposals:
        row = current.get(pair_key(chosen.city_a, chosen.city_b))
        reasons = _reasons_data(chosen)
        if row is None:
            new.append(
                NewProposal(
                    city_a=chosen.city_a,
                    city_b=chosen.city_b,
                    score=chosen.score,
                    reasons=reasons,
                    themes=chosen.themes,
                    is_triangular=chosen.is_triangular,
                    is_invitable=chosen.is_invitable,
                )
            )
            continue
        if row["status"] != Proposal.Status.PENDING:
            continue  # decided while the engine was working: never touched
        themes_changed = not row["themes_edited"] and themes_now.get(row["id"], set()) != set(chosen.themes)
        changed = (
            abs(row["score"] - chosen.score) > 1e-9
            or row["reasons"] != reasons
            or row["is_triangular"] != chosen.is_triangular
            or row["is_invitable"] != chosen.is_invitable
            or themes_changed
        )
        if not changed:
            counts.unchanged += 1
            continue
        rescorings.append(
            Rescoring(
                proposal_id=row["id"],
                score=chosen.score,
                previous_score=row["score"],
                reasons=reasons,
                is_triangular=chosen.is_triangular,
                is_invitable=chosen.is_invitable,
                themes=chosen.themes if themes_changed else None,
            )
        )

    counts.created = proposals_propose(run=run, new=new, now=now)
    counts.updated = proposals_rescore(run=run, rescorings=rescorings, now=now)
    causes = {
        current[key]["id"]: _cause_data(drop)
        for key, drop in ((pair_key(drop.city_a, drop.city_b), drop) for drop in outcome.dropped)
        if key in current and current[key]["status"] == Proposal.Status.PENDING
    }
    counts.superseded = proposals_supersede(run=run, causes=causes, now=now)
    return counts


__all__ = [
    "RunCounts",
    "city_proposals_refresh",
    "matching_index_rebuild",
    "matching_run_create",
    "matching_run_execute",
    "matching_run_queue",
    "matching_runs_recover",
    "schedule_city_proposals_refresh",
    "schedule_matching_index_rebuild",
]
