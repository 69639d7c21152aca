"""The interface in English, Spanish and Simplified Chinese: complete catalogues, translated pages."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"))


def test_there_is_a_catalogue_for_spanish_and_chinese():
    assert [path.parts[-3] for path in CATALOGUES] == ["es", "zh_Hans"]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_every_message_is_translated_and_none_is_fuzzy(path):
    with path.open("rb") as po_file:
        catalogue = read_po(po_file)

    untranslated = [
        message.id
        for message in catalogue
        if message.id and (not all(message.string if isinstance(message.string, tuple) else [message.string]))
    ]
    fuzzy = [message.id for message in catalogue if message.id and message.fuzzy]
    assert (untranslated, fuzzy) == ([], [])
    assert len(catalogue) > 300


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("", ["Cities and local authorities", "Good practices", "Apply filters", "Language"]),
        ("/es", ["Ciudades y autoridades locales", "Buenas prácticas", "Aplicar filtros", "Idioma"]),
        ("/zh-hans", ["城市和地方政府", "良好做法", "应用筛选", "语言"]),
    ],
)
def test_public_pages_render_in_each_language(client, prefix, expected):
    factories.good_practice(city_=factories.city(name="Luoyang", name_zh_hans="洛阳", name_es="Luoyang"))

    pages = [client.get(f"{prefix}{path}").content.decode() for path in ["/", "/cities/", "/good-practices/"]]

    assert [text for text in expected if not any(text in page for page in pages)] == []


def test_city_page_in_chinese_shows_the_chinese_name_and_translated_labels(client):
    city = factories.city(name="Luoyang", name_zh_hans="洛阳")

    content = client.get(f"/zh-hans/cities/{city.slug}/").content.decode()

    assert '<html lang="zh-hans">' in content
    assert "<h1>洛阳</h1>" in content
    assert "世界遗产城市" in content


def test_official_pages_render_in_spanish_and_chinese(client):
    city = factories.city(name="Morelia")
    client.force_login(factories.official(city_=city))

    spanish = client.get("/es/officials/").content.decode()
    chinese = client.get(f"/zh-hans/partnerships/interests/{city.slug}/").content.decode()

    assert "Sus ciudades" in spanish
    assert "Solicitar representar a una ciudad" in spanish
    assert "发展优先事项" in chinese
    assert "登记合作意向" in chinese


def test_dates_follow_the_language(client):
    city = factories.city(name="Morelia")
    account = factories.official(city_=city)
    client.force_login(account)
    from cities.models import CityMembership

    CityMembership.objects.filter(user=account).update(created_at="2021-03-05T10:00:00Z")

    english = client.get(reverse("officials:dashboard")).content.decode()
    spanish = client.get("/es/officials/").content.decode()
    chinese = client.get("/zh-hans/officials/").content.decode()

    assert "March 5, 2021" in english
    assert "5 de marzo de 2021" in spanish
    assert "2021年3月5日" in chinese
