import os
import shutil

import pytest

from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


def _chromium(window_size: str = "1280,1400"):
    """Headless Chromium from Debian's packages, driven by Selenium with the packaged chromedriver.

    Nothing is downloaded: the driver's path is given, and Selenium Manager is told to stay offline
    (SE_OFFLINE, set by the fixtures).
    """
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        skip_or_fail(
            f"Chromium ({CHROMIUM}) and chromedriver ({CHROMEDRIVER}) are needed: apt-get install chromium chromium-driver"
        )
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        skip_or_fail("selenium is not installed (pip install -e '.[dev]')")

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--disable-extensions",
        f"--window-size={window_size}",
        "--lang=en",
    ]:
        options.add_argument(argument)
    # The browser's console, read after each test for Content-Security-Policy violations.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.implicitly_wait(10)
    return driver


def csp_violations(driver) -> list[str]:
    """What the Content-Security-Policy refused since the last call: inline scripts or styles, or
    anything loaded from elsewhere, that a page tried to use."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"] or "Content-Security-Policy" in entry["message"]
    ]


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("SE_OFFLINE", "true")
    driver = _chromium()
    yield driver
    violations = csp_violations(driver)
    driver.quit()
    assert violations == []


@pytest.fixture(scope="module")
def module_browser():
    """One Chromium for a whole module (the accessibility checks visit many pages: starting a browser
    per page would cost more than the checks)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")
        driver = _chromium("1366,900")
        yield driver
        violations = csp_violations(driver)
        driver.quit()
        assert violations == []
