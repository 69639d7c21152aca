"""Telling a live matching run from one whose worker was lost: runs beat a heartbeat while they run,
and the beat marks a run whose heartbeat stopped as interrupted, so staff can start a new one."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from travelsouth.queueing import queue_each_after_commit

from ..models import MatchingRun

logger = logging.getLogger(__name__)


class RunInterrupted(Exception):
    """The run was marked interrupted (its heartbeat had stopped) while this worker still ran it: its
    result is not written, since a newer run may be writing its own."""


@contextmanager
def heartbeat(run_id: int) -> Iterator[None]:
    """Beat every MATCHING_HEARTBEAT_SECONDS while the body runs, from a thread with its own database
    connection: the engine's long stages report no progress, and the beat must not depend on them.
    A worker that is killed stops beating; ``matching_runs_recover`` then marks its run interrupted."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.MATCHING_HEARTBEAT_SECONDS):
                try:
                    MatchingRun.objects.filter(pk=run_id, status=MatchingRun.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:
                    logger.exception("Matching run %s: heartbeat failed", run_id)
        finally:
            connection.close()  # this thread's own

    thread = threading.Thread(target=beat, name=f"matching-run-{run_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@transaction.atomic
def matching_runs_recover(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Runs whose worker was lost are marked interrupted (no heartbeat for MATCHING_INTERRUPTED_AFTER_SECONDS),
    so "Run matching" starts a new one; full runs still queued whose message was lost (the broker was
    down, or restarted) are queued again. Run by the beat and before a run is queued; safe at any time:
    a run starts only from queued, so queueing it twice starts it once."""
    from ..tasks import run_matching

    now = now or timezone.now()
    silent_since = now - dt.timedelta(seconds=settings.MATCHING_INTERRUPTED_AFTER_SECONDS)
    interrupted = (
        MatchingRun.objects.filter(status=MatchingRun.Status.RUNNING)
        .annotate(last_sign=Coalesce("heartbeat_at", "started_at", "created_at"))
        .filter(last_sign__lt=silent_since)
        .update(
            status=MatchingRun.Status.INTERRUPTED,
            finished_at=now,
            stage="",
            error="Interrupted: the worker running it stopped (no heartbeat since "
            f"{silent_since:%Y-%m-%d %H:%M:%S} UTC). Run matching again.",
            updated_at=now,
        )
    )
    queued_before = now - dt.timedelta(seconds=settings.MATCHING_REQUEUE_AFTER_SECONDS)
    lost = list(
        MatchingRun.objects.select_for_update(skip_locked=True)
        .filter(scope=MatchingRun.Scope.ALL, status=MatchingRun.Status.QUEUED)
        .annotate(queued=Coalesce("last_queued_at", "created_at"))
        .filter(queued__lt=queued_before)
        .values_list("pk", flat=True)
    )
    MatchingRun.objects.filter(pk__in=lost).update(last_queued_at=now)
    queue_each_after_commit(run_matching, [{"run_id": run_id} for run_id in lost])
    return {"interrupted": interrupted, "requeued": len(lost)}
