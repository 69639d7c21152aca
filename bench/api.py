"""Speed bench for the read API (not a test): requests per second against the framework's ceiling.

    .venv/bin/python bench/api.py [--duration 10] [--connections 16] [--workers N] [--reseed]

Builds (or reuses) its own PostgreSQL database, ts_api_bench by default, with the report's data plus
10,000 synthetic cities and 50,000 good practices; serves the project with gunicorn on loopback on
a free port (DEBUG off, persistent database connections, throttling on in Redis when REDIS_URL is
set, with a rate too high to be reached); then measures, in the same run:

    ceiling        /api/v1/ping/                        a constant JSON body through the same stack
    cities         /api/v1/cities/?page_size=50          a 50-row page
    good practices /api/v1/good-practices/?theme=...&page_size=50
    webinars       /api/v1/webinars/?page_size=50

and prints requests per second and each list's ratio to the ceiling (min / median / max over the
rounds). List pages are kept per caller, address and data version (travelsouth/pages.py), so a
repeated request is served from the cache; --uncached serves them with PAGE_CACHE_SECONDS=0.

The load generator is wrk (Debian package ``wrk``) when installed, else a multi-process Python client. No internet needed.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ts_api_bench),
REDIS_URL (optional; default none: the cache is then per worker process).
"""

import argparse
import http.client
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SYNTHETIC_CITIES = 10_000
SYNTHETIC_PRACTICES = 50_000
SEED_MARKER = "bench-city-"


def server_environment(database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        # Throttling stays on (its cache round trips are part of every request) but is never reached.
        "API_ANON_RATE": "100000000/minute",
        "API_PARTNER_RATE": "100000000/minute",
        "AXES_ENABLED": "0",
    }
    env.pop("REQUIRE_SERVICES", None)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def create_database(database_url: str, *, reseed: bool) -> bool:
    """Create the bench database if missing (or anew with --reseed). True when it must be seeded."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not reseed:
            return False
        if exists:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return True


SEED_SCRIPT = f"""
import itertools, random
from django.db import transaction
from cities.models import City, Country, GoodPractice, SustainableDevelopmentGoal, Theme

random.seed(7)
countries = list(Country.objects.all())
themes = list(Theme.objects.all())
sdgs = list(SustainableDevelopmentGoal.objects.all())
with transaction.atomic():
    City.objects.bulk_create(
        [
            City(slug=f"{SEED_MARKER}{{n}}", name=f"Bench city {{n:05d}}", country=countries[n % len(countries)],
                 latitude=(n % 170) - 85, longitude=(n % 350) - 175, population=10_000 + n,
                 is_world_heritage_city=n % 9 == 0)
            for n in range({SYNTHETIC_CITIES})
        ],
        batch_size=2000,
    )
    city_ids = list(City.objects.filter(slug__startswith="{SEED_MARKER}").values_list("id", flat=True))
    practices = GoodPractice.objects.bulk_create(
        [
            GoodPractice(slug=f"bench-practice-{{n}}", city_id=city_ids[n % len(city_ids)],
                         title=f"Bench practice {{n:05d}}", summary="A synthetic practice for the speed bench. " * 4,
                         year=2015 + n % 10, digital_tools=["virtual reality"] if n % 3 == 0 else [])
            for n in range({SYNTHETIC_PRACTICES})
        ],
        batch_size=2000,
    )
    ThemeLink = GoodPractice.themes.through
    SdgLink = GoodPractice.sdgs.through
    ThemeLink.objects.bulk_create(
        [ThemeLink(goodpractice_id=p.pk, theme_id=t.pk)
         for p in practices for t in random.sample(themes, 1 + p.pk % 2)],
        batch_size=5000,
    )
    SdgLink.objects.bulk_create(
        [SdgLink(goodpractice_id=p.pk, sustainabledevelopmentgoal_id=random.choice(sdgs).pk) for p in practices],
        batch_size=5000,
    )
print(City.objects.count(), "cities,", GoodPractice.objects.count(), "good practices")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited before answering")
        try:
            status, _ = fetch(port, "/api/v1/ping/")
            if status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


JSON_HEADERS = {"Accept": "application/json"}


def fetch(
    port: int, path: str, headers: dict[str, str] = JSON_HEADERS, timeout: float = 10
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _client(port: int, path: str, headers: dict[str, str], stop_at: float, counts) -> None:
    done = errors = 0
    while time.monotonic() < stop_at:
        status, _ = fetch(port, path, headers, timeout=30)
        done += 1
        errors += status != 200
    counts.put((done, errors))


def python_load(
    port: int, path: str, *, duration: float, connections: int, headers: dict[str, str] = JSON_HEADERS
) -> float:
    """Requests a second from ``connections`` client processes asking for ``path`` for ``duration`` s."""
    counts = multiprocessing.Queue()
    stop_at = time.monotonic() + duration
    clients = [
        multiprocessing.Process(target=_client, args=(port, path, headers, stop_at, counts))
        for _ in range(connections)
    ]
    started = time.monotonic()
    for client in clients:
        client.start()
    results = [counts.get() for _ in clients]
    for client in clients:
        client.join()
    elapsed = time.monotonic() - started
    if any(errors for _, errors in results):
        raise SystemExit(f"{path}: non-200 answers during the run")
    return sum(done for done, _ in results) / elapsed


def wrk_load(port: int, path: str, *, duration: float, connections: int) -> float:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{int(duration)}s", "-H", "Accept: application/json",
         f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if "Non-2xx" in output or "Socket errors" in output:
        raise SystemExit(f"{path}: errors during the run:\n{output}")
    return float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds per target and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)  # gunicorn advice
    parser.add_argument("--reseed", action="store_true", help="drop and rebuild the bench database")
    parser.add_argument(
        "--uncached", action="store_true", help="serve without the cached pages (PAGE_CACHE_SECONDS=0)"
    )
    parser.add_argument(
        "--python-client", action="store_true", help="use the Python client even if wrk is there"
    )
    options = parser.parse_args()

    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ts_api_bench")
    env = server_environment(database_url)
    if options.uncached:
        env["PAGE_CACHE_SECONDS"] = "0"
    must_seed = create_database(database_url, reseed=options.reseed)
    manage(env, "migrate", "--noinput", "-v0")
    if must_seed:
        print("Building the bench database (once; --reseed to rebuild) ...", flush=True)
        manage(env, "load_report")
        manage(env, "shell", "-c", SEED_SCRIPT)
    manage(env, "shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")

    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "travelsouth.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(options.workers), "--worker-class", "sync", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_until_up(port, server)
        theme = "smart-tourism"
        _, themes = fetch(port, "/api/v1/themes/?page_size=1&ordering=name")
        match = re.search(rb'"slug":"([^"]+)"', themes)
        if match:
            theme = match.group(1).decode()
        targets = [
            ("ceiling (ping)", "/api/v1/ping/"),
            ("cities, 50 rows", "/api/v1/cities/?page_size=50"),
            ("good practices, 50 rows", f"/api/v1/good-practices/?theme={theme}&page_size=50"),
            ("webinars", "/api/v1/webinars/?page_size=50"),
        ]
        use_wrk = shutil.which("wrk") and not options.python_client
        load = wrk_load if use_wrk else python_load
        for _, path in targets:
            status, body = fetch(port, path)
            assert status == 200, (path, status, body[:300])
            load(port, path, duration=min(2, options.duration), connections=options.connections)  # warm up
        print(
            f"\nload generator: {'wrk' if use_wrk else 'python'}, {options.connections} connections, "
            f"{options.rounds} rounds of {options.duration:g}s per target; gunicorn: {options.workers} sync "
            f"workers; {os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.2f}\n"
        )
        # Rounds interleave the targets so that noise from other work on the machine hits all alike;
        # each ratio is taken within a round, then the median over rounds is reported.
        rates = {label: [] for label, _ in targets}
        for _ in range(options.rounds):
            for label, path in targets:
                rates[label].append(
                    load(port, path, duration=options.duration, connections=options.connections)
                )
        ceiling_label = targets[0][0]
        for label, path in targets:
            ratios = [
                rate / ceiling for rate, ceiling in zip(rates[label], rates[ceiling_label], strict=True)
            ]
            print(
                f"{label:26} {statistics.median(rates[label]):8.0f} req/s   ratio to ceiling "
                f"{min(ratios):5.2f} / {statistics.median(ratios):5.2f} / {max(ratios):5.2f}   {path}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
