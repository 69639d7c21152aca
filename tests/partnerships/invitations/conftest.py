import pytest

from travelsouth.celery import app as celery_app

from .mail_sink import start_sink


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Tasks run in the test's process, even in the PostgreSQL + Redis run, except in the tests that start
    a real worker (marked ``services``): those need the broker."""
    if request.node.get_closest_marker("services"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on a free port, and Django's SMTP backend pointed at it."""
    sink, controller = start_sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield sink
    controller.stop()


@pytest.fixture
def quick_retries(settings):
    """Retries due at once (no backoff to wait for), and one invitation per send task: a batch would
    take up again, at once, the rows it has just seen refused, so the tries these tests count would
    depend on the order the tasks ran in."""
    settings.INVITATIONS_SEND_BATCH = 1
    settings.INVITATIONS_RETRY_BASE_SECONDS = 0
    settings.INVITATIONS_RETRY_MAX_SECONDS = 0
