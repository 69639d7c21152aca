"""The "Run matching" button with a real Celery worker on Redis and PostgreSQL (CI runs it)."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.urls import reverse

from partnerships.matching.index import matching_lock
from partnerships.models import MatchingRun, Proposal
from tests.conftest import skip_or_fail, wait_for
from travelsouth.celery import app

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_the_admin_button_runs_matching_in_a_worker_and_the_page_shows_the_result(world, staff_client):
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        skip_or_fail("A real worker needs REDIS_URL and PostgreSQL")
    from celery.contrib.testing.worker import start_worker

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"):
        # Recording interests queues one-city refreshes after commit; the worker runs those too.
        world.interest(world.morelia, partner_cities=[world.luoyang], priorities=[world.tourism])
        world.interest(world.oaxaca, partner_cities=[world.anyang], themes_sought=[world.e_commerce])
        started = staff_client.post(reverse("admin:partnerships_proposal_run_matching"))
        run = MatchingRun.objects.get(trigger="admin")
        finished = wait_for(lambda: MatchingRun.objects.get(pk=run.pk).is_done)

    page = staff_client.get(started["Location"]).content.decode()
    run.refresh_from_db()
    assert finished and run.status == MatchingRun.Status.FINISHED, run.error
    assert sorted(Proposal.objects.values_list("city_a__name", "city_b__name", "status")) == [
        ("Morelia", "Anyang", "pending"),
        ("Morelia", "Luoyang", "pending"),
        ("Oaxaca", "Anyang", "pending"),
        ("Oaxaca", "São Paulo", "pending"),
    ]
    assert (
        f"{run.created_count} new, {run.updated_count} updated, {run.unchanged_count} unchanged, "
        f"{run.superseded_count} superseded" in page
    )


def test_a_run_whose_worker_is_killed_is_interrupted_and_the_button_starts_a_new_one(
    world, staff_client, tmp_path
):
    """A real worker is SIGKILLed in the middle of a run; the beat marks the run interrupted once its
    heartbeat is silent, and "Run matching" then starts a new run that a new worker finishes."""
    from tests.partnerships.invitations.mail_sink import free_port
    from tests.partnerships.invitations.processes import (
        environment,
        require_redis_server,
        start_beat,
        start_redis,
        start_worker,
    )

    if connection.vendor != "postgresql":
        skip_or_fail("A real worker needs PostgreSQL")
    require_redis_server()
    redis_port = free_port()
    redis_server = start_redis(port=redis_port, directory=tmp_path / "redis", log=tmp_path / "redis.log")
    env = environment(
        redis_url=f"redis://127.0.0.1:{redis_port}/0",
        smtp_port=free_port(),
        MATCHING_HEARTBEAT_SECONDS="0.5",
        MATCHING_INTERRUPTED_AFTER_SECONDS="3",
        MATCHING_RECOVERY_SECONDS="1",
    )
    shared_broker = app.conf.broker_url
    app.conf.broker_url = env["REDIS_URL"]  # what this test queues goes to its own Redis
    app._pool = None
    app.amqp._producer_pool = None
    world.interest(world.morelia, partner_cities=[world.luoyang], priorities=[world.tourism])
    worker = start_worker(env=env, log=tmp_path / "worker-1.log", name="matching-1")
    beat = start_beat(env=env, log=tmp_path / "beat.log", schedule=tmp_path / "beat-schedule")
    holding, release = threading.Event(), threading.Event()

    def hold_the_matching_lock():
        # The run blocks when it comes to write its result, so the kill lands while it runs.
        with transaction.atomic():
            matching_lock()
            holding.set()
            release.wait(60)
        connections.close_all()

    holder = threading.Thread(target=hold_the_matching_lock)
    holder.start()
    try:
        holding.wait(10)
        first_page = staff_client.post(reverse("admin:partnerships_proposal_run_matching"))
        first = MatchingRun.objects.get(scope="all")
        assert wait_for(lambda: MatchingRun.objects.get(pk=first.pk).status == "running", 60), worker.tail()
        time.sleep(1.5)  # it is beating, and waiting for the lock
        worker.kill()
        killed_at = time.monotonic()
        release.set()
        holder.join()
        # As the container's restart policy would: a new worker, which also runs the beat's checks.
        worker = start_worker(env=env, log=tmp_path / "worker-2.log", name="matching-2")
        interrupted = wait_for(lambda: MatchingRun.objects.get(pk=first.pk).status == "interrupted", 30)
        noticed_after = time.monotonic() - killed_at

        second_page = staff_client.post(reverse("admin:partnerships_proposal_run_matching"))
        second = MatchingRun.objects.exclude(pk=first.pk).get(scope="all")
        finished = wait_for(lambda: MatchingRun.objects.get(pk=second.pk).is_done, 60)
    finally:
        release.set()
        holder.join()
        worker.stop()
        beat.stop()
        redis_server.stop()
        app.conf.broker_url = shared_broker
        app._pool = None
        app.amqp._producer_pool = None

    first.refresh_from_db()
    second.refresh_from_db()
    print(f"killed matching run marked interrupted {noticed_after:.1f} s after the kill")
    assert interrupted and first.status == "interrupted", beat.tail()
    assert first.error.startswith("Interrupted: the worker running it stopped")
    assert noticed_after < 3 + 1 + 5  # silent for 3 s, checked every second, with room for a slow beat
    assert first_page["Location"] != second_page["Location"]
    assert finished and second.status == "finished", worker.tail()
    assert Proposal.objects.filter(run=second).count() == second.created_count > 0
