"""The report's brokering journey in a real browser (issue 13), as its people do it: a UNOSSC broker in
the admin, a Oaxaca contact in Spanish and a Dunhuang official in Chinese through their e-mailed links
and pages. The same journey as plain HTML requests, with more checks of each step, is
tests/partnerships/test_brokering_journey.py; this one proves the pages work as pages.

With JOURNEY_SCREENSHOTS=<dir> it saves each step at a desktop and a phone size there."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.db.models import F
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from cities.models import City, CityMembership, Person
from partnerships.invitations.dispatch import invitations_dispatch
from partnerships.models import CheckIn, Invitation, JointActivity, Partnership, Proposal
from tests import factories
from tests.browser.conftest import _chromium
from tests.browser.test_accessibility import DESKTOP, PHONE, size
from tests.browser.test_interest_in_chromium import click_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Blue-harbour-lanterns-7"
SHOTS = os.environ.get("JOURNEY_SCREENSHOTS")


@pytest.fixture
def tasks_in_process():
    """Data is committed here, so after-commit tasks fire: run them in-process, not on a shared broker."""
    from travelsouth.celery import app

    eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def visitor(monkeypatch):
    """A second browser: the people who receive the e-mails (the broker keeps the first)."""
    monkeypatch.setenv("SE_OFFLINE", "true")
    driver = _chromium()
    yield driver
    driver.quit()


def shoot(browser, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for label, (width, height) in (("desktop", DESKTOP), ("phone", PHONE)):
        size(browser, width, height)
        full = browser.execute_script("return document.documentElement.scrollHeight")
        size(browser, width, min(full, 2400))
        browser.save_screenshot(str(Path(SHOTS) / f"{name}-{label}.png"))
    size(browser, *DESKTOP)


def link_in(address: str, pattern: str) -> str:
    """The first link matching ``pattern`` in the last e-mail to ``address`` that has one."""
    for message in reversed(mail.outbox):
        if message.to == [address]:
            found = re.search(rf"(https?://\S*{pattern}\S*?/)(?=\s|$)", message.body, re.M)
            if found:
                return found.group(1)
    raise AssertionError(f"no {pattern} link to {address}: {[m.subject for m in mail.outbox]}")


def press(browser, text: str) -> None:
    """Click the button or link whose text is ``text`` and wait for the next page."""
    click_and_wait(
        browser,
        browser.find_element(
            By.XPATH,
            f'//main//*[self::button or self::a or self::input[@type="submit"]]'
            f'[normalize-space()="{text}" or @value="{text}"]',
        ),
    )


def log_in(browser, base: str, email: str, language_prefix: str = "") -> None:
    browser.delete_all_cookies()
    browser.get(f"{base}{language_prefix}/accounts/login/")
    browser.find_element(By.ID, "id_login").send_keys(email)
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def text_of(browser, selector: str = "main") -> str:
    return browser.find_element(By.CSS_SELECTOR, selector).text


def test_a_broker_carries_a_mexico_china_pair_to_a_partnership_in_chromium(
    live_server, browser, visitor, report_data, tasks_in_process, settings
):
    """Slow by nature (about 10 s): the whole brokering journey, three people, in Chromium."""
    base = live_server.url
    settings.SITE_URL = base
    oaxaca, dunhuang = City.objects.get(slug="oaxaca"), City.objects.get(slug="dunhuang")
    staff = factories.user(email="broker@unossc.example", password=PASSWORD)
    staff.is_staff = staff.is_superuser = True
    staff.save(update_fields=["is_staff", "is_superuser"])

    # The broker runs matching from the proposal list and opens Dunhuang-Oaxaca: nobody to invite.
    log_in(browser, base, "broker@unossc.example")
    browser.get(f"{base}/admin/partnerships/proposal/")
    click_and_wait(browser, browser.find_element(By.XPATH, '//button[normalize-space()="Run matching"]'))
    proposal = Proposal.objects.get(city_a=dunhuang, city_b=oaxaca)
    browser.get(f"{base}/admin/partnerships/proposal/{proposal.pk}/change/")
    assert text_of(browser, ".decision-panel").count("Nobody to invite yet.") == 2
    click_and_wait(
        browser, browser.find_element(By.XPATH, '//button[normalize-space()="Approve and invite the cities"]')
    )
    assert text_of(browser, "ul.messagelist") == (
        "Dunhuang - Oaxaca approved, waiting for a contact of Dunhuang, Oaxaca: nobody there has agreed to "
        "be contacted yet. The cities are invited as soon as someone does."
    )
    shoot(browser, "journey-01-staff-approved-waiting")

    # From the proposal page, the broker adds a contact for Oaxaca and asks for her consent.
    click_and_wait(
        browser, browser.find_element(By.CSS_SELECTOR, f'a[href$="/cities/{oaxaca.pk}/add-contact/"]')
    )
    browser.find_element(By.ID, "id_full_name").send_keys("Rosa Martínez")
    browser.find_element(By.ID, "id_email").send_keys("rosa@oaxaca.example")
    Select(browser.find_element(By.ID, "id_preferred_language")).select_by_value("es")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, 'input[value="Add and ask for consent"]'))

    # Rosa confirms in Spanish through the e-mailed link.
    visitor.get(link_in("rosa@oaxaca.example", "/es/invitations/consent/"))
    shoot(visitor, "journey-02-contact-consent-es")
    click_and_wait(visitor, visitor.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert Person.objects.get(email="rosa@oaxaca.example").has_contact_consent

    # A Dunhuang official signs up in Chinese, confirms her address and asks to act for the city.
    visitor.delete_all_cookies()
    visitor.get(f"{base}/zh-hans/accounts/signup/")
    visitor.find_element(By.ID, "id_email").send_keys("li.na@dunhuang.example")
    visitor.find_element(By.ID, "id_password1").send_keys(PASSWORD)
    visitor.find_element(By.ID, "id_password2").send_keys(PASSWORD)
    click_and_wait(visitor, visitor.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    visitor.get(link_in("li.na@dunhuang.example", "/zh-hans/accounts/confirm-email/"))
    click_and_wait(visitor, visitor.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    log_in(visitor, base, "li.na@dunhuang.example", "/zh-hans")
    visitor.get(f"{base}/zh-hans/officials/cities/request/")
    Select(visitor.find_element(By.ID, "id_city")).select_by_value(str(dunhuang.pk))
    visitor.find_element(By.ID, "id_full_name").send_keys("Li Na")
    visitor.find_element(By.ID, "id_role").send_keys("旅游局副局长")
    shoot(visitor, "journey-03-official-request-zh")
    click_and_wait(visitor, visitor.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    membership = CityMembership.objects.get(user__email="li.na@dunhuang.example")

    # The broker approves the request from the work queue's list (an action with a reason step).
    browser.get(f"{base}/admin/")
    shoot(browser, "journey-04-staff-work-queue")
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Requests to act for a city"))
    browser.find_element(By.CSS_SELECTOR, f'input[name="_selected_action"][value="{membership.pk}"]').click()
    Select(browser.find_element(By.NAME, "action")).select_by_value("approve_memberships")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, 'button[name="index"]'))
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, '#content form [type="submit"]'))
    membership.refresh_from_db()
    assert membership.status == CityMembership.Status.APPROVED

    # Li gives her consent on her page: with no staff action, both cities are invited.
    visitor.get(f"{base}/zh-hans/officials/consent/")
    click_and_wait(visitor, visitor.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED

    # Each accepts through her own link, in her own language.
    for address, prefix in (("li.na@dunhuang.example", "/zh-hans"), ("rosa@oaxaca.example", "/es")):
        visitor.delete_all_cookies()
        visitor.get(link_in(address, f"{prefix}/invitations/answer/"))
        shoot(visitor, f"journey-05-answer-{prefix.strip('/')}")
        click_and_wait(visitor, visitor.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    partnership = Partnership.objects.get(proposal=proposal)
    told = text_of(visitor)  # Rosa's page, after the second acceptance: formed, and whom to write to
    shoot(visitor, "journey-05-formed-es")
    assert (
        "Buenas noticias: ambas ciudades aceptaron la propuesta, y Oaxaca y Dunhuang ya son socias." in told
    )
    assert "Li Na (li.na@dunhuang.example)" in told

    # The partnership is public: on the partnerships page (with its map) and both cities' pages.
    visitor.delete_all_cookies()
    visitor.get(f"{base}/es/partnerships/")
    listed = text_of(visitor)
    shoot(visitor, "journey-06-partnerships-es")
    assert "Dunhuang y Oaxaca" in listed
    assert visitor.find_elements(By.CSS_SELECTOR, "figure.map path.arc")
    for city in ("oaxaca", "dunhuang"):
        visitor.get(f"{base}/cities/{city}/")
        assert visitor.find_elements(By.CSS_SELECTOR, f'main a[href="/partnerships/{partnership.pk}/"]'), city

    # Li records a joint activity on the partnership's page.
    log_in(visitor, base, "li.na@dunhuang.example", "/zh-hans")
    visitor.get(f"{base}/zh-hans/partnerships/{partnership.pk}/manage/")
    visitor.find_element(By.ID, "id_activity-title").send_keys("Mogao and Monte Albán exchange visit")
    Select(visitor.find_element(By.ID, "id_activity-kind")).select_by_value("exchange_visit")
    visitor.execute_script(
        "document.getElementById('id_activity-starts_on').value = arguments[0]", dt.date.today().isoformat()
    )
    shoot(visitor, "journey-07-manage-zh")
    activity_form = visitor.find_element(By.ID, "id_activity-title").find_element(
        By.XPATH, "./ancestor::form"
    )
    click_and_wait(visitor, activity_form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert JointActivity.objects.get(partnership=partnership).title == "Mogao and Monte Albán exchange visit"

    # Thirty days on, the check-in falls due; Rosa answers it through the e-mailed link.
    shift = dt.timedelta(days=30)
    Invitation.objects.update(due_at=F("due_at") - shift, created_at=F("created_at") - shift)
    CheckIn.objects.update(due_at=F("due_at") - shift)
    Partnership.objects.update(formed_at=F("formed_at") - shift)
    invitations_dispatch()  # the beat job: what is due goes out
    visitor.delete_all_cookies()
    visitor.get(link_in("rosa@oaxaca.example", "/es/invitations/check-in/"))
    visitor.find_element(By.CSS_SELECTOR, 'input[name="still_active"][value="yes"]').click()
    visitor.find_element(By.ID, "id_what_happened").send_keys("Primera visita planificada.")
    shoot(visitor, "journey-08-check-in-es")
    click_and_wait(visitor, visitor.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    answered = CheckIn.objects.get(partnership=partnership, city=oaxaca, after_days=30)
    assert (answered.still_active, answered.what_happened) == (True, "Primera visita planificada.")

    # The broker sees it all on the partnership's admin page: the timeline of the whole journey.
    browser.get(f"{base}/admin/partnerships/partnership/{partnership.pk}/change/")
    shoot(browser, "journey-09-staff-partnership")
    page = text_of(browser, "#content")
    assert "Mogao and Monte Albán exchange visit" in page
    assert "Check-in after 30 days: still active. Primera visita planificada." in page
