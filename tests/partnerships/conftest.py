"""Fixtures of the partnerships tests: Celery run in-process, and a small world of cities set up
through the real services."""

from dataclasses import dataclass

import pytest

from cities.models import City, Country, GoodPractice, Region, Theme
from cities.services import person_consent_give
from partnerships.interests import interest_record
from partnerships.models import DevelopmentPriority, Interest
from tests import factories


@dataclass
class World:
    mexico: Country
    china: Country
    brazil: Country
    morelia: City
    oaxaca: City
    luoyang: City
    anyang: City
    sao_paulo: City
    tourism: DevelopmentPriority
    heritage: Theme
    cooperation: Theme
    e_commerce: Theme
    luoyang_practice: GoodPractice
    anyang_practice: GoodPractice
    sao_paulo_practice: GoodPractice

    def interest(self, city: City, **fields) -> Interest:
        return interest_record(city=city, source=fields.pop("source", Interest.Source.STAFF), **fields)


def _country(iso_code: str, name: str, region: Region, subregion: Region, **fields) -> Country:
    return Country.objects.get_or_create(
        iso_code=iso_code, defaults={"name": name, "region": region, "subregion": subregion, **fields}
    )[0]


@pytest.fixture
def world(db) -> World:
    """Two Mexican cities that want Chinese partners, two Chinese cities with good practices, and
    São Paulo. Interests are recorded by a staff member; refreshes they schedule never run (the test
    transaction never commits) unless a test asks for them."""
    americas = factories.region(name="Americas", code="019")
    latin_america = factories.subregion(name="Latin America and the Caribbean", code="419", parent=americas)
    asia = factories.region(name="Asia", code="142")
    eastern_asia = factories.subregion(name="Eastern Asia", code="030", parent=asia)
    mexico = _country("MX", "Mexico", americas, latin_america)
    china = _country("CN", "China", asia, eastern_asia, name_es="China", name_zh_hans="中国")
    brazil = _country("BR", "Brazil", americas, latin_america)
    heritage = factories.theme(slug="heritage-conservation", name="Heritage conservation")
    cooperation = factories.theme(slug="regional-cooperation", name="Regional cooperation")
    e_commerce = factories.theme(slug="e-commerce", name="E-commerce")
    tourism = DevelopmentPriority.objects.create(
        slug="tourism", name="Tourism", name_es="Turismo", name_zh_hans="旅游"
    )
    tourism.themes.set([heritage, cooperation])
    morelia = factories.city(name="Morelia", country_=mexico, is_world_heritage_city=True)
    oaxaca = factories.city(name="Oaxaca", country_=mexico)
    luoyang = factories.city(name="Luoyang", country_=china, is_world_heritage_city=True, name_zh_hans="洛阳")
    anyang = factories.city(name="Anyang", country_=china)
    sao_paulo = factories.city(name="São Paulo", country_=brazil)
    luoyang_practice = factories.good_practice(
        city_=luoyang, title="Regional tourism cooperation mechanisms", themes=[cooperation]
    )
    anyang_practice = factories.good_practice(city_=anyang, title="Yin Xu heritage trail", themes=[heritage])
    sao_paulo_practice = factories.good_practice(
        city_=sao_paulo, title="Online crafts market", themes=[e_commerce]
    )
    for city in (morelia, oaxaca, luoyang):
        contact = factories.person(city=city, email=f"contact@{city.slug}.example")
        person_consent_give(person=contact, source="test")
    return World(
        mexico=mexico,
        china=china,
        brazil=brazil,
        morelia=morelia,
        oaxaca=oaxaca,
        luoyang=luoyang,
        anyang=anyang,
        sao_paulo=sao_paulo,
        tourism=tourism,
        heritage=heritage,
        cooperation=cooperation,
        e_commerce=e_commerce,
        luoyang_practice=luoyang_practice,
        anyang_practice=anyang_practice,
        sao_paulo_practice=sao_paulo_practice,
    )
