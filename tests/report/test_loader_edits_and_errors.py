"""load_report on a deploy: staff edits are never overwritten, and a bad data set is refused with the
file, the line, the row and the field, never a traceback."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from cities.models import City, GoodPractice
from report.models import LoadedRow
from tests.partnerships.matching.test_index import change_form_data

pytestmark = pytest.mark.django_db

REPORT = "travel-south-over-cloud.yaml"
VOCABULARY = "vocabulary.yaml"


def line_of(start: str) -> int:
    """The line of the data set's report file that starts with ``start``: messages name it."""
    lines = (Path(settings.REPORT_DATA_DIR) / REPORT).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if line.startswith(start))


TASHKENT = line_of("  - {slug: tashkent,")
ALANYA = line_of("  - {slug: alanya,")


@pytest.fixture
def eager_tasks():
    """The admin's save queues a proposal refresh: run it here, not on the shared broker."""
    from travelsouth.celery import app

    previous, app.conf.task_always_eager = app.conf.task_always_eager, True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A copy of the data set to change."""
    copy = tmp_path / "report"
    shutil.copytree(settings.REPORT_DATA_DIR, copy)
    return copy


def edit(data_dir: Path, name: str, old: str, new: str) -> None:
    path = data_dir / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def load(capsys, *options: str, data_dir: Path | None = None) -> list[str]:
    call_command("load_report", *options, *(["--data-dir", str(data_dir)] if data_dir else []))
    return capsys.readouterr().out.strip().splitlines()


# --- deploys keep staff edits -----------------------------------------------------------------------


def test_load_report_after_an_admin_edit_keeps_the_edit(staff_client, capsys, eager_tasks):
    load(capsys)
    tashkent = City.objects.get(slug="tashkent")
    url = reverse("admin:cities_city_change", args=[tashkent.pk])
    response = staff_client.post(
        url, change_form_data(staff_client, url, name_es="Tashkent (Taskent)", population="2956384")
    )
    assert response.status_code == 302

    output = load(capsys)

    tashkent.refresh_from_db()
    assert (tashkent.name_es, tashkent.population) == ("Tashkent (Taskent)", 2_956_384)
    assert output[-1].startswith("Report data loaded: 0 created, 0 updated, ")
    assert output[-1].endswith(" 0 skipped.")


def test_update_takes_new_values_only_where_nobody_edited_the_row_and_says_what_it_skipped(data_dir, capsys):
    load(capsys, data_dir=data_dir)
    City.objects.filter(slug="tashkent").update(name_es="Tashkent (Taskent)", population=2_956_384)
    edit(data_dir, REPORT, "{slug: tashkent, name: Tashkent,", "{slug: tashkent, name: Toshkent,")
    edit(data_dir, REPORT, "{slug: alanya, name: Alanya,", "{slug: alanya, name: Alanya, population: 364180,")

    without_update = load(capsys, data_dir=data_dir)
    unchanged_meanwhile = list(
        City.objects.filter(slug__in=["tashkent", "alanya"])
        .order_by("slug")
        .values_list("name", "population")
    )
    with_update = load(capsys, "--update", data_dir=data_dir)

    assert without_update == [
        "Skipped: City or local authority (slug=tashkent): the data set has new values for name; load_report --update takes them.",
        "Skipped: City or local authority (slug=alanya): the data set has new values for population; load_report --update takes them.",
        without_update[-1],
    ]
    assert without_update[-1].startswith("Report data loaded: 0 created, 0 updated,")
    assert unchanged_meanwhile == [("Alanya", None), ("Tashkent", 2_956_384)]
    assert with_update == [
        "Skipped: City or local authority (slug=tashkent): edited since the last load (name_es, population); the data set's "
        "new values for name were not taken.",
        with_update[-1],
    ]
    assert with_update[-1].startswith("Report data loaded: 0 created, 1 updated,")
    assert list(
        City.objects.filter(slug__in=["tashkent", "alanya"])
        .order_by("slug")
        .values_list("name", "name_es", "population")
    ) == [
        ("Alanya", "Alanya", 364_180),
        ("Tashkent", "Tashkent (Taskent)", 2_956_384),
    ]
    # The next update has nothing new to take: what it took is now the loaded value.
    assert load(capsys, "--update", data_dir=data_dir)[:-1] == [with_update[0]]


def test_a_row_staff_deleted_is_not_created_again(capsys):
    load(capsys)
    GoodPractice.objects.filter(slug="dunhuang-mogao-digital-exhibition-centre").delete()

    output = load(capsys)

    assert not GoodPractice.objects.filter(slug="dunhuang-mogao-digital-exhibition-centre").exists()
    assert output[0] == (
        "Skipped: Good practice (slug=dunhuang-mogao-digital-exhibition-centre): deleted (or its key changed) "
        "since the last load; not created again."
    )


def test_a_list_edited_by_staff_is_kept_on_update(data_dir, capsys):
    load(capsys, data_dir=data_dir)
    fiji = City.objects.get(slug="fiji")
    fiji.languages.remove(*fiji.languages.filter(code="fj"))
    edit(
        data_dir, REPORT, "languages: [en, fj], showcased: true}", "languages: [en, fj, fr], showcased: true}"
    )

    output = load(capsys, "--update", data_dir=data_dir)

    assert sorted(fiji.languages.values_list("code", flat=True)) == ["en"]
    assert (
        output[0]
        == "Skipped: City or local authority Fiji: languages: edited since the last load; the data set's new list was not taken."
    )


def test_the_loader_records_which_values_came_from_the_data_set(capsys):
    load(capsys)

    record = LoadedRow.objects.get(model="cities.city", key='{"slug": "tashkent"}')

    assert record.object_id == str(City.objects.get(slug="tashkent").pk)
    assert (record.values["name"], record.values["name_es"], record.values["latitude"]) == (
        "Tashkent",
        "Taskent",
        "41.29950",
    )
    assert sorted(record.values["languages[]"]) == sorted(
        City.objects.get(slug="tashkent").languages.values_list("pk", flat=True)
    )


def test_rows_loaded_before_records_were_kept_are_adopted_when_they_match(capsys):
    load(capsys)
    LoadedRow.objects.all().delete()
    City.objects.filter(slug="tashkent").update(population=2_956_384)

    output = load(capsys)

    assert output[0] == (
        "Skipped: City or local authority (slug=tashkent): differs from the data set (population) with no record of who set it; "
        "left as it is."
    )
    assert LoadedRow.objects.filter(model="cities.city").count() == City.objects.count() - 1


# --- a bad data set is refused clearly --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            REPORT,
            "{slug: tashkent, name: Tashkent, name_es: Taskent,",
            "{slug: tashkent, name: Tashkent, name_es: Taskent, name: Toshkent,",
            f"{REPORT}, line {TASHKENT}: the key 'name' appears twice in one entry (first on line {TASHKENT}); PyYAML would "
            "silently keep the last.",
        ),
        (
            REPORT,
            "  - {slug: alanya, name: Alanya,",
            "  - {slug: tashkent, name: Tashkent again, country: UZ}\n  - {slug: alanya, name: Alanya,",
            f"{REPORT}, line {ALANYA}, slug 'tashkent': City or local authority (slug=tashkent) is in the data set twice (first at "
            f"{REPORT}, line {TASHKENT}, slug 'tashkent').",
        ),
        (
            REPORT,
            "{slug: tashkent, name: Tashkent, name_es: Taskent, name_zh_hans: 塔什干, country: UZ, lat: 41.2995,",
            "{slug: tashkent, name: Tashkent, name_es: Taskent, name_zh_hans: 塔什干, country: UZ, lat: north,",
            f"{REPORT}, line {TASHKENT}, slug 'tashkent': expected a number, not 'north'.",
        ),
        (
            REPORT,
            "{slug: alanya, name: Alanya,",
            "{slug: alanya, name: Alanya, population: many,",
            f"{REPORT}, line {ALANYA}, slug 'alanya': population: expected a whole number, not 'many' (str).",
        ),
        (
            REPORT,
            "{slug: alanya, name: Alanya,",
            "{slug: alanya, name: 42,",
            f"{REPORT}, line {ALANYA}, slug 'alanya': name: expected text, not 42 (int).",
        ),
        (
            REPORT,
            "{slug: alanya, name: Alanya,",
            "{slug: alanya,",
            f"{REPORT}, line {ALANYA}, slug 'alanya': the field 'name' is missing",
        ),
        (
            REPORT,
            "{slug: alanya, name: Alanya,",
            "{slug: alanya, name: [Alanya,",
            f"{REPORT}, line {ALANYA}, column 145: not valid YAML (while parsing a flow sequence did not find "
            "expected ',' or ']').",
        ),
        (
            VOCABULARY,
            "\nthemes:\n",
            "\nthemes: 42\nunused:\n",
            f"{VOCABULARY}, line 4, entry: themes: wrong type, 42 (int)",
        ),
    ],
    ids=[
        "key-twice",
        "slug-twice",
        "lat-north",
        "population-many",
        "name-42",
        "name-missing",
        "yaml-syntax",
        "list-42",
    ],
)
def test_a_bad_data_set_is_refused_with_file_line_row_and_field(data_dir, name, old, new, message):
    edit(data_dir, name, old, new)

    with pytest.raises(CommandError) as refused:
        call_command("load_report", "--data-dir", str(data_dir))

    assert str(refused.value) == message
    assert City.objects.count() == 0  # all or nothing


def test_the_data_set_must_have_sections(data_dir):
    (data_dir / REPORT).write_text("- just\n- a list\n", encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        call_command("load_report", "--data-dir", str(data_dir))

    assert str(refused.value) == f"{REPORT}: expected sections (a mapping), not list."
