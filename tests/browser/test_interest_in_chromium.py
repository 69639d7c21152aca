"""A real browser registers a city's interest through the forms, without a line of JavaScript."""

import pytest
from django.core import mail
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from cities.models import Person
from partnerships.models import DevelopmentPriority, Interest
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Blue-harbour-lanterns-7"


def replaced(page):
    """Whether ``page`` (the old document's root) is gone. Chromium reports a node of a document it
    is unloading either as stale or, mid-navigation, as not belonging to the document: both mean the
    next page is on its way (``expected_conditions.staleness_of`` knows only the first)."""

    def gone(_browser) -> bool:
        try:
            page.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
        return False

    return gone


def click_and_wait(browser, element) -> None:
    """Click a link or a submit button and wait until the next page replaced this one."""
    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, 30).until(replaced(page))
    WebDriverWait(browser, 30).until(lambda b: b.execute_script("return document.readyState") == "complete")


def tick(browser, label_text: str) -> None:
    # A field's own label ends with the label suffix (":"); a choice's label does not.
    browser.find_element(
        By.XPATH, f'//label[normalize-space()="{label_text}" or normalize-space()="{label_text}:"]'
    ).click()


@pytest.fixture
def tasks_in_process():
    # Data is really committed here, so after-commit tasks fire: run them in-process rather than leave
    # them on the shared broker for some other worker.
    from travelsouth.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


def test_an_official_registers_an_interest_in_chromium(live_server, browser, tasks_in_process):
    city = factories.city(name="Morelia")
    factories.city(name="Luoyang")
    DevelopmentPriority.objects.create(slug="tourism", name="Tourism", order=1)
    factories.theme()
    factories.language()
    account = factories.user(email="ana@morelia.example", password=PASSWORD)
    factories.official(city_=city, account=account, full_name="Ana Ruiz")

    browser.get(f"{live_server.url}/accounts/login/")
    browser.find_element(By.ID, "id_login").send_keys("ana@morelia.example")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    dashboard_heading = browser.find_element(By.TAG_NAME, "h1").text
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Register an interest"))
    tick(browser, "Tourism")
    tick(browser, "Heritage conservation")  # the first list with it: themes sought
    tick(browser, "Luoyang (Mexico)")
    tick(browser, "Spanish")
    browser.find_element(By.ID, "id_message").send_keys("Looking for heritage partners.")
    tick(browser, "Show this interest on the city's public page")
    tick(browser, "I agree that UNOSSC staff and partner cities contact me about partnerships")
    click_and_wait(
        browser, browser.find_element(By.XPATH, "//button[normalize-space()='Register the interest']")
    )

    result_heading = browser.find_element(By.TAG_NAME, "h1").text
    result_text = browser.find_element(By.TAG_NAME, "main").text
    status_text = browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    browser.get(f"{live_server.url}/cities/{city.slug}/")
    public_text = browser.find_element(By.TAG_NAME, "main").text

    interest = Interest.objects.get(city=city, is_current=True)
    assert dashboard_heading == "Your cities"
    assert result_heading == "Interest history of Morelia"
    assert status_text == "The interest of Morelia is registered."
    assert "Current interest" in result_text
    assert "Looking for heritage partners." in result_text
    assert "Looking for heritage partners." in public_text
    assert [p.name for p in interest.priorities.all()] == ["Tourism"]
    assert [t.name for t in interest.themes_sought.all()] == ["Heritage conservation"]
    assert [c.name for c in interest.partner_cities.all()] == ["Luoyang"]
    assert [lang.name for lang in interest.working_languages.all()] == ["Spanish"]
    assert interest.is_published
    assert Person.objects.get(user=account).has_contact_consent
    # The approval's e-mail went out in-process, after commit.
    assert [message.subject for message in mail.outbox] == [
        "[Travel South] You can now act for Morelia on Travel South"
    ]
