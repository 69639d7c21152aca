"""`make screenshots`: pictures of the key pages at a desktop and a phone size, in English, Spanish and
Chinese, into docs/screenshots/ (listed in docs/screenshots/README.md).

Not a test (its name does not match test_*.py, so the suite never runs it): pytest gives it the live
server, the report's data and the browser the browser tests use. Chinese text needs a CJK font in the
system (Debian: fonts-noto-cjk).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from cities.models import City
from partnerships.models import Proposal
from tests import factories
from tests.browser.test_accessibility import DESKTOP, PASSWORD, PHONE, log_in, open_page, size
from tests.surveys.builders import build_survey
from webinars.models import Webinar, WebinarSeries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGET = Path(os.environ.get("SCREENSHOTS_DIR", Path(settings.BASE_DIR) / "docs" / "screenshots"))
# Full pages are cut at these heights: enough to see a page's layout, small enough to commit.
MAX_HEIGHT = {"desktop": 2200, "phone": 2600}
SIZES = {"desktop": DESKTOP, "phone": PHONE}

PUBLIC = [
    ("home", "/", ["en", "es", "zh-hans"]),
    ("cities", "/cities/", ["en", "es", "zh-hans"]),
    ("city", "/cities/morelia/", ["en"]),
    ("good-practices", "/good-practices/", ["en", "zh-hans"]),
    ("webinar", "/webinars/{webinar}/", ["en"]),
    ("survey-summary", "/surveys/post-webinar-survey-china-mexico/summary/", ["en", "es", "zh-hans"]),
    ("sign-up", "/accounts/signup/", ["en", "es"]),
]
OFFICIAL = [
    ("dashboard", "/officials/", ["en", "es"]),
    ("interest-form", "/partnerships/interests/morelia/", ["en"]),
    ("survey-answer", "/surveys/after-the-webinar/answer/", ["en", "zh-hans"]),
]
STAFF = [
    ("admin-home", "/admin/"),
    ("admin-proposals", "/admin/partnerships/proposal/"),
    ("admin-proposal", "/admin/partnerships/proposal/{proposal}/change/"),
]


def shoot(browser, name: str, url: str, sizes=("desktop", "phone")) -> list[str]:
    files = []
    open_page(browser, url)
    for label in sizes:
        width, height = SIZES[label]
        size(browser, width, height)
        full = browser.execute_script("return document.documentElement.scrollHeight")
        size(browser, width, min(full, MAX_HEIGHT[label]))
        path = TARGET / f"{name}-{label}.png"
        browser.save_screenshot(str(path))
        files.append(path.name)
    return files


def prefix(language: str) -> str:
    return "" if language == "en" else f"/{language}"


def test_take_the_screenshots(live_server, module_browser, report_data):
    morelia = City.objects.get(slug="morelia")
    account = factories.user(email="ana@morelia.example", password=PASSWORD)
    factories.official(city_=morelia, account=account, full_name="Ana Ruiz")
    survey = build_survey(slug="after-the-webinar").survey
    # The builder hangs its survey on a series of its own: put it on the report's last webinar.
    survey.webinar = Webinar.objects.get(series__slug="travel-south-over-cloud", number=4)
    survey.save(update_fields=["webinar"])
    WebinarSeries.objects.filter(slug="series").delete()
    staff = factories.user(email="staff@unossc.example", password=PASSWORD)
    staff.is_staff = staff.is_superuser = True
    staff.save(update_fields=["is_staff", "is_superuser"])
    values = {
        "webinar": survey.webinar.slug,
        "proposal": Proposal.objects.order_by("-score", "id").first().pk,
    }
    TARGET.mkdir(parents=True, exist_ok=True)
    for old in TARGET.glob("*.png"):
        old.unlink()
    browser = module_browser
    base = live_server.url
    taken = []

    for name, path, languages in PUBLIC:
        for language in languages:
            url = f"{base}{prefix(language)}{path.format(**values)}"
            taken += shoot(browser, f"{name}-{language}", url)
    log_in(browser, base, "ana@morelia.example")
    for name, path, languages in OFFICIAL:
        for language in languages:
            taken += shoot(browser, f"{name}-{language}", f"{base}{prefix(language)}{path}")
    browser.delete_all_cookies()
    log_in(browser, base, "staff@unossc.example")
    for name, path in STAFF:
        taken += shoot(browser, f"{name}-en", f"{base}{path.format(**values)}", sizes=("desktop",))

    index = [
        "# Screenshots",
        "",
        "Made by `make screenshots` (tests/browser/screenshots.py) from the report's data, in headless",
        "Chromium at 1366x900 (desktop) and 390x844 (phone); long pages are cut.",
    ]
    pages_seen = set()
    for picture in taken:
        page = picture.rsplit("-", 1)[0]
        if page not in pages_seen:
            pages_seen.add(page)
            index += ["", f"## {page}", ""]
        width = 480 if picture.endswith("-desktop.png") else 160
        shown = picture.removesuffix(".png").rsplit("-", 1)[1]
        index.append(f'<a href="{picture}"><img src="{picture}" alt="{page}, {shown}" width="{width}"></a>')
    (TARGET / "README.md").write_text("\n".join(index) + "\n")
    assert len(taken) == len(list(TARGET.glob("*.png")))
