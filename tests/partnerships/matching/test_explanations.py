"""Stored reasons read as sentences in English, Spanish and Chinese, with their evidence."""

import pytest
from django.utils import translation

from partnerships.matching.explanations import Evidence, describe_run_notes, explain_reasons
from tests import factories

pytestmark = pytest.mark.django_db


def sentences(reasons, language):
    with translation.override(language):
        return [reason.text for reason in explain_reasons([reasons])[0]]


def test_each_kind_of_reason_reads_as_a_sentence_in_each_language(world):
    venice = factories.city(
        name="Venice", country_=factories.country(iso_code="IT", name="Italy", is_global_south=False)
    )
    spanish = factories.language(code="es", name="Spanish")
    spanish.name_zh_hans = "西班牙语"
    spanish.save()
    luoyang, morelia = world.luoyang.pk, world.morelia.pk
    reasons = [
        {"kind": "named_city", "weight": 8.0, "seeker": luoyang, "partner": morelia},
        {"kind": "mutual", "weight": 4.0},
        {
            "kind": "named_country",
            "weight": 3.0,
            "seeker": morelia,
            "partner": luoyang,
            "country": world.china.pk,
        },
        {
            "kind": "named_region",
            "weight": 1.5,
            "seeker": morelia,
            "partner": luoyang,
            "region": world.china.region_id,
        },
        {
            "kind": "theme_sought",
            "weight": 1.4,
            "seeker": morelia,
            "partner": luoyang,
            "theme": world.heritage.pk,
        },
        {
            "kind": "priority",
            "weight": 1.2,
            "seeker": morelia,
            "partner": luoyang,
            "priority": world.tourism.pk,
            "themes": [world.cooperation.pk, world.heritage.pk],
        },
        {"kind": "common_language", "weight": 1.1, "languages": [spanish.pk]},
        {"kind": "world_heritage", "weight": 1.0},
        {"kind": "triangular", "weight": 0.0, "partner": venice.pk},
    ]

    assert sentences(reasons, "en") == [
        "Luoyang named Morelia as a city it wants to work with.",
        "Both cities named each other.",
        "Morelia wants to work with cities in China, Luoyang's country.",
        "Morelia wants to work with cities in Asia, where Luoyang is.",
        "Morelia is looking for Heritage conservation, which Luoyang offers.",
        "Luoyang offers Regional cooperation and Heritage conservation, which address Morelia's priority Tourism.",
        "They share a working language: Spanish.",
        "Both are World Heritage cities.",
        "Triangular cooperation: Venice is outside the global South.",
    ]
    assert sentences(reasons, "es")[:3] == [
        "Luoyang mencionó a Morelia como ciudad con la que quiere trabajar.",
        "Cada ciudad mencionó a la otra.",
        "Morelia quiere trabajar con ciudades de China, el país de Luoyang.",
    ]
    assert sentences(reasons, "zh-hans")[:3] == [
        "洛阳表示希望与Morelia合作。",
        "两座城市互相提名了对方。",
        "Morelia希望与中国的城市合作，洛阳位于该国。",
    ]
    assert sentences(reasons, "zh-hans")[6] == "双方有共同的工作语言：西班牙语。"


def test_practices_are_quoted_and_linked_as_evidence(world):
    interest = world.interest(world.morelia, themes_sought=[world.cooperation])
    second = factories.good_practice(city_=world.luoyang, title="Silk Road forum", themes=[world.cooperation])
    reason = {
        "kind": "theme_sought",
        "weight": 1.5,
        "seeker": world.morelia.pk,
        "partner": world.luoyang.pk,
        "theme": world.cooperation.pk,
        "practices": [world.luoyang_practice.pk, second.pk],
        "interest": interest.pk,
    }

    explained = explain_reasons([[reason]])[0][0]

    assert explained.text == (
        "Morelia is looking for Regional cooperation; Luoyang's good practices “Regional tourism cooperation "
        "mechanisms” and “Silk Road forum” offer it."
    )
    assert explained.evidence == [
        Evidence("interest", interest.pk, str(interest)),
        Evidence("good_practice", world.luoyang_practice.pk, "Regional tourism cooperation mechanisms"),
        Evidence("good_practice", second.pk, "Silk Road forum"),
    ]


def test_explaining_many_proposals_takes_a_constant_number_of_queries(world, django_assert_num_queries):
    reason = {"kind": "priority", "weight": 1.5, "seeker": world.morelia.pk, "partner": world.luoyang.pk}
    reason |= {"priority": world.tourism.pk, "practices": [world.luoyang_practice.pk]}

    with django_assert_num_queries(3):  # cities, priorities, practices
        explain_reasons([[reason]])
    with django_assert_num_queries(3):
        explain_reasons([[reason, {**reason, "partner": world.anyang.pk}]] * 20)


def test_run_notes_say_why_a_named_pair_was_not_proposed(world):
    notes = [
        {"seeker": world.morelia.pk, "partner": world.oaxaca.pk, "cause": "same_country"},
        {
            "seeker": world.morelia.pk,
            "partner": world.luoyang.pk,
            "cause": "cap",
            "blocking_city": world.luoyang.pk,
        },
    ]

    english = describe_run_notes(notes, cap=3, language="en")
    spanish = describe_run_notes(notes, cap=3, language="es")

    assert english == [
        "Morelia named Oaxaca, but no proposal was made: both are in the same country, "
        "and same-country pairs are not proposed.",
        "Morelia named Luoyang, but no proposal was made: Luoyang already has as many proposals as one run "
        "gives a city (the per-city cap of 3).",
    ]
    assert spanish[1] == (
        "Morelia mencionó a Luoyang, pero no se hizo ninguna propuesta: Luoyang ya tiene tantas propuestas como "
        "una ronda da a una ciudad (el límite de 3 por ciudad)."
    )


def test_neighbours_peers_complementarity_and_a_displacement_read_well_in_each_language(world):
    from partnerships.matching.explanations import describe_cause

    reasons = [
        {"kind": "complementary", "weight": 4.0},
        {"kind": "nearby", "weight": 1.0, "distance_km": 12480},
        {"kind": "nearby", "weight": 0.9, "region": world.china.subregion_id},
        {"kind": "similar_size", "weight": 0.5, "size_class": 1},
    ]
    world.china.subregion.name_es, world.china.subregion.name_zh_hans = "Asia oriental", "东亚"
    world.china.subregion.save()

    texts = {language: sentences(reasons, language) for language in ("en", "es", "zh-hans")}
    displaced = {
        language: describe_cause(
            "displaced",
            pair=[world.oaxaca.pk, world.anyang.pk],
            blocking_city=world.anyang.pk,
            language=language,
        )
        for language in ("en", "es", "zh-hans")
    }

    assert texts["en"] == [
        "Each city offers what the other is looking for.",
        "They are neighbours, 12,480 km apart.",
        "They are neighbours, both in Eastern Asia.",
        "They are places of the same kind and size (100,000 to 1 million inhabitants).",
    ]
    assert texts["es"] == [
        "Cada ciudad ofrece lo que la otra busca.",
        "Son vecinas, a 12\u00a0480 km una de otra.",
        "Son vecinas, ambas en Asia oriental.",
        "Son lugares del mismo tipo y tamaño (de 100 000 a 1 millón de habitantes).",
    ]
    assert texts["zh-hans"] == [
        "两座城市各自提供对方所寻求的内容。",
        "两地相邻，相距12480公里。",
        "两地相邻，同属东亚。",
        "两地类型和规模相同（人口10万至100万）。",
    ]
    assert displaced == {
        "en": "replaced by a better pair, Oaxaca–Anyang",
        "es": "reemplazada por un par mejor, Oaxaca–Anyang",
        "zh-hans": "已由更合适的结对Oaxaca–Anyang取代",
    }


def test_a_cap_note_names_the_proposal_that_holds_the_slot_in_each_language(world):
    note = {
        "seeker": world.oaxaca.pk,
        "partner": world.luoyang.pk,
        "cause": "cap",
        "blocking_city": world.luoyang.pk,
        "holding": [world.morelia.pk, world.luoyang.pk],
    }

    texts = {
        language: describe_run_notes([note], cap=1, language=language)[0]
        for language in ("en", "es", "zh-hans")
    }

    assert texts == {
        "en": "Oaxaca named Luoyang, but no proposal was made: Luoyang already has as many proposals as one run "
        "gives a city (the per-city cap of 1); the slot is held by the proposal Morelia–Luoyang.",
        "es": "Oaxaca mencionó a Luoyang, pero no se hizo ninguna propuesta: Luoyang ya tiene tantas propuestas "
        "como una ronda da a una ciudad (el límite de 1 por ciudad); ese lugar lo ocupa la propuesta Morelia–Luoyang.",
        "zh-hans": "Oaxaca提名了洛阳，但未生成提议：洛阳在本轮的提议已达到每个城市的上限（1项）；该名额由提议Morelia–洛阳占用。",
    }
