"""The timeline: one writer, entries stored as data and read as sentences in the reader's language."""

import ast
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from cities.services import person_consent_give
from partnerships.lifecycle import (
    proposal_approve,
    proposal_reject,
    proposal_themes_update,
    proposals_invite_waiting,
)
from partnerships.models import TimelineEvent
from partnerships.timeline import timeline_entries
from tests import factories

from .invitations import builders

pytestmark = pytest.mark.django_db

WRITER = Path("partnerships", "timeline.py")
APPS = ["travelsouth", "cities", "webinars", "surveys", "partnerships", "report", "portal"]


def _creates_timeline_rows(tree: ast.AST) -> list[int]:
    """Lines that make TimelineEvent rows: TimelineEvent(...), TimelineEvent.objects.create/bulk_create/
    get_or_create/update_or_create, or any of those on a manager reached through a relation named
    ``timeline``."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "TimelineEvent":
            lines.append(node.lineno)
        if isinstance(func, ast.Attribute) and func.attr in {
            "create",
            "bulk_create",
            "get_or_create",
            "update_or_create",
        }:
            source = ast.unparse(func.value)
            if "TimelineEvent" in source or source.endswith(".timeline"):
                lines.append(node.lineno)
    return lines


def test_no_module_but_the_timeline_writer_creates_timeline_rows():
    offenders = {}
    for app in APPS:
        for path in Path(settings.BASE_DIR, app).rglob("*.py"):
            relative = path.relative_to(settings.BASE_DIR)
            if "migrations" in relative.parts or relative == WRITER:
                continue
            lines = _creates_timeline_rows(ast.parse(path.read_text(), filename=str(relative)))
            if lines:
                offenders[str(relative)] = lines

    assert offenders == {}
    assert _creates_timeline_rows(ast.parse(Path(settings.BASE_DIR, WRITER).read_text()))


def test_the_check_would_catch_a_second_writer():
    rogue = ast.parse(
        "TimelineEvent.objects.create(kind='approved')\n"
        "proposal.timeline.bulk_create([])\n"
        "TimelineEvent(kind='x')\n"
        "Proposal.objects.create(score=1)\n"
    )

    assert _creates_timeline_rows(rogue) == [1, 2, 3]


@pytest.fixture
def decided(staff_user):
    """A proposal that staff retheme and approve while Luoyang has nobody to invite, then Luoyang's
    contact consents again: the approval waited, then both cities were invited."""
    proposal, _spanish, chinese = builders.proposal_with_contacts()
    chinese.contact_consent_withdrawn_at = chinese.contact_consent_given_at
    chinese.save(update_fields=["contact_consent_withdrawn_at"])
    heritage = factories.theme()
    trade = factories.theme(slug="trade", name="Trade")
    heritage.name_es, heritage.name_zh_hans = "Conservación del patrimonio", "遗产保护"
    heritage.save()
    proposal_themes_update(proposal=proposal, themes=[heritage, trade], by=staff_user)
    proposal_approve(proposal=proposal, by=staff_user)
    person_consent_give(person=chinese, source="test")
    proposals_invite_waiting(city_id=chinese.city_id)
    return proposal


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "es",
            [
                "Temas cambiados por staff: Conservación del patrimonio → Conservación del patrimonio, Trade.",
                "Aprobada por staff.",
                "Aprobada, a la espera de un contacto de Luoyang: allí nadie ha aceptado todavía ser "
                "contactado. Las ciudades serán invitadas en cuanto alguien lo haga.",
                "Un contacto de Luoyang aceptó ser contactado: ahora se invita a ambas ciudades.",
                "Personas invitadas: Ana Morales (Morelia), Li Wei (Luoyang).",
            ],
        ),
        (
            "zh-hans",
            [
                "staff更改了主题：遗产保护 → Trade、遗产保护。",
                "由staff批准。",
                "已批准，正在等待洛阳的联系人：那里尚无人同意被联系。一旦有人同意，即邀请两座城市。",
                "洛阳的一位联系人同意被联系：现已邀请两座城市。",
                "已邀请：Ana Morales（莫雷利亚）、Li Wei（洛阳）。",
            ],
        ),
    ],
)
def test_staff_read_the_timeline_in_the_language_they_chose(staff_client, decided, language, expected):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = staff_client.get(reverse("admin:partnerships_proposal_change", args=[decided.pk]))

    assert page.status_code == 200
    assert timeline_details(page.content.decode()) == expected


def timeline_details(html: str) -> list[str]:
    """The "details" column of the timeline table on an admin page, as text."""
    table = re.search(r'<table class="matching-timeline">(.*?)</table>', html, re.S)
    assert table is not None, "no timeline on the page"
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)[1:]
    return [unescape(re.sub(r"<[^>]+>", "", re.findall(r"<td>(.*?)</td>", row, re.S)[-1])) for row in rows]


def test_reading_a_page_of_timeline_costs_the_same_queries_for_one_or_many_events(
    staff_user, django_assert_max_num_queries
):
    proposal, _spanish, _chinese = builders.proposal_with_contacts()
    proposal_reject(proposal=proposal, by=staff_user, reason="Wait a year.")
    few = list(TimelineEvent.objects.select_related("actor"))
    for number in range(30):
        other, _a, _b = builders.proposal_with_contacts()
        proposal_reject(proposal=other, by=staff_user, reason=f"Reason {number}")
    many = list(TimelineEvent.objects.select_related("actor"))

    with django_assert_max_num_queries(2):
        timeline_entries(few)
    with django_assert_max_num_queries(2):
        lines = timeline_entries(many)

    assert len(lines) == 31


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_stored_messages_into_data():
    """Slow by nature (about 13 s): migrates a database back before the timeline's data migration and
    forward again."""
    try:
        _check_the_migration()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _check_the_migration():
    executor = MigrationExecutor(connection)
    executor.migrate([("partnerships", "0007_timeline_event_kinds"), ("cities", "0005_city_name_id_index")])
    old = executor.loader.project_state([("partnerships", "0007_timeline_event_kinds")]).apps
    City = old.get_model("cities", "City")
    Country = old.get_model("cities", "Country")
    Region = old.get_model("cities", "Region")
    Proposal = old.get_model("partnerships", "Proposal")
    Event = old.get_model("partnerships", "TimelineEvent")
    region = Region.objects.create(name="Asia", code="142", level="region")
    eastern_asia = Region.objects.create(name="Eastern Asia", code="030", level="subregion", parent=region)
    china = Country.objects.create(name="China", iso_code="CN", region=region, subregion=eastern_asia)
    luoyang = City.objects.create(name="Luoyang", slug="luoyang", country=china)
    morelia = City.objects.create(name="Morelia", slug="morelia", country=china)
    proposal = Proposal.objects.create(city_a=luoyang, city_b=morelia, score=1)
    at = "2026-01-01T00:00:00Z"
    Event.objects.create(
        proposal=proposal,
        at=at,
        kind="no_contact",
        actor_label="Travel South",
        message="Luoyang: nobody who agreed to be contacted; this city was not invited.",
    )
    Event.objects.create(
        proposal=proposal,
        at=at,
        kind="proposed",
        actor_label="Travel South matching",
        message="Proposed…",
        data={"run": 3, "score": 2.5},
    )
    Event.objects.create(
        proposal=proposal, at=at, kind="check_in", message="A free-form note", actor_label="X"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    events = list(TimelineEvent.objects.order_by("id"))
    assert [(event.kind, event.actor_label, event.data) for event in events] == [
        ("no_contact", "", {"city": luoyang.pk}),
        ("proposed", "", {"run": 3, "score": 2.5}),
        ("check_in", "X", {"text": "A free-form note"}),
    ]
    assert [line.text for line in timeline_entries(events)][:2] == [
        "Luoyang has nobody who agreed to be contacted: this city was not invited.",
        "Proposed by matching run #3 with score 2.5.",
    ]
