"""Choosing a language: the menu goes from every language to every language on every page, ``/``
follows the browser on a first visit and the visitor's choice after, each page names its other
versions with ``hreflang``, and e-mails follow the recipient's language."""

import itertools
import re

import pytest
from django.core import mail
from django.urls import reverse

from cities.models import Person
from cities.services import membership_approve, membership_request
from tests import factories

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "es", "zh-hans"]
PREFIX = {"en": "", "es": "/es", "zh-hans": "/zh-hans"}


def menu_links(html: str) -> dict[str, str]:
    menu = html[
        html.index('<nav class="language-menu"') : html.index(
            "</nav>", html.index('<nav class="language-menu"')
        )
    ]
    return {
        language: href.replace("&amp;", "&")
        for href, language in re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', menu)
    }


@pytest.fixture
def pages(report_data):
    from cities.models import City
    from cities.selectors import published_good_practices
    from webinars.models import Webinar

    city = City.objects.get(name="Dunhuang")
    practice = published_good_practices().first()
    webinar = Webinar.objects.order_by("number").first()
    return [
        "/",
        "/cities/",
        f"/cities/{city.slug}/",
        "/good-practices/",
        f"/good-practices/{practice.slug}/",
        "/webinars/",
        f"/webinars/{webinar.slug}/",
        "/surveys/",
        "/about-the-data/",
        "/accounts/login/",
        "/accounts/signup/",
        "/partnerships/",
    ]


@pytest.mark.parametrize(("source", "target"), list(itertools.permutations(LANGUAGES, 2)))
def test_the_menu_opens_every_page_in_every_other_language(client, pages, source, target):
    reached = []

    for path in pages:
        page = client.get(PREFIX[source] + path)
        assert page.status_code == 200, path
        link = menu_links(page.content.decode())[target]
        switched = client.get(link)
        client.cookies.pop("django_language", None)
        reached.append((switched.status_code, switched["Location"]))

    assert reached == [(302, PREFIX[target] + path) for path in pages]


def test_the_menu_link_remembers_the_choice_and_the_page_then_shows_in_it(client):
    response = client.get("/i18n/choose/zh-hans/?next=/es/cities/%3Fq%3Dx")

    assert (response.status_code, response["Location"]) == (302, "/zh-hans/cities/?q=x")
    assert response.cookies["django_language"].value == "zh-hans"
    assert response.cookies["django_language"]["max-age"] == 365 * 24 * 60 * 60
    assert "城市和地方政府" in client.get(response["Location"]).content.decode()


def test_the_menu_link_refuses_a_page_on_another_site_and_an_unknown_language(client):
    elsewhere = client.get("/i18n/choose/es/?next=https://evil.example/")
    unknown = client.get("/i18n/choose/fr/?next=/cities/")

    assert (elsewhere.status_code, elsewhere["Location"]) == (302, "/es/")
    assert unknown.status_code == 404


def test_the_admin_switches_language_in_place(client):
    client.force_login(_staff())
    page = client.get("/admin/cities/city/").content.decode()

    response = client.get(menu_links(page)["es"])

    assert response["Location"] == "/admin/cities/city/"
    assert '<html lang="es"' in client.get("/admin/cities/city/").content.decode()


def _staff():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(
        username="staff", email="staff@example.org", password="x-Long-pass-9"
    )


def test_a_page_that_does_not_exist_still_offers_the_other_languages(client):
    page = client.get("/es/no-such-page/")

    assert page.status_code == 404
    assert menu_links(page.content.decode()) == {
        "en": "/i18n/choose/en/?next=/no-such-page/",
        "zh-hans": "/i18n/choose/zh-hans/?next=/zh-hans/no-such-page/",
    }


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.5", (302, "/es/")),
        ("zh-CN,zh;q=0.9", (302, "/zh-hans/")),
        ("en-GB,en;q=0.9", (200, None)),
        ("fr-FR,fr;q=0.9", (200, None)),
    ],
)
def test_a_first_visit_to_the_home_page_follows_the_browser(client, accept_language, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert (response.status_code, response.get("Location")) == expected
    assert {"accept-language", "cookie"} <= {part.strip().lower() for part in response["Vary"].split(",")}


def test_after_the_visitor_chooses_their_choice_wins_over_the_browser(client):
    client.get("/i18n/choose/en/?next=/es/")
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    client.get("/i18n/choose/zh-hans/?next=/")
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")

    assert (english.status_code, '<html lang="en">' in english.content.decode()) == (200, True)
    assert (chinese.status_code, chinese["Location"]) == (302, "/zh-hans/")


def test_other_pages_keep_their_own_language_whatever_the_browser_says(client):
    response = client.get("/cities/", HTTP_ACCEPT_LANGUAGE="es")

    assert (response.status_code, '<html lang="en">' in response.content.decode()) == (200, True)


def test_each_page_names_its_versions_in_every_language_with_hreflang(client):
    page = client.get("/es/cities/?country=MX").content.decode()

    assert re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page) == [
        ("en", "http://testserver/cities/?country=MX"),
        ("es", "http://testserver/es/cities/?country=MX"),
        ("zh-hans", "http://testserver/zh-hans/cities/?country=MX"),
        ("x-default", "http://testserver/cities/?country=MX"),
    ]


def test_the_admin_has_one_address_so_no_hreflang(client):
    client.force_login(_staff())

    assert 'hreflang="es" href=' not in client.get("/admin/").content.decode()


def test_an_official_who_chooses_chinese_gets_their_emails_in_chinese(
    client, django_capture_on_commit_callbacks, eager_tasks
):
    city = factories.city(name="Dunhuang", name_zh_hans="敦煌")
    account = factories.user(email="li@dunhuang.example")
    membership = membership_request(
        user=account, city=city, full_name="Li Wei", role="Director", language="en"
    )
    client.force_login(account)
    client.get(reverse("language_choose", args=["zh-hans"]) + "?next=/officials/")

    with django_capture_on_commit_callbacks(execute=True):
        membership_approve(membership=membership, by=_staff(), reason="")

    assert Person.objects.get(user=account).preferred_language == "zh-hans"
    assert [(message.to, message.extra_headers["Content-Language"]) for message in mail.outbox] == [
        (["li@dunhuang.example"], "zh-hans")
    ]
    assert "您现在可以在 Travel South 上代表 敦煌" in mail.outbox[0].subject
