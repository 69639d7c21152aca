import os
import time

import pytest
from django.conf import settings as django_settings

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str):
    """A missing service fails the test under REQUIRE_SERVICES=1 (CI), and skips it on a laptop."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1, so this is a failure, not a skip)")
    pytest.skip(reason)


def wait_for(condition, seconds: float = 60) -> bool:
    """Poll ``condition`` (five times a second) until it holds or ``seconds`` pass; say whether it held.
    For what another process (a worker) does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process even when REDIS_URL is set (tests must not feed the shared broker)."""
    from travelsouth.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _private_cache(settings):
    # Each test gets an empty in-memory cache: rate limits and lockouts never leak between tests, and
    # clearing never touches the shared Redis (which also carries Celery's queues). Tests of the Redis
    # cache itself use django.core.cache.caches with their own settings.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # The page cache's data version changes when a write commits, and most tests never commit (their
    # transaction is rolled back): they read pages uncached. tests/travelsouth/test_page_cache.py
    # turns it on, with writes that commit.
    settings.PAGE_CACHE_SECONDS = 0
    settings.VERSIONED_READ_SECONDS = 0


@pytest.fixture(scope="module")
def report_once(django_db_setup, django_db_blocker):
    """The report's data set loaded once for a whole module, inside a transaction rolled back after
    it: each test still runs in its own savepoint, so what it writes is undone before the next.
    Modules whose tests never commit use it through ``report_data = shared_report_data``."""
    from django.db import transaction

    from report.loading import load_report

    with django_db_blocker.unblock(), transaction.atomic():
        yield load_report()
        transaction.set_rollback(True)


@pytest.fixture
def shared_report_data(report_once, db):
    return report_once


@pytest.fixture
def report_data(db):
    """The report's data set, loaded through the real loader."""
    from report.loading import load_report

    return load_report()


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="staff", email="staff@unossc.example", password="a-Long-enough-passw0rd"
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture(autouse=True)
def _english_to_start_with():
    # A request to /es/ or /zh-hans/ leaves its language active in the thread (LocaleMiddleware does
    # not reset it); every test starts in the default language, as a fresh process would.
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Tests create many accounts; the production hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def broker_down(settings):
    """Celery publishing for real, to a Redis address where nothing listens: every publish fails, as
    when the broker is down. Whatever is queued after commit meets that."""
    from tests.partnerships.invitations.mail_sink import free_port
    from travelsouth import queueing
    from travelsouth.celery import app as celery_app

    previous = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    queueing._broker_down_until = 0.0
    yield
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    queueing._broker_down_until = 0.0


# --- no slow test without a reason -------------------------------------------------------------------
# A test whose run takes longer than SLOW_TEST_SECONDS (not its set-up, which includes whatever it
# shares with other tests: the test database, a module's report) must say why in its docstring,
# with the word "slow" ("Slow by nature (about 10 s): ..."). Those that do not are listed at the end of
# the run; with SLOW_TESTS_FAIL=1 they also fail it. Only listed by default: timings on a shared
# machine vary, and a tally that fails at random would teach everyone to ignore it.
SLOW_TEST_SECONDS = float(os.environ.get("SLOW_TEST_SECONDS", "5"))
_slow_without_reason: list[tuple[str, float]] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when == "call" and call.duration > SLOW_TEST_SECONDS:
        reason = (getattr(item, "obj", None) and item.obj.__doc__) or ""
        if "slow" not in reason.lower():
            _slow_without_reason.append((item.nodeid, call.duration))
    return report


def pytest_terminal_summary(terminalreporter):
    if not _slow_without_reason:
        return
    terminalreporter.section(f"slower than {SLOW_TEST_SECONDS:g} s without a reason in the docstring")
    for nodeid, seconds in sorted(_slow_without_reason, key=lambda found: -found[1]):
        terminalreporter.write_line(f"{seconds:6.1f} s  {nodeid}")


def pytest_sessionfinish(session, exitstatus):
    if _slow_without_reason and os.environ.get("SLOW_TESTS_FAIL") == "1" and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
