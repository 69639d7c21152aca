"""The OpenAPI schema describes the API truthfully: schemathesis checks every operation against it."""

import json
import re

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from report.loading import load_report
from travelsouth.services import partner_token_create
from travelsouth.wsgi import application

from .conftest import create_sensitive_data, get_json

pytestmark = pytest.mark.django_db

RESOURCES = [
    "cities",
    "countries",
    "good-practices",
    "organisations",
    "partnerships",
    "proposals",
    "quotes",
    "surveys",
    "themes",
    "webinars",
]


@pytest.fixture
def openapi(client):
    status, schema = get_json(client, "/api/v1/schema/?format=json")
    assert status == 200
    return schema


def test_schema_lists_every_resource_with_list_and_detail(openapi):
    paths = set(openapi["paths"])

    assert {f"/api/v1/{name}/" for name in RESOURCES} | {
        f"/api/v1/{name}/{{id}}/" for name in RESOURCES
    } <= paths
    assert {"/api/v1/surveys/{id}/results/", "/api/v1/surveys/{id}/responses/", "/api/v1/ping/"} <= paths
    assert openapi["openapi"].startswith("3.")


def test_every_operation_documents_its_errors(openapi):
    missing = {
        (path, code)
        for path, operations in openapi["paths"].items()
        for operation in operations.values()
        for code in ["400", "401", "429"] + (["404"] if "{id}" in path else [])
        if code not in operation["responses"]
    }

    assert missing == set()
    assert openapi["paths"]["/api/v1/proposals/"]["get"]["responses"]["403"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
    }


def test_list_operations_document_their_filters(openapi):
    def parameters(path):
        return {parameter["name"]: parameter for parameter in openapi["paths"][path]["get"]["parameters"]}

    cities = parameters("/api/v1/cities/")
    practices = parameters("/api/v1/good-practices/")

    assert {"country", "region", "global_south", "world_heritage", "language", "theme", "sdg", "q"} <= set(
        cities
    )
    assert {"theme", "sdg", "webinar", "year", "country", "cursor", "page_size", "ordering", "format"} <= set(
        practices
    )
    assert cities["sdg"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 17}
    assert cities["sdg"]["description"] == "Has a published good practice for this SDG."
    assert practices["format"]["schema"]["enum"] == ["csv", "json"]
    assert practices["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}


def test_docs_page_loads_only_local_assets(client):
    response = client.get("/api/v1/docs/")

    html = response.content.decode()
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    external = [url for url in references if re.match(r"^(?:[a-z]+:)?//", url)]
    assert response.status_code == 200
    assert any("swagger-ui" in url for url in references)
    assert external == []
    # The page embeds a random CSRF token, which can spell "cdn" by chance: leave it out.
    assert "cdn" not in re.sub(r'"[A-Za-z0-9]{32,}"', '""', html).lower()


def test_docs_assets_are_served_from_static_files(client):
    html = Client().get("/api/v1/docs/").content.decode()
    bundle = next(url for url in re.findall(r'src="([^"]+)"', html) if url.endswith("swagger-ui-bundle.js"))

    assert bundle.startswith("/static/drf_spectacular_sidecar/")


def _generated_schema() -> dict:
    """The schema as /api/v1/schema/ serves it, generated at collection time (no request needed)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


schema = schemathesis.openapi.from_dict(
    _generated_schema(),
    config=SchemathesisConfig.from_dict(
        {"generation": {"mode": "all", "max-examples": 10, "deterministic": True}}
    ),
)
schema.app = application


@pytest.fixture(scope="module")
def fuzz_staff_key(django_db_setup, django_db_blocker):
    """The report's data, the data that must not leak, and a staff token: loaded once for every operation.

    Everything is written inside one transaction that is rolled back when the module ends; each
    test runs in a savepoint within it.
    """
    # Schemathesis calls the WSGI application directly; like Django's test client, keep Django from
    # closing the connection at the end of each request, which would end the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            load_report()
            create_sensitive_data()
            staff = get_user_model().objects.create_superuser(
                username="fuzz-staff", email="fuzz@unossc.example"
            )
            _token, key = partner_token_create(name="Fuzzing", user=staff, created_by=staff)
            yield key
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def _fuzzing_settings(settings, high_rate_limits):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_as_its_schema_says(case, fuzz_staff_key, _fuzzing_settings):
    """No server error, responses as documented, parameters accepted or refused with 400 as the schema says.
    Up to 6 s an operation: schemathesis generates and sends dozens of requests for each.

    Anonymous first (staff-only operations answer 401), then as staff with a token.
    """
    # A cursor is an opaque token the API hands out in next/previous links: a made-up one is
    # rightly refused (400), which no schema can tell from a real one.
    excluded = [positive_data_acceptance] if "cursor" in (case.query or {}) else []
    # Schemathesis' WSGI transport asks for gzip (as requests does) but does not decompress: the
    # schema is about content, so ask for it plain (tests/travelsouth/test_page_cache.py covers gzip).
    plain = {"Accept-Encoding": "identity"}
    case.call_and_validate(headers=plain, excluded_checks=excluded)
    case.call_and_validate(
        headers={**plain, "Authorization": f"Token {fuzz_staff_key}"}, excluded_checks=excluded
    )
