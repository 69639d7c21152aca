"""The admin's tabs for translated fields (static/admin/js/translation_tabs.js) in a real browser:
one language shown at a time, the tab named in the admin's language, a click on another showing it,
and nothing refused by the Content-Security-Policy (the ``browser`` fixture fails on a violation)."""

import pytest
from django.conf import settings
from django.test import Client
from selenium.webdriver.common.by import By

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citys_names_are_tabs_one_language_at_a_time(live_server, browser, django_user_model):
    city = factories.city(name="Cape Town", name_es="Ciudad del Cabo", name_zh_hans="开普敦")
    staff = django_user_model.objects.create_superuser(
        username="tabs", email="tabs@unossc.example", password="x"
    )
    client = Client()
    client.force_login(staff)
    browser.get(f"{live_server.url}/healthz")
    browser.add_cookie(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )
    browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "path": "/"})

    browser.get(f"{live_server.url}/admin/cities/city/{city.pk}/change/")
    # The first tab list is the name's (the description's follows).
    tabs = browser.find_elements(By.CSS_SELECTOR, ".translation-tabs")[0].find_elements(
        By.CSS_SELECTOR, "[role=tab]"
    )
    names = [tab.text for tab in tabs]
    shown_before = [
        box.get_attribute("id")
        for box in browser.find_elements(By.CSS_SELECTOR, "[id^=id_name_]")
        if box.is_displayed()
    ]
    tabs[2].click()
    shown_after = [
        box.get_attribute("id")
        for box in browser.find_elements(By.CSS_SELECTOR, "[id^=id_name_]")
        if box.is_displayed()
    ]

    assert [name.lower() for name in names] == ["inglés", "español", "chino simplificado"]
    # The admin's language first, then the one clicked.
    assert (shown_before, shown_after) == (["id_name_es"], ["id_name_zh_hans"])
