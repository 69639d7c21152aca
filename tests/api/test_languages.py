"""The API answers in the language the client asks for: ``?lang=``, else Accept-Language; its
schema's summaries and descriptions and its errors are translated."""

import pytest

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
