"""Every page's header: the identity, the language menu (one button per language, no "Change"), and
the navigation with the current page marked."""

import re

import pytest

pytestmark = pytest.mark.django_db


def header(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_the_language_menu_offers_the_other_languages_as_links_to_the_same_page(client):
    html = header(client.get("/es/cities/?country=mx").content.decode())

    menu = html[html.index('<nav class="language-menu"') : html.index("</nav>")]
    assert re.findall(r'<a href="([^"]+)" hreflang="([^"]+)" lang="[^"]+">([^<]+)</a>', menu) == [
        ("/i18n/choose/en/?next=/cities/%3Fcountry%3Dmx", "en", "English"),
        ("/i18n/choose/zh-hans/?next=/zh-hans/cities/%3Fcountry%3Dmx", "zh-hans", "简体中文"),
    ]
    assert '<span class="current" lang="es" aria-current="true">español</span>' in menu
    assert "<form" not in menu and "<select" not in menu


def test_a_page_sets_no_csrf_cookie_for_the_language_menu(client):
    response = client.get("/es/cities/")

    assert "csrftoken" not in response.cookies


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
