"""Security headers: a Content-Security-Policy with no inline script or style, no caching of signed-in
pages, a Permissions-Policy, and HSTS preloading only when the operator opts in."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests import factories

from .test_settings import PRODUCTION_ENVIRONMENT, run_python

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PAGES = ["/", "/cities/", "/good-practices/", "/webinars/", "/surveys/", "/accounts/login/", "/es/"]


def _policy(response) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (
            part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()
        )
    }


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_policy_without_inline_script_or_style(client, path):
    response = client.get(path)

    policy = _policy(response)
    assert response.status_code == 200
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert [source for source in policy["script-src"] if not source.startswith("'nonce-")] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_no_template_has_an_inline_script_style_or_event_handler():
    # E-mails are not pages (no policy applies to them); an inline script needs the request's nonce.
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        if "email" in template.parts:
            continue
        text = template.read_text()
        for match in re.finditer(
            r"<script(?![^>]*\bsrc=)(?![^>]*nonce=\"\{\{ request\.csp_nonce \}\}\")[^>]*>", text
        ):
            offenders.append((template.name, match.group()))
        offenders += [
            (template.name, found) for found in re.findall(r"<style|\sstyle=\"|\son[a-z]+=\"", text)
        ]

    assert offenders == []


def test_the_api_documentation_pages_relax_only_their_own_styles(client):
    swagger = client.get("/api/v1/docs/")
    redoc = client.get("/api/v1/redoc/")

    assert _policy(swagger)["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-inline'" not in _policy(swagger)["script-src"]
    assert _policy(redoc)["worker-src"] == ["blob:"]
    assert "'unsafe-inline'" not in _policy(redoc)["script-src"]
    assert re.findall(r"<script[^>]*>", redoc.content.decode()) == [
        '<script src="/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js">'
    ]
    assert "fonts.googleapis.com" not in redoc.content.decode()


def test_signed_in_pages_are_never_cached_and_public_ones_are_left_alone(client):
    anonymous = client.get("/cities/")
    client.force_login(factories.user())
    signed_in = [client.get(path) for path in ["/cities/", reverse("officials:dashboard")]]

    assert "no-store" not in anonymous.get("Cache-Control", "")
    assert [response["Cache-Control"] for response in signed_in] == ["private, no-store"] * 2


def test_the_admin_is_never_cached(staff_client):
    response = staff_client.get(reverse("admin:index"))

    assert response["Cache-Control"] == "private, no-store"


def test_every_response_has_a_permissions_policy(client):
    response = client.get("/")

    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


def test_hsts_preload_is_off_unless_the_operator_opts_in():
    read = (
        "import django; django.setup(); from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD)"
    )

    default = run_python(read, **PRODUCTION_ENVIRONMENT)
    opted_in = run_python(read, **PRODUCTION_ENVIRONMENT, SECURE_HSTS_PRELOAD="1")

    assert (default.stdout.strip(), opted_in.stdout.strip()) == ("False", "True")


def test_production_cookies_are_host_only_and_secure():
    read = (
        "import json, django; django.setup(); from django.conf import settings; print(json.dumps(["
        "settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE, settings.LANGUAGE_COOKIE_SECURE]))"
    )

    result = run_python(read, **PRODUCTION_ENVIRONMENT)

    assert result.stdout.strip() == '["__Host-sessionid", "__Host-csrftoken", true, true, true]'
