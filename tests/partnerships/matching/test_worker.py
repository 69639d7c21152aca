"""The "Run matching" button with a real Celery worker on Redis and PostgreSQL (CI runs it)."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from partnerships.models import MatchingRun, Proposal
from tests.conftest import skip_or_fail, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_the_admin_button_runs_matching_in_a_worker_and_the_page_shows_the_result(world, staff_client):
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        skip_or_fail("A real worker needs REDIS_URL and PostgreSQL")
    from celery.contrib.testing.worker import start_worker

    from travelsouth.celery import app

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
