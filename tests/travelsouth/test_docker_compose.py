"""docker-compose.yml can't be run here (no Docker engine), so check what can be checked statically."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_SOURCE = (ROOT / "travelsouth" / "settings.py").read_text(encoding="utf-8")
SETTINGS_VARIABLES = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z_]+)\"", SETTINGS_SOURCE))


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_settings_variables_are_found_in_the_settings_module():
    assert {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "EMAIL_URL",
        "HTTPS",
    } <= SETTINGS_VARIABLES


def test_compose_describes_the_production_shape():
    services = compose()["services"]

    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["web"]["command"][:2] == ["gunicorn", "travelsouth.wsgi:application"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "travelsouth", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "travelsouth", "beat"]
    assert all("healthcheck" in services[name] for name in ("db", "redis", "web", "worker", "beat"))
    assert (ROOT / services["web"]["build"] / "Dockerfile").is_file()


def test_app_services_set_only_variables_the_settings_read():
    services = compose()["services"]

    for name in ("web", "worker", "beat", "migrate"):
        environment = set(services[name]["environment"])
        assert environment <= SETTINGS_VARIABLES, (name, environment - SETTINGS_VARIABLES)
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"} <= environment


def test_app_services_wait_for_healthy_database_and_redis():
    services = compose()["services"]

    for name in ("web", "worker", "beat"):
        depends_on = services[name]["depends_on"]
        assert depends_on["db"]["condition"] == "service_healthy"
        assert depends_on["redis"]["condition"] == "service_healthy"


def test_env_example_names_only_variables_the_settings_read():
    names = set(
        re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.MULTILINE)
    )

    assert names
    assert names <= SETTINGS_VARIABLES, names - SETTINGS_VARIABLES
