"""Two requests creating a good practice with the same title at the same moment, each on its own
PostgreSQL connection (two threads): both get their own slug, neither a 500 nor an IntegrityError.

Both requests are held just before their insert until the other has picked its slug too, so they
always collide: one inserts, the other waits on the unique index until the first commits, loses, and
is retried under the next slug. SQLite cannot run it (one writer at a time, and its test database
lives in one connection), so it skips there; under REQUIRE_SERVICES=1 it fails instead."""

import threading

import pytest
from django.db import connection, connections
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse

from cities.models import GoodPractice
from cities.services import good_practice_create
from tests import factories
from tests.conftest import skip_or_fail

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("the slug race needs two PostgreSQL connections (DATABASE_URL); SQLite has one writer")


@pytest.fixture
def both_pick_a_slug_before_either_inserts():
    """Each thread's first insert of a good practice waits until the other thread has reached its own
    (after both checked which slug is free): the window a real race falls into, made certain."""
    barrier = threading.Barrier(2, timeout=20)
    waited = set()

    def hold(sender, instance, **kwargs):
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            barrier.wait()

    pre_save.connect(hold, sender=GoodPractice, weak=False)
    yield
    pre_save.disconnect(hold, sender=GoodPractice)


def _in_two_threads(work) -> list:
    """``work(number)`` in two threads at once, each with its own database connection; what each
    returned or raised."""
    outcomes: list = [None, None]

    def run(number):
        try:
            outcomes[number] = work(number)
        except BaseException as error:
            outcomes[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_services_creating_one_title_at_once_both_get_their_own_slug(
    postgresql, both_pick_a_slug_before_either_inserts
):
    cities = [factories.city(name="Cusco"), factories.city(name="Lima")]
    theme = factories.theme()

    outcomes = _in_two_threads(
        lambda number: (
            good_practice_create(
                city=cities[number], title="Night tours", summary="Tours after dark.", themes=[theme]
            ).slug
        )
    )

    assert sorted(outcomes) == ["night-tours", "night-tours-2"]
    assert sorted(GoodPractice.objects.values_list("slug", "city__name")) == sorted(
        zip(outcomes, ["Cusco", "Lima"], strict=True)
    )


def test_two_officials_posting_one_title_at_once_both_publish_it(
    postgresql, both_pick_a_slug_before_either_inserts
):
    theme = factories.theme()
    cities = [factories.city(name="Cusco"), factories.city(name="Lima")]
    officials = [factories.official(city_=city) for city in cities]

    def post(number):
        client = Client()
        client.force_login(officials[number])
        response = client.post(
            reverse("cities:practice_create", args=[cities[number].slug]),
            {"title_en": "Night tours", "summary_en": "Tours after dark.", "themes": [theme.pk], "year": "2024"},
        )
        return response.status_code, response.get("Location")

    outcomes = _in_two_threads(post)

    assert outcomes == [
        (302, reverse("cities:manage", args=[cities[0].slug])),
        (302, reverse("cities:manage", args=[cities[1].slug])),
    ]
    assert sorted(GoodPractice.objects.values_list("slug", flat=True)) == ["night-tours", "night-tours-2"]
    assert {practice.city.name for practice in GoodPractice.objects.select_related("city")} == {
        "Cusco",
        "Lima",
    }
