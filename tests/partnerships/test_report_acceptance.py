"""Acceptance against the report: every Mexican city that named a Chinese city in the survey gets a
proposal with it, explained by the survey answer and a good practice that meets one of its
priorities; or the run says why not."""

import pytest
from django.urls import reverse
from django.utils import translation

from cities.models import City
from partnerships.matching.configuration import matching_settings_update
from partnerships.matching.explanations import describe_cause, describe_run_notes, explain_reasons
from partnerships.matching.runs import matching_run_create, matching_run_execute
from partnerships.models import Interest, Proposal
from surveys.models import Answer, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_data(shared_report_data):
    """The report loaded once for the module (tests/conftest.py): no test here commits."""
    return shared_report_data


def named_chinese_cities() -> set[tuple[str, str]]:
    """(Mexican city, Chinese city) for every such choice in the loaded survey answers."""
    return {
        (mexican, chinese)
        for mexican, chinese in Answer.options.through.objects.filter(
            answer__question__purpose=Question.Purpose.PARTNER_CITIES,
            answer__response__city__country__iso_code="MX",
            option__city__country__iso_code="CN",
        ).values_list("answer__response__city__slug", "option__city__slug")
    }


@pytest.fixture
def surveyed(report_data):
    """The report's data: load_report feeds the survey answers to brokering (partnerships.survey_answers), so
    each surveyed city's current interest comes from its survey responses."""
    return report_data


def test_every_named_chinese_city_is_proposed_with_the_survey_answer_and_a_good_practice(surveyed):
    wanted = named_chinese_cities()

    run = matching_run_execute(run=matching_run_create(trigger="test"))

    assert wanted == {
        ("morelia", "luoyang"),
        ("morelia", "anyang"),
        ("oaxaca", "luoyang"),
        ("oaxaca", "dunhuang"),
        ("queretaro", "luoyang"),
        ("queretaro", "huaian"),
        ("durango", "anyang"),
        ("guanajuato", "dunhuang"),
        ("guanajuato", "huaian"),
    }
    assert run.notes == []
    for mexican_slug, chinese_slug in sorted(wanted):
        mexican, chinese = City.objects.get(slug=mexican_slug), City.objects.get(slug=chinese_slug)
        proposal = Proposal.objects.get(
            city_a=min(mexican, chinese, key=lambda city: city.pk),
            city_b=max(mexican, chinese, key=lambda city: city.pk),
            status=Proposal.Status.PENDING,
        )
        interest = Interest.objects.get(city=mexican, is_current=True)
        named = [reason for reason in proposal.reasons if reason["kind"] == "named_city"]
        assert [(reason["seeker"], reason["partner"], reason["interest"]) for reason in named] == [
            (mexican.pk, chinese.pk, interest.pk)
        ]
        answer = Answer.objects.get(pk=named[0]["answer"])
        assert (
            answer.response.city,
            answer.response.survey_id,
            answer.options.get(pk=named[0]["option"]).city,
        ) == (
            mexican,
            interest.survey_response.survey_id,
            chinese,
        )
        chinese_practices = set(chinese.good_practices.values_list("pk", flat=True))
        priorities = set(interest.priorities.values_list("pk", flat=True))
        assert [
            reason
            for reason in proposal.reasons
            if reason["kind"] == "priority"
            and reason["priority"] in priorities
            and set(reason["practices"]) & chinese_practices
        ], (mexican_slug, chinese_slug, proposal.reasons)


def test_the_report_example_reads_as_sentences_in_three_languages(surveyed):
    matching_run_execute(run=matching_run_create(trigger="test"))
    morelia, luoyang = City.objects.get(slug="morelia"), City.objects.get(slug="luoyang")
    proposal = Proposal.objects.get(city_a__in=[morelia, luoyang], city_b__in=[morelia, luoyang])

    sentences = {}
    for language in ("en", "es", "zh-hans"):
        with translation.override(language):
            sentences[language] = [reason.text for reason in explain_reasons([proposal.reasons])[0]]

    assert sentences["en"] == [
        "Morelia named Luoyang in the survey “Post-webinar survey and assessment”: "
        "a respondent for Morelia chose “Luoyang”.",
        "Luoyang's good practice “Regional tourism cooperation and consultation mechanisms along the Silk Road” "
        "addresses Morelia's priority Tourism. It was presented at a webinar of the series.",
        "Both are World Heritage cities.",
    ]
    assert sentences["es"] == [
        "Morelia mencionó a Luoyang en la encuesta «Encuesta y evaluación posterior al webinar»: "
        "una persona que respondió por Morelia eligió «Luoyang».",
        "La buena práctica «Mecanismos regionales de cooperación y consulta turística a lo largo de la Ruta de "
        "la Seda» de Luoyang responde a la prioridad Turismo de Morelia. Se presentó en un webinar de la serie.",
        "Ambas son ciudades Patrimonio Mundial.",
    ]
    assert sentences["zh-hans"] == [
        "莫雷利亚在调查“研讨会后调查与评估”中提名了洛阳：代表莫雷利亚的受访者选择了“洛阳”。",
        "洛阳的良好实践“丝绸之路沿线区域旅游合作与协商机制”回应了莫雷利亚的发展重点“旅游”。该实践曾在本系列网络研讨会上介绍。",
        "两者都是世界遗产城市。",
    ]


def test_when_the_cap_keeps_a_named_city_out_the_run_and_the_admin_say_why(
    surveyed, staff_user, staff_client
):
    matching_settings_update(by=staff_user, proposals_per_city=1)
    wanted = named_chinese_cities()

    run = matching_run_execute(run=matching_run_create(trigger="test"))

    proposed = {
        frozenset((proposal.city_a.slug, proposal.city_b.slug))
        for proposal in Proposal.objects.select_related("city_a", "city_b")
    }
    not_proposed = {pair for pair in wanted if frozenset(pair) not in proposed}
    slugs = dict(City.objects.values_list("pk", "slug"))
    explained = {(slugs[note["seeker"]], slugs[note["partner"]]) for note in run.notes}
    assert not_proposed and not_proposed == explained
    assert {note["cause"] for note in run.notes} == {"cap"}
    page = staff_client.get(reverse("admin:partnerships_proposal_run", args=[run.pk])).content.decode()
    for line in describe_run_notes(run.notes, cap=1):
        assert line.replace("'", "&#x27;") in page
    assert "already has as many proposals as one run gives a city (the per-city cap of 1)" in page


def test_a_citys_no_to_a_countrys_cities_is_respected(surveyed):
    """Puebla answered "No" to collaborating with Chinese cities: it is proposed no Chinese city, and
    the reason reads in three languages."""
    puebla = City.objects.get(slug="puebla")
    interest = Interest.objects.get(city=puebla, is_current=True)
    assert list(interest.excluded_countries.values_list("iso_code", flat=True)) == ["CN"]

    matching_run_execute(run=matching_run_create(trigger="test"))

    partners = {
        proposal.city_b if proposal.city_a_id == puebla.pk else proposal.city_a
        for proposal in Proposal.objects.filter(city_a=puebla) | Proposal.objects.filter(city_b=puebla)
    }
    assert partners, "Puebla still gets proposals with cities outside China"
    assert {city.country.iso_code for city in partners}.isdisjoint({"CN"})
    assert [describe_cause("not_wanted", language=language) for language in ("en", "es", "zh-hans")] == [
        "one of the two cities said it does not want partners in the other's country or region",
        "una de las dos ciudades dijo que no quiere socias en el país o la región de la otra",
        "其中一座城市表示不希望与另一座城市所在国家或地区的城市结对",
    ]
