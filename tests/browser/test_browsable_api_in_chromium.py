"""The API's browsable pages in a real browser, under the portal's Content-Security-Policy: no
violation in the console (the browser fixture fails on any), the page's scripts work (the format
menu, the filters dialog), and signing in and out go through the portal's own pages."""

import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests import factories
from tests.browser.conftest import csp_violations
from tests.browser.test_interest_in_chromium import click_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Blue-harbour-lanterns-7"
SHOTS = os.environ.get("API_SCREENSHOTS_DIR")  # set it to look at the pages (desktop and phone)


def _shoot(browser, name: str) -> None:
    if not SHOTS:
        return
    os.makedirs(SHOTS, exist_ok=True)
    for size, (width, height) in {"desktop": (1366, 900), "phone": (390, 844)}.items():
        browser.set_window_size(width, height)
        browser.save_screenshot(os.path.join(SHOTS, f"{name}-{size}.png"))
    browser.set_window_size(1280, 1400)


def _open(browser, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 30).until(lambda b: b.execute_script("return document.readyState") == "complete")


def test_an_anonymous_visitor_uses_the_browsable_api_without_csp_violations(live_server, browser):
    city = factories.city(name="Cusco")
    factories.good_practice(city_=city, title="Night tours", themes=[factories.theme()])

    _open(browser, f"{live_server.url}/api/v1/")
    root_heading = browser.find_element(By.CSS_SELECTOR, ".page-header h1").text
    _open(browser, f"{live_server.url}/api/v1/cities/")
    breadcrumbs = [item.text for item in browser.find_elements(By.CSS_SELECTOR, ".breadcrumb li")]
    root_violations = csp_violations(browser)
    _open(browser, f"{live_server.url}/api/v1/cities/")
    _shoot(browser, "api-cities-anonymous")
    browser.find_element(By.CSS_SELECTOR, ".format-selection .dropdown-toggle").click()
    formats = [
        link.text for link in browser.find_elements(By.CSS_SELECTOR, ".format-selection .format-option")
    ]
    browser.find_element(By.CSS_SELECTOR, "[data-target='#filtersModal']").click()
    WebDriverWait(browser, 10).until(
        expected_conditions.visibility_of_element_located((By.ID, "filtersModal"))
    )
    filter_fields = browser.find_elements(By.CSS_SELECTOR, "#filtersModal input, #filtersModal select")
    list_violations = csp_violations(browser)
    _open(browser, f"{live_server.url}/api/v1/cities/{city.pk}/")
    detail_heading = browser.find_element(By.CSS_SELECTOR, ".page-header h1").text
    response = browser.find_element(By.CSS_SELECTOR, ".response-info").text

    assert root_heading == "Api Root"
    assert breadcrumbs == ["Api Root", "City List"]
    assert root_violations == list_violations == []
    assert formats == ["json", "api"]
    assert filter_fields
    assert "Cusco" in response
    assert detail_heading


def test_the_log_in_link_signs_in_on_the_portal_and_returns_to_the_api_page(
    live_server, browser, django_user_model
):
    account = factories.user(email="ana@unossc.example", password=PASSWORD)
    account.is_staff = account.is_superuser = True
    account.save(update_fields=["is_staff", "is_superuser"])

    _open(browser, f"{live_server.url}/api/v1/proposals/")
    refused = browser.find_element(By.CSS_SELECTOR, ".response-info").text
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Log in"))
    browser.find_element(By.ID, "id_login").send_keys("ana@unossc.example")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    signed_in_url = browser.current_url
    navbar = browser.find_element(By.CSS_SELECTOR, ".navbar").text
    listed = browser.find_element(By.CSS_SELECTOR, ".response-info").text
    _shoot(browser, "api-proposals-signed-in")
    signed_in_violations = csp_violations(browser)
    browser.set_window_size(390, 844)
    log_out = browser.find_element(By.CSS_SELECTOR, ".navbar form button[type=submit]")
    navbar_height = browser.find_element(By.CSS_SELECTOR, ".navbar").size["height"]
    click_and_wait(browser, log_out)

    assert "HTTP 401 Unauthorized" in refused
    assert signed_in_url == f"{live_server.url}/api/v1/proposals/"
    assert "ana@unossc.example" in navbar
    assert "HTTP 200 OK" in listed
    assert signed_in_violations == []
    assert navbar_height < 80  # the sign-out button on the navbar's line, even on a phone
    assert browser.find_element(By.LINK_TEXT, "Log in")
