"""The report's data set: loaded idempotently, every published figure read back from the database."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from cities.models import City, Country, GoodPractice, Organisation, Person
from partnerships.models import DevelopmentPriority, Interest
from report.loading import load_report
from surveys.models import Answer, Option, Question, Response, Survey
from webinars.models import AgendaItem, ViewCount, Webinar, WebinarSeries
from webinars.selectors import series_list, webinar_list

pytestmark = pytest.mark.django_db

COUNTED_MODELS = [
    City,
    Country,
    GoodPractice,
    Organisation,
    Person,
    DevelopmentPriority,
    Interest,
    Survey,
    Question,
    Option,
    Response,
    Answer,
    Webinar,
    WebinarSeries,
    AgendaItem,
    ViewCount,
]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED_MODELS}


def test_load_report_twice_changes_nothing():
    first = load_report()
    counts_after_first = row_counts()

    second = load_report()

    assert first.changed
    assert not second.changed
    assert row_counts() == counts_after_first
    assert sum(second.unchanged.values()) == sum(first.created.values())


def test_load_report_command_says_what_it_did(capsys):
    call_command("load_report")
    call_command("load_report")

    output = capsys.readouterr().out.strip().splitlines()
    assert output[-1].startswith("Report data loaded: 0 created, 0 updated,")


def test_views_per_webinar_and_total_match_the_report(report_data):
    views = {webinar.number: webinar.total_views for webinar in webinar_list()}

    assert views == {1: 125_000, 2: 115_000, 3: 435_000, 4: 351_000}
    assert [series.total_views for series in series_list()] == [1_026_000]


def test_webinars_have_dates_languages_and_full_agendas(report_data):
    webinars = {webinar.number: webinar for webinar in Webinar.objects.prefetch_related("languages")}

    assert {n: w.broadcast_on.isoformat()[:7] for n, w in webinars.items()} == {
        1: "2020-08",
        2: "2020-11",
        3: "2020-12",
        4: "2021-01",
    }
    assert {n: sorted(lang.code for lang in w.languages.all()) for n, w in webinars.items()} == {
        1: ["en", "zh"],
        2: ["en", "zh"],
        3: ["en", "sgn", "zh"],
        4: ["en", "es", "zh"],
    }
    speakers_of_4 = list(
        AgendaItem.objects.filter(webinar__number=4, kind="city_showcase")
        .order_by("order")
        .values_list("speaker__full_name", flat=True)
    )
    assert len(speakers_of_4) == 14
    assert speakers_of_4[0] == "Nataly Hernandez Romero"
    assert speakers_of_4[-1] == "Anabelí Contreras Julián"
    assert AgendaItem.objects.filter(webinar__number=1, order=1).values_list(
        "moderator__full_name", flat=True
    )[0] == ("Xiaojun Grace Wang")
    assert AgendaItem.objects.filter(webinar__number=4, order=1).values_list(
        "moderator__full_name", flat=True
    )[0] == ("Muriel Obon")


def test_the_24_cities_and_local_authorities_from_11_countries(report_data):
    showcased = City.objects.filter(showcased_in_series=True)
    presenting_countries = Country.objects.filter(cities__good_practices__webinar__isnull=False).distinct()

    assert showcased.count() == 24
    assert sorted(set(showcased.values_list("country__iso_code", flat=True))) == [
        "BR",
        "CN",
        "FJ",
        "IT",
        "MX",
        "PH",
        "RW",
        "TR",
        "UZ",
        "ZA",
    ]
    assert presenting_countries.count() == 11
    assert {"mexico-city", "campeche", "xiamen", "ghana"} <= set(City.objects.values_list("slug", flat=True))


def test_good_practices_are_tied_to_owner_webinar_and_speaker(report_data):
    practices = GoodPractice.objects.all()

    assert practices.count() >= 15
    assert not practices.filter(webinar__isnull=True).exists()
    assert not practices.filter(speaker__isnull=True).exists()
    assert practices.annotate(theme_total=Count("themes")).filter(theme_total=0).count() == 0
    assert set(practices.filter(city__slug="dunhuang").values_list("webinar__number", flat=True)) == {1, 4}
    assert practices.filter(is_reconstructed=True).count() == 1


def yes_percentage(question_order: int) -> int:
    answers = Answer.objects.filter(
        question__survey__slug="post-webinar-survey-china-mexico", question__order=question_order
    )
    return round(100 * answers.filter(yes=True).count() / Response.objects.count())


def test_survey_aggregates_match_the_report(report_data):
    responses = Response.objects.filter(survey__slug="post-webinar-survey-china-mexico")
    priorities = dict(
        Option.objects.filter(question__order=9)
        .annotate(chosen=Count("answers"))
        .values_list("label", "chosen")
    )
    cities_named = dict(
        Option.objects.filter(question__order=11)
        .annotate(chosen=Count("answers"))
        .values_list("label", "chosen")
    )

    assert responses.count() == 10
    assert responses.values("city").distinct().count() == 8
    assert set(responses.values_list("city__country__iso_code", flat=True)) == {"MX"}
    assert [yes_percentage(order) for order in range(1, 9)] == [100, 80, 100, 100, 100, 100, 100, 100]
    assert yes_percentage(10) == 90
    assert priorities == {"Tourism": 8, "Transport": 4, "SMEs": 3, "Youth entrepreneurship": 3}
    assert cities_named == {
        "Luoyang": 4,
        "Anyang": 2,
        "Dunhuang": 2,
        "Huai'an": 2,
        "Other (not specified)": 4,
    }
    assert responses.filter(is_reconstructed=True).count() == 10


def test_load_report_rolls_back_everything_on_bad_data(tmp_path, settings):
    source = settings.REPORT_DATA_DIR
    (tmp_path / "vocabulary.yaml").write_text(
        (source / "vocabulary.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    broken = (
        (source / "travel-south-over-cloud.yaml")
        .read_text(encoding="utf-8")
        .replace("speaker: qian-li", "speaker: nobody-of-that-name")
    )
    (tmp_path / "travel-south-over-cloud.yaml").write_text(broken, encoding="utf-8")

    with pytest.raises(Exception, match="nobody-of-that-name"):
        load_report(data_dir=tmp_path)

    assert City.objects.count() == 0
    assert Webinar.objects.count() == 0


def broken_data_dir(tmp_path, settings, old: str, new: str):
    source = settings.REPORT_DATA_DIR
    (tmp_path / "vocabulary.yaml").write_text(
        (source / "vocabulary.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    report = (source / "travel-south-over-cloud.yaml").read_text(encoding="utf-8")
    assert old in report
    (tmp_path / "travel-south-over-cloud.yaml").write_text(report.replace(old, new, 1), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # A field's own rule, checked before the row is written.
        ("views: 125000", "views: -5", r"View count \(webinar=.*\): views: Ensure this value is greater"),
        # A constraint the database enforces when the row is written.
        (
            "ends_on: 2021-01-31",
            "ends_on: 2019-01-31",
            r"Webinar series \(.*\): .*series_ends_after_it_starts",
        ),
    ],
    ids=["field-rule", "database-constraint"],
)
def test_load_report_command_names_the_row_and_the_rule_bad_data_breaks_and_saves_nothing(
    tmp_path, settings, old, new, message
):
    from django.core.management.base import CommandError

    data_dir = broken_data_dir(tmp_path, settings, old, new)

    with pytest.raises(CommandError, match=message):
        call_command("load_report", data_dir=data_dir)

    assert City.objects.count() == 0
    assert WebinarSeries.objects.count() == 0
