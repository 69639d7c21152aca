"""docker-compose.yml can't be run here (no Docker engine): it is validated by `docker-compose config`
(Debian's docker-compose 1.29, which .ci/run installs) and its resolved form checked against the
settings, the image and the proxy's configuration."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_SOURCE = (ROOT / "travelsouth" / "settings.py").read_text(encoding="utf-8")
SETTINGS_VARIABLES = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z_]+)\"", SETTINGS_SOURCE))
APP_SERVICES = ("migrate", "web", "worker", "beat")
OPERATORS_SECRET_KEY = "as-in-the-operators-env-file-7Hq2Lx9Vb4Nw8Rt1Zk6Pm3Ys5Cd0Gf"
CADDYFILE = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def resolved() -> dict:
    """The compose file as docker-compose 1.29 reads it, variables filled in from a minimal .env."""
    if shutil.which("docker-compose") is None:
        skip_or_fail("docker-compose is not installed (apt-get install docker-compose; .ci/run does)")
    environment = {
        name: value
        for name, value in os.environ.items()
        if not re.fullmatch(r"[A-Z_]+", name) or name == "PATH"
    }
    finished = subprocess.run(
        [
            "docker-compose",
            "--project-directory",
            str(ROOT),
            "-f",
            str(ROOT / "docker-compose.yml"),
            "config",
        ],
        env={**environment, "PATH": os.environ["PATH"], "SECRET_KEY": OPERATORS_SECRET_KEY},
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert finished.returncode == 0, finished.stderr
    return yaml.safe_load(finished.stdout)


def test_docker_compose_refuses_to_start_without_a_secret_key():
    if shutil.which("docker-compose") is None:
        skip_or_fail("docker-compose is not installed")
    finished = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        cwd=ROOT,
    )

    assert finished.returncode != 0
    assert "set SECRET_KEY in .env" in finished.stderr


def test_the_stack_has_a_tls_proxy_in_front_of_web_and_nothing_else_published(resolved):
    services = resolved["services"]

    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat", "proxy"}
    assert services["proxy"]["image"].startswith("caddy:")
    published = {name: service.get("ports") for name, service in services.items() if service.get("ports")}
    assert list(published) == ["proxy"]
    assert {(port["target"], port["published"]) for port in published["proxy"]} >= {(80, 80), (443, 443)}
    assert "reverse_proxy web:8000" in CADDYFILE
    assert services["proxy"]["environment"]["SITE_ADDRESS"] == "localhost"


def test_https_and_the_proxy_header_are_on_and_the_defaults_agree_with_the_proxy(resolved):
    environment = resolved["services"]["web"]["environment"]

    assert (environment["HTTPS"], environment["BEHIND_PROXY"]) == ("1", "1")
    # One host name throughout: the proxy's certificate, the allowed hosts and the e-mailed links.
    assert environment["SITE_URL"] == "https://localhost"
    assert environment["ALLOWED_HOSTS"] == resolved["services"]["proxy"]["environment"]["SITE_ADDRESS"]


def mounts(service: dict) -> dict[str, str]:
    """Volume name -> path in the container (1.29 prints "name:/path:mode"; v2 a mapping)."""
    found = {}
    for mount in service["volumes"]:
        if isinstance(mount, str):
            source, target = mount.split(":")[:2]
        else:
            source, target = mount["source"], mount["target"]
        found[source] = target
    return found


def test_the_proxy_serves_static_files_and_never_the_uploads(resolved):
    """Agreements' PDFs are for the two cities' officials and staff: only the app's download view,
    which checks who asks, may read them. The proxy has no access to the media volume."""
    services = resolved["services"]
    web_mounts, proxy_mounts = mounts(services["web"]), mounts(services["proxy"])
    environment = services["web"]["environment"]

    assert web_mounts["static"] == environment["STATIC_ROOT"]
    assert web_mounts["media"] == environment["MEDIA_ROOT"]
    assert mounts(services["worker"])["media"] == services["worker"]["environment"]["MEDIA_ROOT"]
    assert "handle_path /static/* {\n\t\troot * " + proxy_mounts["static"] in CADDYFILE
    assert "media" not in proxy_mounts
    assert "/media" not in CADDYFILE
    assert re.search(r'^STATIC_URL = "static/"$', SETTINGS_SOURCE, re.MULTILINE)
    assert "collectstatic --noinput" in " ".join(services["migrate"]["command"])


def test_web_worker_and_beat_start_after_migrate_has_finished(resolved):
    services = resolved["services"]

    for name in ("web", "worker", "beat"):
        depends_on = services[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
        assert depends_on["db"]["condition"] == "service_healthy", name
        assert depends_on["redis"]["condition"] == "service_healthy", name
    assert services["migrate"]["restart"] == "no"
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_commands_are_the_ones_the_code_provides(resolved):
    services = resolved["services"]

    assert services["web"]["command"] == [
        "gunicorn",
        "--config",
        "deploy/gunicorn.conf.py",
        "travelsouth.wsgi:application",
    ]
    assert (ROOT / "deploy" / "gunicorn.conf.py").is_file()
    assert services["worker"]["command"][:5] == ["celery", "-A", "travelsouth", "--quiet", "worker"]
    assert services["beat"]["command"][:5] == ["celery", "-A", "travelsouth", "--quiet", "beat"]
    # migrate loads only what is missing of the report's data: never --update, so no staff edit is undone.
    assert services["migrate"]["command"][-1].endswith("python manage.py load_report")


def test_health_checks_see_a_hung_worker_and_a_hung_beat_and_can_replace_them(resolved):
    services = resolved["services"]

    for role in ("worker", "beat"):
        service = services[role]
        check = service["healthcheck"]["test"]
        pidfile = next(part.split("=", 1)[1] for part in service["command"] if part.startswith("--pidfile="))
        assert check[:4] == ["CMD", "python", "-m", "travelsouth.health"], role
        assert check[4] == role
        assert check[check.index("--pidfile") + 1] == pidfile, role
        assert service["init"] is True, role  # so that the check may kill the process (not PID 1)
    # The beat's heartbeat file is where the settings put it in the image (BASE_DIR is /app).
    beat_schedule = services["beat"]["command"][services["beat"]["command"].index("--schedule") + 1]
    assert Path(beat_schedule).parent == Path("/app/var")
    assert 'CELERY_BEAT_SCHEDULER = "travelsouth.beat:HeartbeatScheduler"' in SETTINGS_SOURCE
    assert 'default=VAR_DIR / "celerybeat-heartbeat"' in SETTINGS_SOURCE
    assert services["web"]["healthcheck"]["test"][-1].count("/healthz") == 1


def test_app_services_set_only_variables_the_settings_read_and_log_json(resolved):
    services = resolved["services"]

    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert set(environment) <= SETTINGS_VARIABLES, (name, set(environment) - SETTINGS_VARIABLES)
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "SITE_URL"} <= set(environment)
        assert environment["LOG_FORMAT"] == "json"
        assert environment["SECRET_KEY"] == OPERATORS_SECRET_KEY
        assert "env_file" not in services[name]  # the long form is what docker-compose 1.29 rejects


def test_the_compose_environment_passes_the_deploy_checks(resolved):
    environment = resolved["services"]["web"]["environment"]
    # The database host "db" exists only inside the stack; the checks do not connect.
    finished = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={"PATH": os.environ["PATH"], **environment, "STATIC_ROOT": str(ROOT / "staticfiles")},
        capture_output=True,
        text=True,
        cwd=ROOT,
    )

    assert finished.returncode == 0, finished.stdout + finished.stderr


def test_the_image_runs_as_an_unprivileged_user_and_ships_no_secrets():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()

    instructions = [line.split()[0] for line in dockerfile.splitlines() if line and line[0].isupper()]
    assert instructions[-3:] == ["USER", "EXPOSE", "CMD"]
    assert re.search(r"^USER travelsouth$", dockerfile, re.MULTILINE)
    assert {".env", ".venv", "var/", ".git", "staticfiles/", "backups/"} <= set(ignored)


def test_env_example_names_only_variables_the_settings_or_compose_read():
    names = set(
        re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.MULTILINE)
    )
    compose_only = set(
        re.findall(r"\$\{([A-Z_]+)", (ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    )

    assert names
    assert names <= SETTINGS_VARIABLES | compose_only, names - SETTINGS_VARIABLES - compose_only
