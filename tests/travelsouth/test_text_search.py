"""The admin's search through trigram indexes (travelsouth/text_search.py): the same answers as a
plain ``icontains`` on both databases, kept in step with writes (bulk ones included), and on each
database a query plan that reads the index."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cities.models import City, Person
from partnerships.models import Invitation, Proposal
from tests import factories
from tests.conftest import skip_or_fail
from travelsouth.text_search import SEARCHED, ensure_search_tables, rows_containing

pytestmark = pytest.mark.django_db


def _names(queryset) -> list[str]:
    return sorted(queryset.values_list("name", flat=True))


@pytest.fixture
def towns():
    return [
        factories.city(name="Cusco", name_es="Cuzco"),
        factories.city(name="Puebla"),
        factories.city(name="Luoyang", name_zh_hans="洛阳市"),
        factories.city(name="San Cristóbal de las Casas"),
    ]


def test_city_names_are_found_by_any_part_in_any_language_and_case(towns):
    found = {
        word: _names(rows_containing(City, word))
        for word in ["usc", "CUZ", "洛阳市", "洛阳", "las ca", "nowhere"]
    }

    assert found == {
        "usc": ["Cusco"],
        "CUZ": ["Cusco"],
        "洛阳市": ["Luoyang"],
        "洛阳": ["Luoyang"],  # two characters: no trigram, read without the index
        "las ca": ["San Cristóbal de las Casas"],
        "nowhere": [],
    }


def test_the_index_follows_updates_deletes_and_bulk_writes(towns):
    City.objects.filter(name="Puebla").update(name="Heroica Puebla")
    City.objects.filter(name="Cusco").delete()
    City.objects.bulk_create([City(slug="bulk-town", name="Bulktown", country=towns[1].country)])

    assert _names(rows_containing(City, "heroica")) == ["Heroica Puebla"]
    assert _names(rows_containing(City, "cusco")) == []
    assert _names(rows_containing(City, "ulkto")) == ["Bulktown"]


def test_the_proposal_and_invitation_searches_find_the_same_rows_as_icontains(staff_client, towns):
    cusco, puebla, luoyang, _ = towns
    for a, b, score in [(cusco, puebla, 1), (puebla, luoyang, 2)]:
        Proposal.objects.create(city_a=a, city_b=b, score=score)
    ana = factories.person(full_name="Ana Quispe", email="ana@cusco.example", city=cusco)
    li = factories.person(full_name="Li Wei", email="li@luoyang.example", city=luoyang)
    invitations = {
        person.full_name: Invitation.objects.create(
            kind=Invitation.Kind.INTRODUCTION,
            person=person,
            city=person.city,
            proposal=Proposal.objects.get(city_a=cusco)
            if person == ana
            else Proposal.objects.get(city_b=luoyang),
            due_at=timezone.now(),
            last_error="550 mailbox unavailable" if person == li else "",
        )
        for person in (ana, li)
    }

    def proposals(term):
        response = staff_client.get(reverse("admin:partnerships_proposal_changelist"), {"q": term})
        return sorted(str(proposal) for proposal in response.context["cl"].result_list)

    def invited(term):
        response = staff_client.get(reverse("admin:partnerships_invitation_changelist"), {"q": term})
        return sorted(invitation.person.full_name for invitation in response.context["cl"].result_list)

    assert proposals("cuzco") == proposals("CUSCO") == [str(Proposal.objects.get(city_a=cusco))]
    assert proposals("洛阳市 puebla") == [str(Proposal.objects.get(city_b=luoyang))]
    assert len(proposals("uebl")) == 2 and proposals("nowhere") == []
    assert invited("quispe") == invited("ana@cus") == invited("cuzco") == ["Ana Quispe"]
    assert invited("MAILBOX") == invited("洛阳") == ["Li Wei"]
    assert invited("wei mailbox") == ["Li Wei"] and invited("quispe mailbox") == []
    assert set(invitations) == {"Ana Quispe", "Li Wei"}


def test_a_search_table_whose_triggers_were_dropped_is_rebuilt_after_migrate(towns):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's search tables only (PostgreSQL's indexes follow their table)")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER cities_city_search_insert")
    factories.city(name="Missed town")

    ensure_search_tables()

    assert _names(rows_containing(City, "missed")) == ["Missed town"]


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + sql, params)
        return "\n".join(" ".join(str(cell) for cell in row) for row in cursor.fetchall())


def test_on_sqlite_the_search_reads_the_fts5_trigram_tables(towns):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite plan; the PostgreSQL one is the next test")

    plans = {
        model.__name__: _plan(*rows_containing(model, "ana").values("pk").query.sql_with_params())
        for model in (City, Person, Invitation)
    }

    assert {name: "VIRTUAL TABLE INDEX" in plan for name, plan in plans.items()} == {
        "City": True,
        "Person": True,
        "Invitation": True,
    }, plans


@pytest.mark.services
def test_on_postgresql_the_search_reads_the_trigram_indexes(towns):
    if connection.vendor != "postgresql":
        skip_or_fail("DATABASE_URL does not point at PostgreSQL")
    with connection.cursor() as cursor:
        # A handful of rows: the planner would read the table itself; this asks whether it can use the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # nor the name's btree, walked for its order

    plans = {
        model._meta.db_table: _plan(
            *rows_containing(model, "ana").order_by().values("pk").query.sql_with_params()
        )
        for model in (City, Person, Invitation)
    }

    used = {
        table: sorted(set(plan.split()) & {f"{table}_{c}_trgm" for c in SEARCHED[table]})
        for table, plan in plans.items()
    }
    assert used == {
        table: sorted(f"{table}_{c}_trgm" for c in columns) for table, columns in SEARCHED.items()
    }, plans
