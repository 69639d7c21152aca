"""Operating the portal: JSON log lines, the beat's heartbeat and the self-healing health checks, and
backups restored into a fresh database."""

import json
import logging
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from tests import factories
from tests.conftest import skip_or_fail, wait_for
from travelsouth import health
from travelsouth.logging import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]


def environment(**values: str) -> dict[str, str]:
    """A production-like environment for a child process: no DEBUG, no broker (tasks in-process)."""
    inherited = {name: value for name, value in os.environ.items() if name in {"PATH", "HOME", "LANG"}}
    return {**inherited, "SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "travelsouth.settings", **values}


# --- logs -------------------------------------------------------------------------------------------


def test_a_log_record_becomes_one_json_line_with_its_extras_and_exception():
    logger = logging.getLogger("travelsouth.test")
    try:
        raise ValueError("the mail server said no")
    except ValueError:
        record = logger.makeRecord(
            "travelsouth.test",
            logging.ERROR,
            __file__,
            1,
            "Invitation %s failed",
            (7,),
            sys.exc_info(),
            extra={"invitation": 7},
        )

    line = JsonFormatter().format(record)

    assert "\n" not in line
    parsed = json.loads(line)
    assert {key: parsed[key] for key in ("level", "logger", "message", "invitation")} == {
        "level": "ERROR",
        "logger": "travelsouth.test",
        "message": "Invitation 7 failed",
        "invitation": 7,
    }
    assert parsed["exception"].endswith("ValueError: the mail server said no")
    assert parsed["time"].endswith("+00:00")


def test_gunicorn_access_lines_carry_the_request_as_fields():
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, '%(h)s "%(r)s" %(s)s', None, None)
    record.args = {
        "h": "10.0.0.2",
        "r": "GET /es/ HTTP/1.1",
        "s": "200",
        "m": "GET",
        "U": "/es/",
        "q": "",
        "B": "512",
        "M": "12",
    }

    parsed = json.loads(JsonFormatter().format(record))

    assert parsed["message"] == '10.0.0.2 "GET /es/ HTTP/1.1" 200'
    assert parsed["http"] == {
        "remote": "10.0.0.2",
        "method": "GET",
        "path": "/es/",
        "query": "",
        "status": "200",
        "bytes": "512",
        "duration_ms": "12",
    }


def test_with_log_format_json_a_celery_worker_writes_only_json_lines_on_stdout(tmp_path):
    """Slow by nature (about 10 s): starts a real Celery worker process and waits for its lines."""
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "travelsouth",
            "--quiet",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=environment(LOG_FORMAT="json", BEAT_HEARTBEAT_FILE=str(tmp_path / "heartbeat")),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # Celery's own farewell, and its warning when run as root
        text=True,
    )
    time.sleep(6)
    worker.send_signal(signal.SIGTERM)
    output, _ = worker.communicate(timeout=30)

    # Celery prints its farewell ("worker: Warm shutdown (MainProcess)") itself, not through logging.
    lines = [line for line in output.splitlines() if line.strip() and not line.startswith("worker: ")]
    assert lines, output
    parsed = [json.loads(line) for line in lines]  # a line that is not JSON fails here
    assert any(line["logger"].startswith("celery") for line in parsed), output


# --- the beat's heartbeat and the health checks -----------------------------------------------------


def test_the_beat_touches_its_heartbeat_and_the_health_check_reads_it(tmp_path, settings):
    """Slow by nature (about 6 s): starts a real Celery beat process and waits for its heartbeat."""
    heartbeat = tmp_path / "celerybeat-heartbeat"
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "travelsouth",
            "beat",
            f"--schedule={tmp_path / 'schedule'}",
            f"--pidfile={tmp_path / 'beat.pid'}",
        ],
        cwd=ROOT,
        env=environment(BEAT_HEARTBEAT_FILE=str(heartbeat)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        beating = wait_for(heartbeat.exists, 30)
        touched_at = heartbeat.stat().st_mtime
        ticking = wait_for(lambda: heartbeat.stat().st_mtime > touched_at, 30)
    finally:
        beat.terminate()
        beat.wait(timeout=30)
    settings.BEAT_HEARTBEAT_FILE = heartbeat
    settings.BEAT_HEARTBEAT_MAX_AGE = 60

    live = health.check("beat", state_dir=str(tmp_path))
    os.utime(heartbeat, (time.time() - 61, time.time() - 61))
    hung = health.check("beat", state_dir=str(tmp_path))

    assert (beating, ticking) == (True, True)
    assert (live, hung) == (True, False)


def test_a_check_failing_three_times_in_a_row_kills_the_process_so_it_is_restarted(tmp_path, settings):
    settings.BEAT_HEARTBEAT_FILE = tmp_path / "never-touched"
    hung = subprocess.Popen(["sleep", "600"])
    pidfile = tmp_path / "beat.pid"
    pidfile.write_text(f"{hung.pid}\n")

    outcomes = []
    for _ in range(3):
        outcomes.append(hung.poll())
        outcomes.append(health.check("beat", restart_after=3, pidfile=str(pidfile), state_dir=str(tmp_path)))
    outcomes.append(hung.wait(timeout=10))

    assert outcomes == [None, False, None, False, None, False, -signal.SIGKILL]
    assert not (tmp_path / "travelsouth-health-beat.failures").exists()  # counting starts again


def test_a_passing_check_resets_the_count_of_failures(tmp_path, settings):
    heartbeat = tmp_path / "heartbeat"
    settings.BEAT_HEARTBEAT_FILE = heartbeat
    health.check("beat", state_dir=str(tmp_path))
    heartbeat.touch()

    passed = health.check("beat", state_dir=str(tmp_path))

    assert passed
    assert not (tmp_path / "travelsouth-health-beat.failures").exists()


# --- backups ----------------------------------------------------------------------------------------


def run_manage(*arguments: str, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment(DATABASE_URL=database_url),
        capture_output=True,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_into_a_fresh_database(tmp_path):
    if connection.vendor != "postgresql":
        skip_or_fail("pg_dump and pg_restore need DATABASE_URL to point at PostgreSQL")
    factories.city(name="Morelia", population=849_053)
    dump = tmp_path / "travelsouth.dump"
    call_command("backup_database", output=dump)
    database = connection.settings_dict
    fresh = f"ts_restore_{uuid.uuid4().hex[:12]}"
    server = f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restored = run_manage("restore_database", str(dump), database_url=f"{server}/{fresh}")
        again = run_manage("restore_database", str(dump), database_url=f"{server}/{fresh}")
        replaced = run_manage("restore_database", str(dump), "--replace", database_url=f"{server}/{fresh}")
        with psycopg.connect(f"{server}/{fresh}") as copy:
            cities = copy.execute("SELECT name, population FROM cities_city").fetchall()
            migrations = copy.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')

    assert restored.returncode == 0, restored.stderr
    assert f"Restored {dump} into {fresh}." in restored.stdout
    assert again.returncode == 1
    assert "already has" in again.stderr and "--replace" in again.stderr
    assert replaced.returncode == 0, replaced.stderr
    assert cities == [("Morelia", 849_053)]
    assert migrations > 10


def test_a_sqlite_backup_restores_into_a_new_file(tmp_path):
    """Slow by nature (about 12 s): migrates a fresh SQLite file, then backs it up and restores it
    through `make`, each step a new process."""
    live = tmp_path / "live.sqlite3"
    url = f"sqlite:///{live}"
    assert run_manage("migrate", "--noinput", database_url=url).returncode == 0
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from tests import factories; factories.country()",
        ],
        cwd=ROOT,
        env=environment(DATABASE_URL=url),
        check=True,
    )

    backup = run_manage("backup_database", "--output", str(tmp_path / "copy.sqlite3"), database_url=url)
    restored = run_manage(
        "restore_database",
        str(tmp_path / "copy.sqlite3"),
        database_url=f"sqlite:///{tmp_path / 'new.sqlite3'}",
    )
    refused = run_manage("restore_database", str(tmp_path / "copy.sqlite3"), database_url=url)

    assert backup.returncode == 0, backup.stderr
    assert restored.returncode == 0, restored.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "new.sqlite3") as copy:
        assert copy.execute("SELECT iso_code FROM cities_country").fetchall() == [("MX",)]
    assert refused.returncode == 1 and "already has" in refused.stderr
