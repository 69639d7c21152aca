"""The API answers in the language the client asks for: ``?lang=``, else Accept-Language; its
schema's summaries and descriptions and its errors are translated."""

import pytest

from cities.services import good_practice_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "headers", "expected"),
    [
        ("", {}, "No such API endpoint: see /api/v1/docs/."),
        ("", {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9"}, "No existe ese punto de acceso de la API"),
        ("?lang=zh-hans", {"HTTP_ACCEPT_LANGUAGE": "es"}, "没有此 API 端点"),
    ],
)
def test_api_errors_follow_the_requested_language(client, query, headers, expected):
    response = client.get(f"/api/v1/no-such-thing/{query}", **headers)

    assert response.status_code == 404
    assert expected in response.json()["error"]["detail"]


def test_the_schema_is_described_in_the_requested_language(client):
    spanish = client.get("/api/v1/schema/?lang=es&format=json").content.decode()
    chinese = client.get("/api/v1/schema/?format=json", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    assert "Una ciudad o autoridad local" in spanish and "A city or local authority" not in spanish
    assert "一个城市或地方政府" in chinese and "A city or local authority" not in chinese


def _get(client, url, **headers):
    response = client.get(url, HTTP_ACCEPT="application/json", **headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_texts_are_served_in_the_requested_language_with_each_language_beside(client):
    city = factories.city(name="Cape Town", name_es="Ciudad del Cabo", name_zh_hans="开普敦")

    spanish = _get(client, f"/api/v1/cities/{city.pk}/?lang=es")
    chinese = _get(client, "/api/v1/cities/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    english = _get(client, "/api/v1/cities/")

    assert (spanish["name"], spanish["language"], spanish["original_language"]) == (
        "Ciudad del Cabo",
        "es",
        "en",
    )
    assert [spanish[f"name_{code}"] for code in ("en", "es", "zh_hans")] == [
        "Cape Town",
        "Ciudad del Cabo",
        "开普敦",
    ]
    assert [(row["name"], row["language"]) for row in chinese["results"]] == [("开普敦", "zh-hans")]
    # Each language is stored apart: the English list is not served from the Chinese one.
    assert [(row["name"], row["language"]) for row in english["results"]] == [("Cape Town", "en")]


def test_an_untranslated_text_is_served_in_its_original_language_and_says_so(client):
    city = factories.city(name="Oaxaca")
    practice = good_practice_create(
        city=city,
        original_language="es",
        texts={"es": {"title": "Rutas nocturnas", "summary": "Visitas guiadas."}},
        themes=[factories.theme()],
    )

    detail = _get(client, f"/api/v1/good-practices/{practice.pk}/?lang=zh-hans")
    listed = _get(client, "/api/v1/good-practices/", HTTP_ACCEPT_LANGUAGE="en")["results"][0]

    assert (detail["title"], detail["summary"], detail["language"], detail["original_language"]) == (
        "Rutas nocturnas",
        "Visitas guiadas.",
        "es",
        "es",
    )
    assert (detail["title_en"], detail["title_es"], detail["title_zh_hans"]) == ("", "Rutas nocturnas", "")
    assert (listed["title"], listed["language"], listed["original_language"]) == (
        "Rutas nocturnas",
        "es",
        "es",
    )


def test_webinars_are_served_in_the_requested_language(client, report_data):
    webinars = _get(client, "/api/v1/webinars/?lang=es")["results"]
    detail = _get(client, f"/api/v1/webinars/{webinars[0]['id']}/", HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert all(row["title"] == row["title_es"] and row["language"] == "es" for row in webinars)
    assert (detail["title"], detail["language"], detail["original_language"]) == (
        detail["title_zh_hans"],
        "zh-hans",
        "en",
    )
    assert detail["title_en"] != detail["title_zh_hans"]
