"""Speed bench for the admin's long lists (not a test): the proposal and invitation changelists at scale.

    .venv/bin/python bench/admin.py [--database sqlite|postgres] [--proposals 100000] [--events 1000000]

Seeds (once per size) 1,000 cities, ``--proposals`` proposals with reasons, ``--events`` timeline
events on them, and as many invitations as proposals, with bulk inserts (the matching engine's own
output would take a matching run of 100,000 cities: bench/matching.py measures that), in a SQLite
file under var/bench/ or in PostgreSQL (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/ts_admin_bench). Then, signed in as a superuser through Django's
test client (the whole admin view, templates included), times in interleaved rounds page 1, page 500,
a status filter and searches of both lists (through the trigram indexes of
travelsouth/text_search.py; the plan of the city-name look-up is printed), and the review page of one proposal, and prints seconds
(min / median / max) and page 500's ratio to page 1. Goals (issue 19): page 1 under a second, page
500 within 3x of page 1, the review page under 30 queries.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CITIES = 1000
MARKER = "bench-admin-"


def _setup(database: str, size: str) -> None:
    from api import create_database

    if database == "postgres":
        url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ts_admin_bench")
        create_database(url, reseed=False)
    else:
        path = ROOT / "var" / "bench" / f"admin-{size}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    os.environ.update(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"),
            "DJANGO_SETTINGS_MODULE": "travelsouth.settings",
            "ALLOWED_HOSTS": "testserver",
            "LOG_LEVEL": "WARNING",
            "AXES_ENABLED": "0",
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    from cities.models import Country

    if not Country.objects.exists():
        call_command("load_report", verbosity=0)


def _seed(proposals: int, events: int) -> None:
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from cities.models import City, Country, Person
    from partnerships.models import Invitation, Proposal, TimelineEvent, TrainingWorkshop

    if Proposal.objects.filter(city_a__slug__startswith=MARKER).count() >= proposals:
        return
    print(
        f"Seeding {proposals:,} proposals, {events:,} timeline events, {proposals:,} invitations ...",
        flush=True,
    )
    started = time.monotonic()
    countries = list(Country.objects.order_by("pk"))
    now = timezone.now()
    with transaction.atomic():
        cities = City.objects.bulk_create(
            [
                City(
                    slug=f"{MARKER}{n}",
                    name=f"Admin bench city {n:04d}",
                    country=countries[n % len(countries)],
                )
                for n in range(CITIES)
            ],
            batch_size=1000,
        )
        people = Person.objects.bulk_create(
            [
                Person(
                    slug=f"{MARKER}person-{n}",
                    full_name=f"Bench contact {n}",
                    email=f"c{n}@bench.example",
                    city=cities[n],
                )
                for n in range(CITIES)
            ],
            batch_size=1000,
        )
        reasons = [
            {"kind": "themes", "weight": 0.4, "evidence": {"themes": [1, 2, 3], "practices": [10, 11, 12]}},
            {"kind": "named_partner", "weight": 0.3, "evidence": {"by": "city_a", "survey_response": 7}},
            {"kind": "priorities", "weight": 0.2, "evidence": {"priorities": [1, 4], "sought": [2, 5, 8]}},
        ]
        pairs = ((a, b) for a in range(CITIES) for b in range(a + 1, CITIES))
        batch = []
        for number, (a, b) in enumerate(pairs):
            if number == proposals:
                break
            batch.append(
                Proposal(
                    city_a=cities[a], city_b=cities[b], score=(number * 7919 % 10007) / 10007,
                    status=["pending", "approved", "rejected", "superseded"][number % 4], reasons=reasons,
                )
            )  # fmt: skip
            if len(batch) == 5000:
                Proposal.objects.bulk_create(batch)
                batch = []
        Proposal.objects.bulk_create(batch)
        proposal_ids = list(
            Proposal.objects.filter(city_a__slug__startswith=MARKER).values_list("pk", flat=True)
        )
        for start in range(0, events, 10000):
            TimelineEvent.objects.bulk_create(
                [
                    TimelineEvent(
                        proposal_id=proposal_ids[n % len(proposal_ids)], at=now - dt.timedelta(minutes=n),
                        kind="proposed", data={"score": 0.5, "run": 1},
                    )
                    for n in range(start, min(start + 10000, events))
                ]
            )  # fmt: skip
        # One workshop per thousand invitations: a person is invited to a workshop once.
        workshops = TrainingWorkshop.objects.bulk_create(
            [
                TrainingWorkshop(
                    title=f"Bench workshop {n}",
                    description="For the admin bench.",
                    starts_at=now + dt.timedelta(days=30),
                )
                for n in range(proposals // CITIES + 1)
            ]
        )
        for start in range(0, proposals, 10000):
            Invitation.objects.bulk_create(
                [
                    Invitation(
                        kind=Invitation.Kind.TRAINING, person=people[n % CITIES], city_id=people[n % CITIES].city_id,
                        workshop=workshops[n // CITIES], due_at=now, status=["sent", "pending", "failed", "cancelled"][n % 4],
                        sent_at=now if n % 4 == 0 else None,
                        last_error="550 mailbox unavailable" if n % 1000 == 2 else "",
                        created_at=now - dt.timedelta(seconds=n),
                    )
                    for n in range(start, min(start + 10000, proposals))
                ]
            )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"... seeded in {time.monotonic() - started:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="sqlite")
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    _setup(options.database, f"{options.proposals}-{options.events}")
    _seed(options.proposals, options.events)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from partnerships.models import Proposal

    user_model = get_user_model()
    staff = user_model.objects.filter(username="bench-admin").first() or user_model.objects.create_superuser(
        username="bench-admin", email="bench-admin@unossc.example", password="bench-only-Passw0rd"
    )
    client = Client()
    client.force_login(staff)
    proposal = Proposal.objects.filter(city_a__slug__startswith=MARKER).order_by("pk").first()
    proposals, invitations = "/admin/partnerships/proposal/", "/admin/partnerships/invitation/"
    deep = min(500, options.proposals // 100)  # 100 rows a page
    targets = [
        ("proposals, page 1", proposals),
        (f"proposals, page {deep}", f"{proposals}?p={deep}"),
        (f"proposals, pending, page {deep // 4}", f"{proposals}?status__exact=pending&p={deep // 4}"),
        ("proposals, search (all rows)", f"{proposals}?q=Admin+bench+city"),
        ("proposals, search (one city)", f"{proposals}?q=city+0007"),
        ("invitations, page 1", invitations),
        (f"invitations, page {deep}", f"{invitations}?p={deep}"),
        (f"invitations, failed, page {deep // 4}", f"{invitations}?status__exact=failed&p={deep // 4}"),
        ("invitations, search (one person)", f"{invitations}?q=contact+17"),
        ("invitations, search (an error)", f"{invitations}?q=mailbox+unavailable"),
        ("proposal review page", f"{proposals}{proposal.pk}/change/"),
    ]
    seconds = {label: [] for label, _ in targets}
    queries = {}
    for path in dict(targets).values():
        assert client.get(path).status_code == 200, path  # warm up
    for _ in range(options.rounds):
        for label, path in targets:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                seconds[label].append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
            queries[label] = len(captured)
    print(
        f"\n{options.database}; {options.proposals:,} proposals, {options.events:,} timeline events, "
        f"{options.proposals:,} invitations; {options.rounds} rounds; {os.cpu_count()} CPUs; "
        f"load average: {os.getloadavg()[0]:.2f}\n"
    )
    print(f"{'page':32} {'seconds min / median / max':>28} {'queries':>8}")
    for label, _ in targets:
        values = seconds[label]
        print(
            f"{label:32} {min(values):8.3f} / {statistics.median(values):6.3f} / {max(values):6.3f} "
            f"{queries[label]:8d}"
        )
    from cities.models import City
    from travelsouth.text_search import rows_containing

    sql, params = rows_containing(City, "0007").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql, params)
        plan = " | ".join(" ".join(str(cell) for cell in row) for row in cursor.fetchall())
    print(f"city-name search plan: {plan}")
    for kind in ("proposals", "invitations"):
        ratio = statistics.median(seconds[f"{kind}, page {deep}"]) / statistics.median(
            seconds[f"{kind}, page 1"]
        )
        print(f"{kind}: page {deep} / page 1 = {ratio:.2f}")


if __name__ == "__main__":
    main()
