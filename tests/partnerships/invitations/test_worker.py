"""With a real Celery worker, real Redis and a real SMTP server: the whole flow, and the fault test.

These run in CI (PostgreSQL, Redis, REQUIRE_SERVICES=1). The worker is another process, so the tests
use a committed database (``transaction=True``) that it can see.
"""

import datetime as dt
import re
import time
from collections import Counter

import pytest
from django.conf import settings
from django.utils import timezone

from cities.models import City, ContactConsentEvent, Person
from partnerships.lifecycle import proposal_approve
from partnerships.models import Invitation, Partnership, Proposal
from tests import factories
from tests.conftest import wait_for

from . import builders
from .mail_sink import free_port, start_sink, text_of
from .processes import (
    environment,
    require_postgresql_and_redis,
    require_redis_server,
    run_python,
    start_beat,
    start_redis,
    start_worker,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sink():
    mail_sink, controller = start_sink()
    mail_sink.port = controller.port
    yield mail_sink
    controller.stop()


def answer_path(message, action_text: str) -> str:
    """The path of the link that follows ``action_text`` ("Aceptar:" in Spanish) in the text part."""
    match = re.search(rf"{re.escape(action_text)} http://testserver(/\S+/)", text_of(message))
    assert match, text_of(message)
    return match.group(1)


def test_an_approved_proposal_goes_through_a_real_worker_and_smtp_to_a_partnership(
    client, staff_user, sink, tmp_path
):
    require_postgresql_and_redis()
    proposal, spanish, chinese = builders.proposal_with_contacts()
    worker = start_worker(
        env=environment(redis_url=settings.REDIS_URL, smtp_port=sink.port), log=tmp_path / "w.log"
    )
    try:
        proposal_approve(proposal=proposal, by=staff_user)

        introductions = {message["To"]: message for message in sink.wait_for(2, timeout=90)}
        assert sorted(introductions) == sorted([spanish.email, chinese.email]), worker.tail()
        # A long encoded subject is folded on the wire; read back, its first line may start with a space.
        assert (
            introductions[spanish.email]["Subject"].strip()
            == "[Travel South] Propuesta de alianza: Morelia y Luoyang"
        )
        assert (
            introductions[chinese.email]["Subject"].strip() == "[Travel South] 伙伴关系提议：洛阳与莫雷利亚"
        )
        spanish_accept = answer_path(introductions[spanish.email], "Aceptar:")
        chinese_accept = answer_path(introductions[chinese.email], "接受：")
        assert spanish_accept.startswith("/es/invitations/answer/")
        assert chinese_accept.startswith("/zh-hans/invitations/answer/")

        confirmation = client.get(spanish_accept)
        assert (
            "Confirme que Morelia acepta la alianza propuesta con Luoyang." in confirmation.content.decode()
        )
        client.post(spanish_accept)
        client.post(chinese_accept)

        told = {message["To"]: message for message in sink.wait_for(4, timeout=90)[2:]}
        # The server has the messages; the worker records them as sent once the server has answered.
        assert wait_for(
            lambda: not Invitation.objects.filter(status=Invitation.Status.SENDING).exists(), seconds=30
        ), worker.tail()
    finally:
        worker.stop()

    partnership = Partnership.objects.get()
    assert (partnership.city_a, partnership.city_b) == (proposal.city_a, proposal.city_b)
    assert Proposal.objects.get().status == Proposal.Status.ACCEPTED
    assert {address: message["Subject"].strip() for address, message in told.items()} == {
        spanish.email: "[Travel South] Morelia y Luoyang ya son socias",
        chinese.email: "[Travel South] 洛阳与莫雷利亚已结为伙伴",
    }
    assert sorted(Invitation.objects.values_list("kind", "status")) == [
        *[("check_in", "pending")] * 6,  # three check-ins (InvitationSettings) for each of the two contacts
        ("introduction", "answered"),
        ("introduction", "answered"),
        ("partnership_formed", "sent"),
        ("partnership_formed", "sent"),
    ]


FAULT_INVITATIONS = 300
WORKER_KILLS = 3
# The recovery time docs/invitations.md states for the production defaults: a killed worker's sends,
# and the messages a Redis restart lost, are sent within this many seconds of the fault.
RECOVERY_SECONDS = 60
# Approve every proposal awaiting review, each in its own transaction as in the admin, from another
# process: its after-commit tasks go to the test's private Redis.
APPROVE_ALL = """
import django
django.setup()
from partnerships.models import Proposal
from partnerships.lifecycle import proposal_approve
for proposal in Proposal.objects.filter(status="pending").order_by("pk"):
    proposal_approve(proposal=proposal, by=None)
"""


def cities_and_contacts(pairs: int) -> None:
    """``pairs`` proposals awaiting review, between a Mexican and a Chinese city with one consenting
    contact each. Inserted in bulk, consent included: a thousand rows one service call at a time would
    take longer than the fault test itself (the services are tested on their own elsewhere)."""
    mexico, china = factories.country(), factories.country(iso_code="CN", name="China")
    cities = City.objects.bulk_create(
        City(slug=f"fault-{number}-{side}", name=f"City {number} {side}", country=country)
        for number in range(pairs)
        for side, country in (("a", mexico), ("b", china))
    )
    now = timezone.now()
    people = Person.objects.bulk_create(
        Person(
            slug=f"contact-{city.slug}",
            full_name=f"Contact of {city.name}",
            city=city,
            email=f"contact-{city.slug}@example.org",
            preferred_language="es" if city.country_id == mexico.pk else "zh-hans",
            contact_consent_given_at=now,
            contact_consent_source="Post-webinar survey",
        )
        for city in cities
    )
    ContactConsentEvent.objects.bulk_create(
        ContactConsentEvent(
            person=person, action=ContactConsentEvent.Action.GIVEN, at=now, source="Post-webinar survey"
        )
        for person in people
    )
    Proposal.objects.bulk_create(
        Proposal(city_a=cities[number], city_b=cities[number + 1], score=1.0)
        for number in range(0, len(cities), 2)
    )


def sending_now(*, claimed_since: dt.datetime) -> set[int]:
    """Right after a kill: the rows the killed worker held (only one worker runs at a time here): those
    it claimed since it started. Rows an earlier killed worker still holds (a whole batch each,
    waiting for their lease to run out) stay that kill's."""
    return set(
        Invitation.objects.filter(
            status=Invitation.Status.SENDING, lease_checked_at__isnull=True, updated_at__gte=claimed_since
        ).values_list("pk", flat=True)
    )


def unsent_now() -> set[int]:
    return set(Invitation.objects.exclude(status=Invitation.Status.SENT).values_list("pk", flat=True))


def test_300_invitations_survive_killed_workers_and_a_redis_restart_with_production_timers(sink, tmp_path):
    """The production defaults (5 s tick, 30 s lease and 10 s grace, 30 s re-queue, 45 s visibility
    timeout): three workers SIGKILLed mid-send and Redis restarted empty; every invitation arrives
    once, and what each fault caught (the sends a killed worker held; the messages the restart lost)
    is sent within RECOVERY_SECONDS of it."""
    require_postgresql_and_redis()
    require_redis_server()
    sink.delay = 0.1  # the server takes each message, then answers a little later: kills land mid-send
    cities_and_contacts(FAULT_INVITATIONS // 2)
    started = time.monotonic()
    redis_port = free_port()
    redis_server = start_redis(port=redis_port, directory=tmp_path / "redis", log=tmp_path / "redis.log")
    env = environment(
        redis_url=f"redis://127.0.0.1:{redis_port}/0",
        smtp_port=sink.port,
        CONN_MAX_AGE="60",  # as in docker-compose.yml; no INVITATIONS_* timer is changed
    )
    workers = [start_worker(env=env, log=tmp_path / "worker-0.log", concurrency=4)]
    worker_started = timezone.now()
    beat = start_beat(env=env, log=tmp_path / "beat.log", schedule=tmp_path / "beat-schedule")
    approver = run_python(APPROVE_ALL, env=env, log=tmp_path / "approver.log")
    faults: list[tuple[str, dt.datetime, set[int]]] = []  # what, when, the rows not yet sent then
    deadline = time.monotonic() + 170
    try:
        received_at_start = 0
        while len(sink.received()) < FAULT_INVITATIONS and time.monotonic() < deadline:
            received = len(sink.received())
            # Kill only a worker that is busy: it has sent some since it started, more are waiting,
            # and it holds a batch right now (batches go out faster than the approvals come in,
            # so between batches a worker is often idle).
            if (
                len(workers) <= WORKER_KILLS
                and received - received_at_start >= 60
                and sending_now(claimed_since=worker_started)
            ):
                workers[-1].kill()
                faults.append(("worker killed", timezone.now(), sending_now(claimed_since=worker_started)))
                if len(workers) == 2:
                    redis_server.stop()
                    redis_server = start_redis(
                        port=redis_port, directory=tmp_path / "redis", log=tmp_path / "redis.log"
                    )
                    faults.append(("redis restarted empty", timezone.now(), unsent_now()))
                # As the container's restart policy would.
                worker_started = timezone.now()
                workers.append(
                    start_worker(env=env, log=tmp_path / f"worker-{len(workers)}.log", concurrency=4)
                )
                received_at_start = received
            time.sleep(0.05)
        # Let anything still in flight or recoverable finish: a duplicate would show up now.
        while (
            time.monotonic() < deadline and Invitation.objects.exclude(status=Invitation.Status.SENT).exists()
        ):
            time.sleep(0.2)
        time.sleep(2)
    finally:
        approver.stop()
        beat.stop()
        workers[-1].stop()
        redis_server.stop()

    logs = "\n".join(process.tail(15) for process in [*workers, beat, approver])
    took = time.monotonic() - started
    statuses = Counter(Invitation.objects.values_list("status", flat=True))
    arrived = sink.message_ids()
    sent_at = dict(Invitation.objects.values_list("pk", "sent_at"))
    # What a fault caught is what it held up, less what a later fault caught again (a kill lands on a
    # worker's whole batch, which may hold rows an earlier kill had caught and the beat returned).
    for position, (what, at, caught) in enumerate(faults):
        later = set().union(*(rows for _, _, rows in faults[position + 1 :]))
        faults[position] = (what, at, caught - later)
    recovered_in = [
        (what, max((sent_at[pk] - at).total_seconds() for pk in caught if sent_at[pk]) if caught else 0.0)
        for what, at, caught in faults
    ]
    print(f"fault test: rows each fault caught: {[(what, len(caught)) for what, _, caught in faults]}")
    print(
        f"fault test: {took:.0f} s, {len(arrived)} messages, {sum(arrived.values())} copies, "
        f"{statuses}; recovered within (s): {[(what, round(seconds, 1)) for what, seconds in recovered_in]}"
    )
    assert [what for what, _, _ in faults] == [
        "worker killed",
        "worker killed",
        "redis restarted empty",
        "worker killed",
    ], logs
    assert statuses == {"sent": FAULT_INVITATIONS}, logs
    assert len(arrived) == FAULT_INVITATIONS
    assert [message_id for message_id, copies in arrived.items() if copies > 1] == []
    assert sorted(message["To"] for message in sink.received()) == sorted(
        Invitation.objects.values_list("person__email", flat=True)
    )
    assert all(seconds <= RECOVERY_SECONDS for _, seconds in recovered_in), recovered_in
