"""Lists in the visitor's order: by the name they read, by their language's rules (ICU collations on
PostgreSQL, the same keys in Python on SQLite), and numbers grouped as their language groups them."""

import re

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation

from cities.models import City, Country
from cities.selectors import public_city_list
from tests import factories
from travelsouth.collation import sorted_for_display

pytestmark = pytest.mark.django_db

CITIES = [
    # English, Spanish, Chinese
    ("Campeche", "Campeche", "坎佩切"),
    ("Cape Town", "Ciudad del Cabo", "开普敦"),
    ("Chengdu", "Chengdu", "成都"),
    ("Venice", "Venecia", "威尼斯"),
    ("Victoria Falls", "Cataratas Victoria", "维多利亚瀑布城"),
    ("Ávila", "Ávila", "阿维拉"),
    ("Nuevo Laredo", "Nuevo Laredo", "新拉雷多"),
    ("Ñuñoa", "Ñuñoa", "纽尼奥阿"),
]


@pytest.fixture
def cities():
    country = factories.country()
    for number, (name, name_es, name_zh_hans) in enumerate(CITIES):
        factories.city(
            name=name, name_es=name_es, name_zh_hans=name_zh_hans, country_=country, slug=f"city-{number}"
        )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Ávila",
                "Campeche",
                "Cape Town",
                "Chengdu",
                "Nuevo Laredo",
                "Ñuñoa",
                "Venice",
                "Victoria Falls",
            ],
        ),
        (
            "es",
            [
                "Ávila",
                "Campeche",
                "Cataratas Victoria",
                "Chengdu",
                "Ciudad del Cabo",
                "Nuevo Laredo",
                "Ñuñoa",
                "Venecia",
            ],
        ),
        # Pinyin: a wei la, cheng du, kai pu dun, kan pei qie, niu ni ao a, wei ni si, wei duo li ya, xin la lei duo
        (
            "zh-hans",
            ["阿维拉", "成都", "开普敦", "坎佩切", "纽尼奥阿", "威尼斯", "维多利亚瀑布城", "新拉雷多"],
        ),
    ],
)
def test_the_city_list_is_in_the_order_of_the_names_the_visitor_reads(cities, language, expected):
    with translation.override(language):
        names = [city.display_name for city in public_city_list()]

    assert names == expected


def test_the_directory_page_lists_cities_in_the_spanish_order(client, cities):
    page = client.get("/es/cities/").content.decode()

    positions = [page.index(f">{name_es}<") for _name, name_es, _zh in CITIES]
    assert [CITIES[i][1] for i in sorted(range(len(CITIES)), key=positions.__getitem__)] == [
        "Ávila",
        "Campeche",
        "Cataratas Victoria",
        "Chengdu",
        "Ciudad del Cabo",
        "Nuevo Laredo",
        "Ñuñoa",
        "Venecia",
    ]


def test_the_filter_choices_follow_the_visitors_language(client):
    for code, name, name_es in [
        ("MX", "Mexico", "México"),
        ("ZA", "South Africa", "Sudáfrica"),
        ("ES", "Spain", "España"),
    ]:
        factories.country(iso_code=code, name=name)
        Country.objects.filter(iso_code=code).update(name_es=name_es)

    page = client.get("/es/cities/").content.decode()

    select = page[page.index('name="country"') : page.index("</select>", page.index('name="country"'))]
    assert re.findall(r'<option value="\d+">([^<]+)</option>', select) == ["España", "México", "Sudáfrica"]


def test_the_python_key_orders_like_the_database(cities):
    # Alike for names without a character read two ways: ICU files 长 (Changsha) under "zhang", pypinyin
    # reads 长沙 as "chang sha" from its phrase list.
    for language in ["en", "es", "zh-hans"]:
        with translation.override(language):
            shown = [city.display_name for city in City.objects.all()]
            assert sorted_for_display(shown, key=str, language=language) == [
                city.display_name for city in public_city_list()
            ]


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "1,026,000"), ("es", "1\xa0026\xa0000"), ("zh-hans", "1,026,000")]
)
def test_numbers_are_grouped_as_the_language_groups_them(language, expected):
    with translation.override(language):
        assert intcomma(1026000) == expected
