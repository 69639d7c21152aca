"""Matching runs through the database: what a run writes, reruns, one-city refreshes, query counts."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships.lifecycle import proposal_approve, proposal_reject
from partnerships.matching.configuration import matching_settings_update
from partnerships.matching.engine.candidates import invert
from partnerships.matching.index import index_city_replace
from partnerships.matching.liveness import matching_runs_recover
from partnerships.matching.loading import load_city_facts, load_city_problem, load_problem, priority_themes
from partnerships.matching.runs import (
    city_proposals_refresh,
    matching_run_create,
    matching_run_execute,
    matching_run_queue,
)
from partnerships.models import MatchingRun, Proposal, TimelineEvent
from partnerships.selectors import matching_settings
from partnerships.tasks import run_matching
from tests import factories
from tests.partnerships import timeline_reading
from travelsouth.celery import app as celery_app

pytestmark = pytest.mark.django_db


def full_run() -> MatchingRun:
    return matching_run_execute(run=matching_run_create(trigger="test"))


def counts(run: MatchingRun) -> tuple[int, int, int, int]:
    return run.created_count, run.updated_count, run.unchanged_count, run.superseded_count


def open_pairs() -> list[tuple[str, str, float, str]]:
    return [
        (proposal.city_a.name, proposal.city_b.name, proposal.score, proposal.status)
        for proposal in Proposal.objects.select_related("city_a", "city_b").order_by("-score", "id")
    ]


def snapshot() -> dict[int, tuple]:
    return {
        row["id"]: tuple(row.values())
        for row in Proposal.objects.values(
            "id", "city_a_id", "city_b_id", "status", "score", "reasons", "updated_at"
        )
    }


@pytest.fixture
def interests(world):
    world.interest(world.morelia, partner_cities=[world.luoyang], priorities=[world.tourism])
    world.interest(world.oaxaca, partner_cities=[world.anyang], themes_sought=[world.e_commerce])
    return world


def test_a_run_proposes_the_best_pairs_with_reasons_and_themes(interests, staff_user):
    world = interests

    run = full_run()

    assert run.status == MatchingRun.Status.FINISHED
    assert counts(run) == (4, 0, 0, 0)
    assert open_pairs() == [
        # named 8 + Morelia's one ask (Tourism) met by a practice: fit 6 + World Heritage 1
        ("Morelia", "Luoyang", 15.0, "pending"),
        ("Oaxaca", "Anyang", 8.0, "pending"),
        ("Oaxaca", "São Paulo", 7.0, "pending"),  # fit 6 + neighbours (Latin America) 1
        ("Morelia", "Anyang", 6.0, "pending"),
    ]
    morelia_luoyang = Proposal.objects.get(city_a=world.morelia, city_b=world.luoyang)
    assert [reason["kind"] for reason in morelia_luoyang.reasons] == [
        "named_city",
        "priority",
        "world_heritage",
    ]
    assert morelia_luoyang.reasons[1]["practices"] == [world.luoyang_practice.pk]
    assert list(morelia_luoyang.themes.values_list("slug", flat=True)) == ["regional-cooperation"]
    assert (morelia_luoyang.is_invitable, morelia_luoyang.is_triangular, morelia_luoyang.run_id) == (
        True,
        False,
        run.pk,
    )
    assert timeline_reading.who_and_sentence(TimelineEvent.objects.filter(proposal=morelia_luoyang)) == [
        ("Travel South", f"Proposed by matching run #{run.pk} with score {morelia_luoyang.score:g}.")
    ]


def test_a_rerun_on_the_same_data_changes_nothing(interests):
    first = full_run()
    before = snapshot()
    events = TimelineEvent.objects.count()

    second = full_run()

    assert counts(first) == (4, 0, 0, 0)
    assert counts(second) == (0, 0, 4, 0)
    assert snapshot() == before
    assert TimelineEvent.objects.count() == events


def test_a_rerun_rescores_pending_proposals_and_never_touches_decided_ones(interests, staff_user):
    world = interests
    full_run()
    morelia_anyang = Proposal.objects.get(city_a=world.morelia, city_b=world.anyang)
    oaxaca_anyang = Proposal.objects.get(city_a=world.oaxaca, city_b=world.anyang)
    proposal_approve(proposal=oaxaca_anyang, by=staff_user)
    approved_before = snapshot()[oaxaca_anyang.pk]
    # Anyang's new practice raises both of its pairs' scores.
    festival = factories.good_practice(
        city_=world.anyang, title="Heritage festival", themes=[world.heritage, world.e_commerce]
    )

    run = full_run()

    assert counts(run) == (0, 1, 2, 0)
    morelia_anyang.refresh_from_db()
    assert (morelia_anyang.status, morelia_anyang.score, morelia_anyang.last_run_id) == (
        "pending",
        6.0,
        run.pk,
    )
    assert [reason["practices"] for reason in morelia_anyang.reasons] == [
        [world.anyang_practice.pk, festival.pk]
    ]
    assert snapshot()[oaxaca_anyang.pk] == approved_before


def test_a_rerun_supersedes_pending_proposals_whose_basis_disappeared(interests):
    world = interests
    full_run()
    world.interest(world.oaxaca, partner_cities=[world.anyang])  # Oaxaca no longer seeks e-commerce

    run = full_run()

    # Oaxaca-Anyang now cites Oaxaca's new interest: updated.
    assert counts(run) == (0, 1, 2, 1)
    superseded = Proposal.objects.get(city_a=world.oaxaca, city_b=world.sao_paulo)
    assert superseded.status == Proposal.Status.SUPERSEDED
    assert list(TimelineEvent.objects.filter(proposal=superseded).values_list("kind", "data__cause")) == [
        ("proposed", None),
        ("superseded", "no_basis"),
    ]


def test_a_rejected_pair_is_not_proposed_again_during_the_cooling_off_period(interests, staff_user):
    world = interests
    full_run()
    proposal_reject(
        proposal=Proposal.objects.get(city_a=world.morelia, city_b=world.luoyang),
        by=staff_user,
        reason="Not now.",
    )

    run = full_run()

    assert counts(run) == (0, 0, 3, 0)
    assert run.notes == [{"seeker": world.morelia.pk, "partner": world.luoyang.pk, "cause": "cooling_off"}]


def test_a_one_city_refresh_touches_only_that_citys_pairs(
    interests, eager_tasks, django_capture_on_commit_callbacks
):
    world = interests
    full_run()
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        world.interest(world.oaxaca, partner_cities=[world.luoyang], themes_sought=[world.e_commerce])

    after = snapshot()
    changed = {pk for pk in after if after[pk] != before.get(pk)}
    touched = Proposal.objects.filter(pk__in=changed).select_related("city_a", "city_b")
    assert all(world.oaxaca in (proposal.city_a, proposal.city_b) for proposal in touched)
    assert sorted((proposal.city_a.name, proposal.city_b.name, proposal.status) for proposal in touched) == [
        ("Oaxaca", "Anyang", "superseded"),
        ("Oaxaca", "Luoyang", "pending"),
        ("Oaxaca", "São Paulo", "pending"),  # rescored: it cites Oaxaca's new interest
    ]
    refresh = MatchingRun.objects.get(scope=MatchingRun.Scope.CITY)
    assert (refresh.city, refresh.status, counts(refresh)) == (world.oaxaca, "finished", (1, 1, 0, 1))


def test_a_refresh_of_a_city_no_longer_approved_supersedes_its_pending_proposals(interests):
    world = interests
    full_run()
    world.oaxaca.review_status = "pending"
    world.oaxaca.save(update_fields=["review_status"])

    run = city_proposals_refresh(city_id=world.oaxaca.pk)

    assert counts(run) == (0, 0, 0, 2)
    assert set(Proposal.objects.filter(status="superseded").values_list("city_a__name", "city_b__name")) == {
        ("Oaxaca", "Anyang"),
        ("Oaxaca", "São Paulo"),
    }


def _more_cities(world, count: int) -> None:
    for number in range(count):
        city = factories.city(name=f"Extra {number}", country_=world.brazil if number % 2 else world.china)
        factories.good_practice(city_=city, themes=[world.heritage])
        world.interest(city, priorities=[world.tourism], themes_sought=[world.heritage])


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_loading_a_run_takes_the_same_number_of_queries_for_few_or_many_cities(interests):
    world = interests
    settings_row = matching_settings()
    full_run()  # builds the index a one-city refresh reads

    def load_one_city():
        # What a refresh reads and keeps: the city's facts, its index entries, its problem.
        themes_of_priority = priority_themes()
        city = load_city_facts(city_ids=[world.morelia.pk])[world.morelia.pk]
        index_city_replace(world.morelia.pk, city, invert(themes_of_priority))
        load_city_problem(
            matching_settings=settings_row,
            city=city,
            city_id=world.morelia.pk,
            themes_of_priority=themes_of_priority,
        )

    few = _queries(lambda: load_problem(matching_settings=settings_row))
    few_city = _queries(load_one_city)
    _more_cities(world, 12)

    many = _queries(lambda: load_problem(matching_settings=settings_row))
    many_city = _queries(load_one_city)

    assert (few, few_city) == (many, many_city)


def test_writing_a_run_is_batched(interests):
    world = interests
    small = _queries(full_run)
    Proposal.objects.all().delete()
    _more_cities(world, 12)

    large = _queries(full_run)

    assert Proposal.objects.count() > 12
    assert large == small


def test_the_command_runs_all_cities_with_a_progress_bar_or_one_city(interests):
    world = interests
    out, err = StringIO(), StringIO()

    call_command("propose_partnerships", stdout=out, stderr=err)
    call_command("propose_partnerships", "--city", world.morelia.slug, stdout=out, stderr=err)

    first_run, city_run = MatchingRun.objects.order_by("id")
    assert out.getvalue().splitlines() == [
        f"Matching run #{first_run.pk} (all cities): 4 new, 0 updated, 0 unchanged, 0 superseded.",
        f"Matching run #{city_run.pk} (one city): 0 new, 0 updated, 2 unchanged, 0 superseded.",
    ]
    assert "[##############################]" in err.getvalue()
    assert "saving" in err.getvalue()


def test_the_command_explains_named_pairs_it_did_not_propose(interests):
    world = interests
    world.interest(world.morelia, partner_cities=[world.luoyang, world.oaxaca], priorities=[world.tourism])
    out = StringIO()

    call_command("propose_partnerships", "--no-progress", stdout=out)

    assert out.getvalue().splitlines()[1:] == [
        "  Morelia named Oaxaca, but no proposal was made: both are in the same country, "
        "and same-country pairs are not proposed."
    ]


def test_queueing_a_run_starts_the_task_after_commit_and_never_twice(
    interests, staff_user, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = matching_run_queue(by=staff_user)
        again = matching_run_queue(by=staff_user)

    assert (again.pk, queued.status, len(callbacks)) == (queued.pk, MatchingRun.Status.QUEUED, 1)
    callbacks[0]()
    queued.refresh_from_db()
    assert (queued.status, counts(queued), queued.started_by) == ("finished", (4, 0, 0, 0), staff_user)


def test_the_task_is_safe_to_run_twice(interests):
    run = MatchingRun.objects.create(scope=MatchingRun.Scope.ALL, trigger="test")

    run_matching(run_id=run.pk)
    run_matching(run_id=run.pk)
    run_matching(run_id=run.pk + 1000)  # gone: logged and ignored

    run.refresh_from_db()
    assert (run.status, counts(run), Proposal.objects.count()) == ("finished", (4, 0, 0, 0), 4)


def test_a_good_practice_published_or_withdrawn_refreshes_its_citys_proposals(
    interests, eager_tasks, django_capture_on_commit_callbacks
):
    from cities.services import good_practice_create, good_practice_withdraw

    world = interests
    full_run()

    with django_capture_on_commit_callbacks(execute=True):
        festival = good_practice_create(
            city=world.sao_paulo, title="Heritage walks", summary="Guided walks.", themes=[world.heritage]
        )
    published = open_pairs()
    with django_capture_on_commit_callbacks(execute=True):
        good_practice_withdraw(good_practice=festival)

    assert ("Morelia", "São Paulo", 7.0, "pending") in published  # now addresses Morelia's Tourism
    assert ("Morelia", "São Paulo", 7.0, "superseded") in open_pairs()
    assert list(
        MatchingRun.objects.filter(scope=MatchingRun.Scope.CITY).values_list("city__name", "trigger")
    ) == [("São Paulo", "city data changed"), ("São Paulo", "city data changed")]


def test_a_city_is_invitable_once_a_consenting_contact_has_an_address(
    interests, staff_client, django_capture_on_commit_callbacks, eager_tasks
):
    from django.urls import reverse

    from cities.services import person_consent_give
    from tests.partnerships.matching.test_index import change_form_data

    world = interests
    full_run()

    def oaxaca_anyang() -> Proposal:
        return Proposal.objects.get(
            city_a__in=[world.oaxaca, world.anyang], city_b__in=[world.oaxaca, world.anyang]
        )

    assert oaxaca_anyang().is_invitable is False  # Anyang has no contact at all
    # A contact who agrees to be contacted but left no address: still no one to write to.
    with django_capture_on_commit_callbacks(execute=True):
        contact = person_consent_give(person=factories.person(city=world.anyang), source="test")
    assert oaxaca_anyang().is_invitable is False

    url = reverse("admin:cities_person_change", args=[contact.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, change_form_data(staff_client, url, email="office@anyang.example"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert oaxaca_anyang().is_invitable is True


def test_every_engine_weight_and_rule_is_the_staffs_setting(db):
    from dataclasses import fields

    from partnerships.matching.engine import Rules, Weights
    from partnerships.matching.loading import engine_rules, engine_weights

    settings_row = matching_settings()
    for number, field in enumerate(fields(Weights), start=1):
        # Every weight x is the setting weight_x; the neighbours' distance is nearby_km.
        setattr(settings_row, field.name if field.name == "nearby_km" else f"weight_{field.name}", number / 4)
    settings_row.proposals_per_city, settings_row.bucket_cap, settings_row.min_score = 5, 9, 2.5
    settings_row.allow_same_country, settings_row.allow_triangular = True, False

    assert engine_weights(settings_row) == Weights(
        *[number / 4 for number in range(1, len(fields(Weights)) + 1)]
    )
    assert engine_rules(settings_row) == Rules(
        proposals_per_city=5, allow_same_country=True, allow_triangular=False, min_score=2.5, bucket_cap=9
    )


# --- runs whose worker was lost ---------------------------------------------------------------------


def test_a_run_whose_heartbeat_stopped_is_interrupted_and_the_button_starts_a_new_one(
    eager_tasks, interests, staff_client, settings, django_capture_on_commit_callbacks
):
    settings.MATCHING_INTERRUPTED_AFTER_SECONDS = 90
    now = timezone.now()
    lost = MatchingRun.objects.create(
        trigger="admin", status=MatchingRun.Status.RUNNING, started_at=now - dt.timedelta(minutes=5)
    )
    MatchingRun.objects.filter(pk=lost.pk).update(heartbeat_at=now - dt.timedelta(seconds=91))
    alive = MatchingRun.objects.create(
        scope=MatchingRun.Scope.CITY, status=MatchingRun.Status.RUNNING, started_at=now, heartbeat_at=now
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("admin:partnerships_proposal_run_matching"))

    lost.refresh_from_db()
    alive.refresh_from_db()
    new_run = MatchingRun.objects.get(scope="all", trigger="admin", status="finished")
    assert response["Location"] == reverse("admin:partnerships_proposal_run", args=[new_run.pk])
    assert (lost.status, lost.finished_at is not None) == ("interrupted", True)
    assert lost.error.startswith("Interrupted: the worker running it stopped (no heartbeat since ")
    assert alive.status == "running"
    page = staff_client.get(reverse("admin:partnerships_proposal_run", args=[lost.pk])).content.decode()
    assert "Interrupted" in page and 'http-equiv="refresh"' not in page


def test_a_run_queued_while_the_broker_was_down_is_queued_again_and_runs(
    eager_tasks, interests, staff_client, settings, broker_down, django_capture_on_commit_callbacks
):
    settings.MATCHING_REQUEUE_AFTER_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:partnerships_proposal_run_matching"))
    run = MatchingRun.objects.get(scope="all")
    assert run.status == "queued"

    too_soon = matching_runs_recover()
    celery_app.conf.task_always_eager = True  # the broker is back
    with django_capture_on_commit_callbacks(execute=True):
        later = matching_runs_recover(now=timezone.now() + dt.timedelta(seconds=61))

    run.refresh_from_db()
    assert (too_soon, later) == ({"interrupted": 0, "requeued": 0}, {"interrupted": 0, "requeued": 1})
    assert run.status == "finished"
    assert Proposal.objects.filter(run=run).count() == run.created_count > 0


def test_a_run_marked_interrupted_while_it_ran_writes_nothing(interests):
    run = matching_run_create(trigger="test")
    MatchingRun.objects.filter(pk=run.pk).update(status=MatchingRun.Status.RUNNING)

    def interrupt_before_saving(stage, done, total):
        if stage == "saving":
            MatchingRun.objects.filter(pk=run.pk).update(status=MatchingRun.Status.INTERRUPTED)

    run.status = MatchingRun.Status.QUEUED
    MatchingRun.objects.filter(pk=run.pk).update(status=MatchingRun.Status.QUEUED)
    matching_run_execute(run=run, progress=interrupt_before_saving)

    run.refresh_from_db()
    assert run.status == "interrupted"
    assert Proposal.objects.count() == 0


def test_a_one_city_refresh_displaces_a_partners_weaker_proposal_and_converges_to_a_full_run(
    world, staff_user, eager_tasks, django_capture_on_commit_callbacks
):
    matching_settings_update(by=staff_user, proposals_per_city=1)
    world.interest(world.oaxaca, themes_sought=[world.heritage])
    full_run()
    oaxaca_anyang = Proposal.objects.get(city_a=world.oaxaca, city_b=world.anyang)
    assert oaxaca_anyang.status == "pending"

    # Morelia names Anyang, whose heritage practice also meets its Tourism: a clearly better pair.
    with django_capture_on_commit_callbacks(execute=True):
        world.interest(world.morelia, partner_cities=[world.anyang], priorities=[world.tourism])

    oaxaca_anyang.refresh_from_db()
    refresh = MatchingRun.objects.get(scope=MatchingRun.Scope.CITY, city=world.morelia)
    assert oaxaca_anyang.status == "superseded"
    assert timeline_reading.who_and_sentence(TimelineEvent.objects.filter(proposal=oaxaca_anyang))[-1] == (
        "Travel South",
        f"Superseded by matching run #{refresh.pk}: replaced by a better pair, Morelia–Anyang.",
    )
    incremental = [pair for pair in open_pairs() if pair[3] == "pending"]
    assert [pair[:2] for pair in incremental] == [("Morelia", "Anyang")]
    # Oaxaca, which lost its proposal, is refreshed in turn (and finds nobody else for heritage).
    assert list(
        MatchingRun.objects.filter(scope=MatchingRun.Scope.CITY, city=world.oaxaca).values_list(
            "trigger", "status"
        )
    ) == [("a better pair displaced one of its proposals", "finished")]

    batch = full_run()

    assert counts(batch)[0] == 0  # nothing new: the refresh already reached the full run's result
    assert [pair for pair in open_pairs() if pair[3] == "pending"] == incremental


def test_the_beat_runs_matching_over_all_cities_every_night(settings):
    from partnerships.tasks import nightly_matching_run

    entry = settings.CELERY_BEAT_SCHEDULE["partnerships.nightly_matching_run"]

    run_id = nightly_matching_run()

    assert entry["task"] == "partnerships.nightly_matching_run"
    assert entry["schedule"].hour == {settings.MATCHING_NIGHTLY_HOUR}
    assert MatchingRun.objects.filter(pk=run_id, scope=MatchingRun.Scope.ALL, trigger="nightly").exists()


def test_a_run_past_its_time_limit_ends_failed_and_writes_nothing(interests, settings):
    settings.MATCHING_RUN_TIME_LIMIT_SECONDS = 0

    run = full_run()

    assert (run.status, Proposal.objects.count()) == ("failed", 0)
    assert run.error == (
        "Stopped at the time limit (0 s, MATCHING_RUN_TIME_LIMIT_SECONDS) during the loading stage; "
        "nothing was written."
    )
    assert run.finished_at is not None


def test_celerys_soft_time_limit_in_the_middle_of_a_run_ends_it_failed_with_nothing_written(interests):
    from celery.exceptions import SoftTimeLimitExceeded

    def soft_limit_strikes(stage: str, done: int, total: int) -> None:
        # What Celery's soft limit does in a worker: raise in the task, wherever it is.
        if stage == "reasons":
            raise SoftTimeLimitExceeded()

    run = matching_run_execute(run=matching_run_create(trigger="test"), progress=soft_limit_strikes)

    assert (run.status, Proposal.objects.count()) == ("failed", 0)
    assert run.error.startswith(
        "Stopped at the time limit (3600 s, MATCHING_RUN_TIME_LIMIT_SECONDS) during the "
    )


def test_a_runs_progress_is_stored_as_it_goes(interests):
    seen_in_the_database = []

    def read_back(stage: str, done: int, total: int) -> None:
        # Called before each report is written: the row shows the previous one.
        row = MatchingRun.objects.filter(trigger="test").values_list(
            "stage", "progress_done", "progress_total"
        )
        seen_in_the_database.append(row.get())

    run = matching_run_execute(run=matching_run_create(trigger="test"), progress=read_back)

    assert seen_in_the_database[0] == ("", 0, 0)
    assert ("loading", 0, 1) in seen_in_the_database
    assert ("candidates", 5, 5) in seen_in_the_database  # the five cities of the world
    assert ("selection", 1, 1) in seen_in_the_database
    assert (run.status, run.stage) == ("finished", "")
