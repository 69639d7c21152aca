"""Settings come from the environment: each case imports the settings in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "production-secret-key-with-enough-entropy-7f3a9c1e5b2d8f4a6c0e9b7d5f3a1c8e",
    "ALLOWED_HOSTS": "travelsouth.example.org",
    "HTTPS": "1",
    "BEHIND_PROXY": "1",
}
READ_SETTINGS = """
import json, django
from django.conf import settings
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "host": settings.DATABASES["default"].get("HOST", ""),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
}))
"""


def run_python(code: str, **environment: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in _SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "travelsouth.settings", **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_settings(**environment: str) -> dict:
    result = run_python(READ_SETTINGS, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


_SETTINGS_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "HTTPS",
    "BEHIND_PROXY",
}


def test_settings_default_to_sqlite_eager_tasks_and_file_mail():
    values = read_settings(DEBUG="1")

    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "var" / "travelsouth.sqlite3")
    assert values["eager"] is True
    assert values["broker"] == "memory://"
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["email"] == "django.core.mail.backends.filebased.EmailBackend"
    assert values["debug"] is True


def test_settings_read_postgresql_and_redis_urls():
    values = read_settings(
        DEBUG="1",
        DATABASE_URL="postgres://portal:secret@db.internal:5432/travelsouth",
        REDIS_URL="redis://cache.internal:6379/0",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.example.org:587",
    )

    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "travelsouth"
    assert values["host"] == "db.internal"
    assert values["eager"] is False
    assert values["broker"] == "redis://cache.internal:6379/0"
    assert values["cache"] == "travelsouth.cache.FailOpenRedisCache"  # Django's RedisCache, failing open
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_settings_debug_is_off_unless_asked():
    values = read_settings(SECRET_KEY="x" * 60)

    assert values["debug"] is False
    assert values["hosts"] == []


def test_settings_refuse_to_start_without_secret_key_when_not_debugging():
    result = run_python(READ_SETTINGS)

    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_production_configuration_passes_deploy_checks_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{key: value for key, value in os.environ.items() if key not in _SETTINGS_VARIABLES},
            **PRODUCTION_ENVIRONMENT,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["HTTPS"])
def test_deploy_checks_warn_when_https_is_not_configured(missing):
    environment = {key: value for key, value in PRODUCTION_ENVIRONMENT.items() if key != missing}

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k not in _SETTINGS_VARIABLES}, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr
