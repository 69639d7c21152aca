"""Real processes for the invitation tests that need them: Celery workers and beat, a private Redis."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[3]


def require_postgresql_and_redis() -> None:
    """A worker is another process: it needs a database server it can share (not pytest's SQLite)."""
    if connection.vendor != "postgresql":
        skip_or_fail("a real Celery worker needs DATABASE_URL to point at PostgreSQL")
    if not settings.REDIS_URL:
        skip_or_fail("a real Celery worker needs REDIS_URL")


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        skip_or_fail("needs DATABASE_URL to point at PostgreSQL")


def require_redis_server() -> None:
    if shutil.which("redis-server") is None:
        skip_or_fail("the fault test starts its own redis-server, which is not installed")


def shared_database_url() -> str:
    """The address of the database this test runs on (pytest's test database), for other processes."""
    database = connection.settings_dict
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    return f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"


def environment(*, redis_url: str, smtp_port: int, **extra: str) -> dict[str, str]:
    """The environment of a worker, beat or web process that shares this test's database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "travelsouth.settings",
        "DATABASE_URL": shared_database_url(),
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SITE_URL": "http://testserver",
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


class Process:
    """A child process in its own process group, so that killing it kills its pool children too."""

    def __init__(self, command: list[str], *, env: dict[str, str], log: Path):
        self.log = log
        self._log_file = log.open("ab")
        self.popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL the whole group: no cleanup, no acknowledgement, nothing handed back to the broker."""
        self._signal(signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        self._log_file.close()

    def _signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def start_worker(
    *, env: dict[str, str], log: Path, name: str = "invitations", concurrency: int = 2
) -> Process:
    return Process(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "travelsouth",
            "worker",
            "--loglevel=INFO",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            f"--hostname={name}-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        log=log,
    )


def start_beat(*, env: dict[str, str], log: Path, schedule: Path) -> Process:
    return Process(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "travelsouth",
            "beat",
            "--loglevel=INFO",
            f"--schedule={schedule}",
        ],
        env=env,
        log=log,
    )


def start_redis(*, port: int, directory: Path, log: Path) -> Process:
    """A private redis-server that keeps nothing across a restart: whatever was queued is lost."""
    directory.mkdir(exist_ok=True)
    server = Process(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(directory),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        env=dict(os.environ),
        log=log,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            client.ping()
            return server
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError(f"redis-server did not start on port {port}")


def run_python(code: str, *, env: dict[str, str], log: Path) -> Process:
    return Process([sys.executable, "-c", code], env=env, log=log)
