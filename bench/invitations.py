"""Speed bench for sending invitations (not a test): the worker's path against a bare smtplib loop.

    .venv/bin/python bench/invitations.py [--database sqlite|postgres] [--messages 200] [--rounds 3]

Seeds (once) a training workshop and ``--messages`` consenting contacts with a training invitation each,
through the project's services, in a SQLite file under var/bench/ or in PostgreSQL (BENCH_DATABASE_URL,
default postgres://postgres@127.0.0.1:5432/ts_invitations_bench). Starts a local aiosmtpd sink in a
process of its own, then, in interleaved rounds:

    worker path   every invitation back to pending, then the ``partnerships.send_invitation`` task's
                  body for each id, in the order they were queued, as a worker process runs them (a
                  task claims its invitation and fills its batch with due ones, INVITATIONS_SEND_BATCH;
                  the tasks of invitations already taken find nothing to do): claim, checks, compose
                  in the recipient's language, the batch's hand-over, sent; one process, no broker
    bare loop     the same number of messages, already composed, through one smtplib connection

and prints messages per second and the ratio (min/median/max over the rounds). Goal (issue 19): >= 0.5.
"""

import argparse
import multiprocessing
import os
import smtplib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

MARKER = "bench-invitee-"


def _sink(port_out, count) -> None:
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope):
            with count.get_lock():
                count.value += 1
            return "250 2.0.0 Message accepted"

    from api import free_port

    port = free_port()
    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    port_out.put(port)
    while True:
        time.sleep(3600)


def _setup(database: str) -> None:
    from api import create_database

    if database == "postgres":
        url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ts_invitations_bench")
        create_database(url, reseed=False)
    else:
        path = ROOT / "var" / "bench" / "invitations.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    os.environ.update(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"),
            "DJANGO_SETTINGS_MODULE": "travelsouth.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)  # sends run here, not queued
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    from cities.models import Country

    if not Country.objects.exists():
        call_command("load_report", verbosity=0)


def _seed(count: int) -> list[int]:
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from cities.models import City, Country, Person
    from cities.services import person_consent_give
    from partnerships.invitations.services import _create
    from partnerships.models import Invitation, TrainingWorkshop

    existing = list(
        Invitation.objects.filter(person__slug__startswith=MARKER).order_by("pk").values_list("pk", flat=True)
    )
    if len(existing) >= count:
        return existing[:count]
    with transaction.atomic():
        country = Country.objects.get(iso_code="MX")
        city = City.objects.get_or_create(slug="bench-invitations-city", defaults={"name": "Bench town", "country": country})[0]  # fmt: skip
        workshop = TrainingWorkshop.objects.create(
            title="Digital tools for heritage tourism",
            title_es="Herramientas digitales para el turismo patrimonial",
            title_zh_hans="遗产旅游的数字工具",
            description="A training workshop for the bench.",
            starts_at=timezone.now() + dt.timedelta(days=365),
            location="Online",
        )
        languages = ["en", "es", "zh-hans"]
        invitations = []
        for number in range(len(existing), count):
            person = Person.objects.create(
                slug=f"{MARKER}{number}",
                full_name=f"Bench invitee {number}",
                email=f"invitee{number}@bench.example",
                city=city,
                preferred_language=languages[number % 3],
            )
            person_consent_give(person=person, source="Bench")
            invitations.append(
                Invitation(
                    kind=Invitation.Kind.TRAINING,
                    person=person,
                    city_id=city.pk,
                    workshop=workshop,
                    due_at=timezone.now(),
                )
            )
        _create(invitations, queue=False)
    return _seed(count)


def _worker_path(ids: list[int]) -> float:
    from django.utils import timezone

    from partnerships.invitations import delivery
    from partnerships.invitations.tasks import send_invitation
    from partnerships.models import Invitation

    Invitation.objects.filter(pk__in=ids).update(
        status=Invitation.Status.PENDING, due_at=timezone.now(), sent_at=None, handed_over_at=None
    )
    started = time.perf_counter()
    outcomes = [send_invitation.run(invitation_id=invitation_id) for invitation_id in ids]
    elapsed = time.perf_counter() - started
    if set(outcomes) - {delivery.SENT, delivery.NOT_CLAIMED}:
        raise SystemExit(f"not every invitation was sent: {sorted(set(outcomes))}")
    unsent = Invitation.objects.filter(pk__in=ids).exclude(status=Invitation.Status.SENT).count()
    if unsent:
        raise SystemExit(f"{unsent} invitations were not sent")
    return len(ids) / elapsed


def _bare_loop(messages: list[tuple[str, list[str], bytes]], port: int) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for sender, recipients, body in messages:
            smtp.sendmail(sender, recipients, body)
    return len(messages) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="sqlite")
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--batch", type=int, default=None, help="INVITATIONS_SEND_BATCH (default: the setting)"
    )
    options = parser.parse_args()

    count = multiprocessing.Value("i", 0)
    ports = multiprocessing.Queue()
    sink = multiprocessing.Process(target=_sink, args=(ports, count), daemon=True)
    sink.start()
    port = ports.get(timeout=30)
    try:
        _setup(options.database)
        from django.conf import settings

        from partnerships.invitations.emails import compose_message
        from partnerships.invitations.selectors import invitation_for_sending

        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        if options.batch is not None:
            settings.INVITATIONS_SEND_BATCH = options.batch
        ids = _seed(options.messages)
        composed = []
        for invitation_id in ids:
            message = compose_message(invitation_for_sending(invitation_id=invitation_id))
            composed.append(
                (message.from_email, message.recipients(), message.message().as_bytes(linesep="\r\n"))
            )
        _worker_path(ids[:20])  # warm up: templates, connections
        _bare_loop(composed[:20], port)
        rates = {"worker path": [], "bare smtplib loop": []}
        for _ in range(options.rounds):
            rates["worker path"].append(_worker_path(ids))
            rates["bare smtplib loop"].append(_bare_loop(composed, port))
        ratios = [w / b for w, b in zip(rates["worker path"], rates["bare smtplib loop"], strict=True)]
        print(
            f"\n{options.database}; {options.messages} messages a round, {options.rounds} rounds, "
            f"batches of {settings.INVITATIONS_SEND_BATCH}; "
            f"{os.cpu_count()} CPUs; load average: {os.getloadavg()[0]:.2f}; sink received {count.value}\n"
        )
        for label, values in rates.items():
            print(f"{label:20} {statistics.median(values):8.1f} messages/s")
        print(
            f"{'ratio':20} {min(ratios):.3f} / {statistics.median(ratios):.3f} / {max(ratios):.3f} (min/median/max)"
        )
    finally:
        sink.terminate()


if __name__ == "__main__":
    main()
