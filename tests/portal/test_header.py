"""Every page's header: the identity, the language menu (one button per language, no "Change"), and
the navigation with the current page marked."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def header(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_the_language_menu_offers_the_other_languages_as_buttons_without_a_change_button(client):
    html = header(client.get("/es/cities/").content.decode())

    menu = html[html.index('<form class="language-menu"') : html.index("</form>")]
    assert re.findall(
        r'<button type="submit" name="language" value="([^"]+)" lang="[^"]+">([^<]+)</button>', menu
    ) == [
        ("en", "English"),
        ("zh-hans", "简体中文"),
    ]
    assert '<span class="current" lang="es" aria-current="true">español</span>' in menu
    assert '<input name="next" type="hidden" value="/es/cities/">' in menu
    assert "Cambiar" not in menu and "<select" not in menu


def test_choosing_a_language_in_the_menu_opens_the_same_page_in_it(client):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/es/cities/"})

    assert (response.status_code, response["Location"]) == (302, "/zh-hans/cities/")


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/webinars/", "Webinars"),
        ("/cities/", "Cities"),
        ("/good-practices/", "Good practices"),
        ("/surveys/", "Surveys"),
        ("/accounts/login/", "Log in"),
    ],
)
def test_the_navigation_marks_the_current_section_and_only_it(client, path, current):
    html = header(client.get(path).content.decode())

    assert re.findall(r'<a (?:class="[^"]+" )?href="[^"]+" aria-current="page">([^<]+)</a>', html) == [
        current
    ]


def test_the_header_carries_the_logo_and_the_page_its_favicon(client):
    html = client.get("/").content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert re.search(
        r'<a class="brand" href="/" aria-current="page">\s*<svg class="logo" aria-hidden="true"', html
    )
    assert '<span class="wordmark">Travel South</span>' in html
