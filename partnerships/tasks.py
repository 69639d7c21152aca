"""Background jobs of partnerships. Each takes ids, looks the row up and calls one service."""

import logging

from celery import shared_task
from django.conf import settings

from cities.models import City

from .lifecycle import proposals_invite_waiting
from .matching.liveness import matching_runs_recover
from .matching.runs import (
    city_proposals_refresh,
    matching_index_rebuild,
    matching_run_execute,
    matching_run_queue,
)
from .models import MatchingRun

logger = logging.getLogger(__name__)


@shared_task(
    name="partnerships.run_matching",
    # A run that takes too long is stopped (soft: it ends failed, with the stage it reached, and
    # writes nothing; hard: its process is killed, its heartbeat stops, and it is marked interrupted).
    soft_time_limit=settings.MATCHING_RUN_TIME_LIMIT_SECONDS,
    time_limit=settings.MATCHING_RUN_HARD_TIME_LIMIT_SECONDS,
)
def run_matching(*, run_id: int) -> None:
    """Execute a queued matching run over all cities (a second delivery finds it started and stops)."""
    run = MatchingRun.objects.filter(pk=run_id).first()
    if run is None:
        logger.warning("Matching run %s no longer exists", run_id)
        return
    matching_run_execute(run=run)


@shared_task(name="partnerships.refresh_city_proposals")
def refresh_city_proposals(*, city_id: int, trigger: str = "city data changed", cascade: bool = True) -> None:
    """Recompute one city's proposals after its data changed, or after a better pair displaced one
    of them (safe to run twice: same result)."""
    if not City.objects.filter(pk=city_id).exists():
        logger.info("City %s no longer exists; its proposals go with it", city_id)
        return
    city_proposals_refresh(city_id=city_id, trigger=trigger, cascade=cascade)


@shared_task(name="partnerships.invite_waiting_approvals")
def invite_waiting_approvals(*, city_id: int) -> None:
    """Invite the cities of approvals that waited for a contact of ``city_id``, if it now has one
    (safe to run twice: an approval moves on once)."""
    proposals_invite_waiting(city_id=city_id)


@shared_task(name="partnerships.rebuild_matching_index")
def rebuild_matching_index() -> None:
    """Rewrite the matching index after a change that moves many cities at once."""
    matching_index_rebuild()


@shared_task(name="partnerships.recover_matching_runs", ignore_result=True)
def recover_matching_runs() -> dict[str, int]:
    """The beat's check on matching runs: the lost are marked interrupted, the lost messages re-queued."""
    return matching_runs_recover()


@shared_task(name="partnerships.nightly_matching_run", ignore_result=True)
def nightly_matching_run() -> int:
    """The beat's nightly full run: the one-city refreshes of the day converge to what a full run
    gives (a run already queued or running is reused). Returns the run's id."""
    return matching_run_queue(by=None, trigger="nightly").pk
