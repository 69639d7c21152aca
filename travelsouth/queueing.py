"""Queueing Celery tasks after commit so that a broker that is down never fails, or half-does, a write.

Django's ``transaction.on_commit(..., robust=True)`` is not enough: when a robust callback fails,
Django logs it with ``func.__qualname__``, which a ``functools.partial`` lacks, so the logging itself
raises and every later callback of that commit is dropped (an "Approve and invite" on ten proposals
with Redis down returned a 500 after the first). Here the callback is a plain function that catches
the broker's error itself, says what it could not queue, and hands that to ``if_broker_down``: the
caller's way to make sure the work still happens (mark the rows for the beat job, or run it here).

After one failed publish, this process skips publishing for ``BROKER_DOWN_PAUSE`` seconds: a request
that queues twenty tasks must not wait twenty times for a broker that is not there.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from django.db import transaction

logger = logging.getLogger(__name__)

BROKER_DOWN_PAUSE = 5.0
_broker_down_until = 0.0

BrokerDown = Callable[[list[dict]], None]


def broker_seems_down() -> bool:
    return time.monotonic() < _broker_down_until


def _publish_all(task, calls: list[dict], if_broker_down: BrokerDown | None) -> None:
    global _broker_down_until
    not_queued: list[dict] = []
    in_process = task.app.conf.task_always_eager  # no broker: apply_async runs the task here
    for position, kwargs in enumerate(calls):
        if broker_seems_down() and not in_process:
            not_queued = calls[position:]
            break
        try:
            task.apply_async(kwargs=kwargs)
        except Exception:
            if in_process:  # the task itself failed; the write that caused it stands
                logger.exception("%s(%s) failed", task.name, kwargs)
                continue
            _broker_down_until = time.monotonic() + BROKER_DOWN_PAUSE
            logger.exception("Could not queue %s(%s); the broker seems down", task.name, kwargs)
            not_queued = calls[position:]
            break
    if not not_queued:
        return
    logger.warning("%s: %d task(s) not queued (broker down)", task.name, len(not_queued))
    if if_broker_down is None:
        return
    try:
        if_broker_down(not_queued)
    except Exception:
        logger.exception("%s: the fallback for %d unqueued task(s) failed", task.name, len(not_queued))


def queue_after_commit(task, *, if_broker_down: BrokerDown | None = None, **kwargs) -> None:
    """Queue ``task(**kwargs)`` once the current transaction commits (at once outside one); nothing if it
    rolls back. Never raises: a broker error is logged and passed to ``if_broker_down``."""
    queue_each_after_commit(task, [kwargs], if_broker_down=if_broker_down)


def queue_each_after_commit(task, calls: Iterable[dict], *, if_broker_down: BrokerDown | None = None) -> None:
    """Queue ``task(**kwargs)`` for each ``kwargs`` in ``calls`` after commit, in one callback."""
    calls = list(calls)
    if not calls:
        return

    def publish_after_commit() -> None:
        _publish_all(task, calls, if_broker_down)

    transaction.on_commit(publish_after_commit)


def waiting_messages(queue: str = "celery") -> int:
    """How many messages wait in the broker's ``queue`` (0 without a broker). A broker that cannot be
    asked counts as holding a full batch: nothing is queued again while nobody can tell."""
    from .celery import app

    if app.conf.task_always_eager:
        return 0
    try:
        with app.connection_for_read() as broker:
            return broker.default_channel.queue_declare(queue=queue, passive=True).message_count
    except Exception as error:
        if str(getattr(error, "reply_code", "")) == "404":  # no such queue: a restarted Redis holds none
            return 0
        logger.warning("Could not ask the broker how many messages wait in %s", queue, exc_info=True)
        return 1_000_000


def run_here(task) -> BrokerDown:
    """An ``if_broker_down`` that runs the task in this process instead (for work nothing else would
    find again, such as a city's proposal refresh): slower for this one request, but not lost."""

    def run(calls: list[dict]) -> None:
        for kwargs in calls:
            try:
                task(**kwargs)
            except Exception:
                logger.exception("%s(%s) failed when run in process", task.name, kwargs)

    return run
