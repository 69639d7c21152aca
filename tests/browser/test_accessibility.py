"""Accessibility, checked in Chromium: axe-core finds no serious or critical violation on any public or
official page, in English, Spanish and Chinese, on a desktop (1366x900) and a phone (390x844); no page
scrolls sideways at 320 px; signing up, registering an interest and answering a survey work with the
keyboard alone.

axe-core comes from node_modules (npm ci, see package.json): nothing is downloaded by the test. One
browser serves the whole module.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from cities.models import City, CityMembership, GoodPractice
from partnerships.models import Interest
from surveys.models import Response
from surveys.services import answer_field
from tests import factories
from tests.browser.test_interest_in_chromium import replaced
from tests.conftest import skip_or_fail
from tests.surveys.builders import build_survey
from webinars.models import Webinar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "Blue-harbour-lanterns-7"
LANGUAGES = ["", "/es", "/zh-hans"]
DESKTOP, PHONE, NARROWEST = (1366, 900), (390, 844), (320, 640)

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(result => done(
  result.violations
    .filter(violation => ["serious", "critical"].includes(violation.impact))
    .map(violation => ({rule: violation.id, help: violation.help,
                        where: violation.nodes.slice(0, 3).map(node => node.target.join(" "))}))
)).catch(error => done([{rule: "axe-error", help: String(error), where: []}]));
"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        skip_or_fail(f"axe-core is not installed ({AXE}): run npm ci")
    return AXE.read_text()


@pytest.fixture
def tasks_in_process():
    from travelsouth.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


def size(browser, width: int, height: int) -> None:
    """The viewport a phone or desktop has (Chromium's window cannot be narrower than 500 px)."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 800},
    )


def open_page(browser, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 30).until(lambda b: b.execute_script("return document.readyState") == "complete")


def problems_of(browser, axe_source: str) -> dict[str, list]:
    """axe's serious and critical violations at the phone and desktop sizes, and sideways scrolling
    at 320 px, on the page open in ``browser``."""
    browser.execute_script(axe_source)
    found = {}
    size(browser, *PHONE)
    found["phone"] = browser.execute_async_script(RUN_AXE)
    size(browser, *DESKTOP)
    # Disclosures open, so that what they hide (chart tables, lists, filters) is checked too.
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    found["desktop"] = browser.execute_async_script(RUN_AXE)
    size(browser, *NARROWEST)
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    found["320px"] = [f"scrolls sideways by {overflow}px"] if overflow > 0 else []
    return {where: problems for where, problems in found.items() if problems}


def log_in(browser, base: str, email: str) -> None:
    open_page(browser, f"{base}/accounts/login/")
    browser.find_element(By.ID, "id_login").send_keys(email)
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD + Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda b: "/accounts/login/" not in b.current_url)


@pytest.fixture
def portal(report_data, tasks_in_process):
    """The report's data, an approved official of Morelia with a good practice and an interest, and an
    open survey to answer."""
    morelia = City.objects.get(slug="morelia")
    account = factories.user(email="ana@morelia.example", password=PASSWORD)
    factories.official(city_=morelia, account=account, full_name="Ana Ruiz")
    kit = build_survey(slug="after-the-webinar")
    mail.outbox.clear()
    return {
        "city": morelia,
        "account": account,
        "survey": kit,
        "membership": CityMembership.objects.get(user=account, city=morelia),
    }


def test_every_public_and_official_page_has_no_serious_accessibility_problem(
    live_server, module_browser, axe_source, portal
):
    """Slow by nature (about 40 s): headless Chromium loads every public and official page at two
    sizes and three languages and runs axe-core on each."""
    browser = module_browser
    browser.set_script_timeout(60)
    city = portal["city"]
    webinar = Webinar.objects.order_by("number").first()
    practice = GoodPractice.objects.filter(status=GoodPractice.Status.PUBLISHED).order_by("id").first()
    public = [
        "/",
        "/webinars/",
        f"/webinars/{webinar.slug}/",
        "/cities/",
        f"/cities/{city.slug}/",
        "/good-practices/",
        f"/good-practices/{practice.slug}/",
        "/surveys/",
        "/surveys/post-webinar-survey-china-mexico/summary/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/invitations/answer/not-a-real-link/",
        "/surveys/no-such-survey/summary/",
    ]
    official = [
        "/officials/",
        "/officials/details/",
        "/officials/consent/",
        "/officials/cities/request/",
        "/officials/cities/propose/",
        f"/cities/{city.slug}/manage/",
        f"/cities/{city.slug}/edit/",
        f"/cities/{city.slug}/contacts/",
        f"/cities/{city.slug}/practices/new/",
        f"/partnerships/interests/{city.slug}/",
        f"/partnerships/interests/{city.slug}/history/",
        f"/surveys/{portal['survey'].survey.slug}/answer/",
        f"/officials/memberships/{portal['membership'].pk}/leave/",
        "/cities/luoyang/manage/",  # not Ana's city: the "not allowed" page
        "/accounts/password/change/",
        "/accounts/email/",
    ]
    base = live_server.url
    problems = {}

    for language in LANGUAGES:
        for path in public:
            open_page(browser, f"{base}{language}{path}")
            if found := problems_of(browser, axe_source):
                problems[f"{language}{path}"] = found
    log_in(browser, base, "ana@morelia.example")
    for language in LANGUAGES:
        for path in official:
            open_page(browser, f"{base}{language}{path}")
            assert "/accounts/login/" not in browser.current_url, path
            if found := problems_of(browser, axe_source):
                problems[f"{language}{path}"] = found

    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)


def test_axe_reports_what_it_should(live_server, module_browser, axe_source):
    """The check above would pass if axe silently ran nothing: here it must find a planted problem."""
    browser = module_browser
    open_page(browser, f"{live_server.url}/accounts/login/")
    browser.execute_script(
        "const link = document.createElement('a'); link.href = '/'; link.innerHTML = '<img src=x>';"
        "document.querySelector('main').append(link);"
        "document.body.style.minWidth = '400px';"
    )

    found = problems_of(browser, axe_source)

    assert {problem["rule"] for problem in found["desktop"]} == {"image-alt", "link-name"}
    assert found["320px"] == ["scrolls sideways by 80px"]


# --- the keyboard alone ---------------------------------------------------------------------------


def press(browser, *keys) -> None:
    ActionChains(browser).send_keys(*keys).perform()


def tab_to(browser, element_id: str, limit: int = 400) -> None:
    """Press Tab until the element with ``element_id`` has the focus: it is reachable by keyboard."""
    for _ in range(limit):
        if browser.switch_to.active_element.get_attribute("id") == element_id:
            return
        press(browser, Keys.TAB)
    raise AssertionError(f"#{element_id} is not reachable with the Tab key")


def tab_to_text(browser, text: str, limit: int = 400) -> None:
    """Press Tab until the focused link or button reads ``text``."""
    for _ in range(limit):
        if browser.switch_to.active_element.text.strip() == text:
            return
        press(browser, Keys.TAB)
    raise AssertionError(f"{text!r} is not reachable with the Tab key")


def label_target(browser, label_text: str) -> str:
    """The id of the control a label names (read from the page; the control is then reached by Tab)."""
    label = browser.find_element(
        By.XPATH, f'//label[normalize-space()="{label_text}" or normalize-space()="{label_text}:"]'
    )
    return label.get_attribute("for")


def tick(browser, label_text: str) -> None:
    """Tab to a checkbox and tick it with Space (forms may come filled in: a ticked box stays ticked)."""
    tab_to(browser, label_target(browser, label_text))
    if not browser.switch_to.active_element.is_selected():
        press(browser, Keys.SPACE)


def submit_with_enter(browser) -> None:
    page = browser.find_element(By.TAG_NAME, "html")
    press(browser, Keys.ENTER)
    WebDriverWait(browser, 30).until(replaced(page))
    WebDriverWait(browser, 30).until(lambda b: b.execute_script("return document.readyState") == "complete")


def test_signing_up_works_with_the_keyboard_alone(live_server, module_browser, tasks_in_process):
    browser = module_browser
    browser.delete_all_cookies()
    size(browser, *PHONE)
    open_page(browser, f"{live_server.url}/accounts/signup/")

    tab_to(browser, "id_email")
    press(browser, "luis@puebla.example")
    tab_to(browser, "id_password1")
    press(browser, PASSWORD)
    tab_to(browser, "id_password2")
    press(browser, PASSWORD)
    tab_to_text(browser, "Sign up")
    submit_with_enter(browser)

    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert get_user_model().objects.filter(email="luis@puebla.example").exists()
    assert heading == "Verify your e-mail address"
    assert [message.to for message in mail.outbox] == [["luis@puebla.example"]]


def test_registering_an_interest_works_with_the_keyboard_alone(live_server, module_browser, portal):
    """Slow by nature (about 7 s): a whole form filled in Chromium with key presses only."""
    browser = module_browser
    browser.delete_all_cookies()
    size(browser, *DESKTOP)
    log_in(browser, live_server.url, "ana@morelia.example")

    tab_to_text(browser, "Register an interest")
    submit_with_enter(browser)
    for choice in [
        "Tourism",
        "Luoyang (China)",
        "Spanish",
        "Show this interest on the city's public page",
        "I agree that UNOSSC staff and partner cities contact me about partnerships",
    ]:
        tick(browser, choice)
    tab_to(browser, "id_message")
    # Select what the field may hold, and type over it.
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()
    press(browser, "Looking for heritage partners.")
    tab_to_text(browser, "Register the interest")
    submit_with_enter(browser)

    interest = Interest.objects.get(city=portal["city"], is_current=True)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Interest history of Morelia"
    # The form came filled in with the interest the survey gave Morelia; the ticks add to it.
    assert "Tourism" in [p.name for p in interest.priorities.all()]
    assert "Luoyang" in [c.name for c in interest.partner_cities.all()]
    assert "Spanish" in [lang.name for lang in interest.working_languages.all()]
    assert interest.source == Interest.Source.WEB_FORM
    assert (interest.message, interest.is_published) == ("Looking for heritage partners.", True)


def test_answering_a_survey_works_with_the_keyboard_alone(live_server, module_browser, portal):
    browser = module_browser
    browser.delete_all_cookies()
    size(browser, *PHONE)
    kit = portal["survey"]
    log_in(browser, live_server.url, "ana@morelia.example")
    open_page(browser, f"{live_server.url}/surveys/{kit.survey.slug}/answer/")

    def choose(question: str, option_index: int) -> None:
        # A radio group is one Tab stop: Tab reaches its first choice, the arrows move, Space picks.
        tab_to(browser, f"id_{answer_field(kit.q(question))}_0")
        press(browser, *([Keys.ARROW_DOWN] * option_index), Keys.SPACE)

    choose("satisfied", 0)  # yes
    choose("consent", 0)  # yes
    for label in ["Tourism", "Transport"]:
        tick(browser, label)
    choose("chinese", 0)  # yes
    tick(browser, "Luoyang")
    tab_to(browser, f"id_{answer_field(kit.q('areas'))}")
    press(browser, "Tourism and trade")
    choose("rating", 3)  # 4 of 1-5
    choose("format", 0)  # online
    tab_to_text(browser, "Send my answers")
    submit_with_enter(browser)

    response = Response.objects.get(survey=kit.survey)
    answers = {answer.question_id: answer for answer in response.answers.all()}
    assert (
        "Thank you: your answers are recorded." in browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    )
    assert response.city == portal["city"]
    assert answers[kit.q("satisfied")].yes is True
    assert sorted(o.label for o in answers[kit.q("priorities")].options.all()) == ["Tourism", "Transport"]
    assert [o.label for o in answers[kit.q("cities")].options.all()] == ["Luoyang"]
    assert answers[kit.q("areas")].text == "Tourism and trade"
    assert answers[kit.q("rating")].rating == 4
    assert [o.label for o in answers[kit.q("format")].options.all()] == ["Online"]
