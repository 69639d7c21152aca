"""Speed bench for the public HTML pages (not a test): each page's rate against a constant view.

    .venv/bin/python bench/pages.py [--database sqlite|postgres] [--duration 3] [--rounds 3] [--reseed]

Builds (or reuses) a database with the report's data plus 10,000 synthetic cities and 50,000 good
practices (bench/api.py's generator): PostgreSQL (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/ts_pages_bench) or a SQLite file under var/bench/. Serves the
project twice with gunicorn on loopback (DEBUG off, persistent connections): once with the page cache
(in Redis when REDIS_URL is set, else in each worker's memory), once without (PAGE_CACHE_SECONDS=0:
every page is built; the reads kept per data version inside it, the library's years and counts, stay
kept, VERSIONED_READ_SECONDS).
Each server also answers ``/bench-constant/``, a constant HTML view through the same middleware,
added by bench/pages_wsgi.py. Requests are anonymous and take gzip, as browsers do.

Rounds interleave every target on both servers, so that noise from other work on the machine hits
all alike; each ratio is taken within a round against the same server's constant view, and the
table shows min / median / max over the rounds. Goals (issue 19): cached >= 0.3, uncached >= 0.05,
and a deep page of the directory and the library close to its first page.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api import ROOT, SEED_SCRIPT, create_database, free_port, manage, python_load, server_environment
from api import fetch as api_fetch

PYTHON = sys.executable
HEADERS = {"Accept": "text/html", "Accept-Encoding": "gzip"}


def fetch(port: int, path: str) -> tuple[int, bytes]:
    return api_fetch(port, path, HEADERS, timeout=30)


def load(port: int, path: str, *, duration: float, connections: int) -> float:
    return python_load(port, path, duration=duration, connections=connections, headers=HEADERS)


def serve(env: dict[str, str], workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "pages_wsgi", "--chdir", str(ROOT / "bench"), "--pythonpath", str(ROOT),
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before answering")
        try:
            if fetch(port, "/bench-constant/")[0] == 200:
                return server, port
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


def database_url(kind: str) -> str:
    if kind == "postgres":
        return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ts_pages_bench")
    path = ROOT / "var" / "bench" / "pages.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def prepare(kind: str, url: str, env: dict[str, str], *, reseed: bool) -> None:
    if kind == "postgres":
        must_seed = create_database(url, reseed=reseed)
    else:
        path = Path(url.removeprefix("sqlite:///"))
        if reseed:
            path.unlink(missing_ok=True)
        must_seed = not path.exists()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")  # the pages name their hashed static files
    if must_seed:
        print("Building the bench database (once; --reseed to rebuild) ...", flush=True)
        manage(env, "load_report")
        manage(env, "shell", "-c", SEED_SCRIPT)
    manage(env, "shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--duration", type=float, default=3, help="seconds per target and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--reseed", action="store_true", help="drop and rebuild the bench database")
    parser.add_argument("--only", default="", help="a regular expression: only the pages it matches")
    options = parser.parse_args()

    url = database_url(options.database)
    env = server_environment(url)
    prepare(options.database, url, env, reseed=options.reseed)

    targets = [
        ("constant view", "/bench-constant/"),
        ("home", "/"),
        ("directory", "/cities/"),
        ("directory, page 400", "/cities/?page=400"),
        ("directory, a country", "/cities/?country=1"),
        ("a city", "/cities/dunhuang/"),
        ("library", "/good-practices/"),
        ("library, page 100 (last)", "/good-practices/?page=100"),
        ("a webinar", "/webinars/webinar-4-china-mexico/"),
        ("survey summary", "/surveys/post-webinar-survey-china-mexico/summary/"),
        ("directory (Spanish)", "/es/cities/"),
    ]
    if options.only:
        targets = [targets[0], *(t for t in targets[1:] if re.search(options.only, t[0]))]
    servers = {}
    try:
        servers["cached"] = serve({**env, "PAGE_CACHE_SECONDS": "300"}, options.workers)
        servers["uncached"] = serve({**env, "PAGE_CACHE_SECONDS": "0"}, options.workers)
        for _, port in servers.values():
            for _, path in targets:
                status, body = fetch(port, path)
                assert status == 200, (path, status, body[:300])
                load(port, path, duration=0.5, connections=options.connections)  # warm up
        print(
            f"\n{options.database}; python client, {options.connections} connections, {options.rounds} rounds "
            f"of {options.duration:g}s per target; gunicorn: {options.workers} sync workers per server; "
            f"{os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.2f}; "
            f"cache: {'Redis' if env.get('REDIS_URL') else 'local memory'}\n"
        )
        rates = {(mode, label): [] for mode in servers for label, _ in targets}
        for _ in range(options.rounds):
            for label, path in targets:
                for mode, (_, port) in servers.items():
                    rates[mode, label].append(
                        load(port, path, duration=options.duration, connections=options.connections)
                    )
        print(
            f"{'page':24} {'cached req/s':>12} {'ratio min/med/max':>19}   {'uncached':>8} {'ratio min/med/max':>19}"
        )
        for label, path in targets:
            cells = []
            for mode in servers:
                ratios = [
                    rate / constant
                    for rate, constant in zip(rates[mode, label], rates[mode, targets[0][0]], strict=True)
                ]
                cells.append(
                    f"{statistics.median(rates[mode, label]):12.0f} "
                    f"{min(ratios):5.3f}/{statistics.median(ratios):5.3f}/{max(ratios):5.3f}"
                )
            print(f"{label:24} {cells[0]}   {cells[1]}   {path}")
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
