"""Database faults in the middle of a send, on PostgreSQL: a killed connection before the hand-over costs
no attempt and nothing is lost; the hand-over's COMMIT lost with the database out of reach for a moment
still ends in exactly one message."""

import contextlib
import datetime as dt

import pytest
from django.db import OperationalError, connection
from django.db.backends.postgresql.base import DatabaseWrapper
from django.utils import timezone

from partnerships.invitations import delivery
from partnerships.invitations.dispatch import invitations_dispatch
from partnerships.lifecycle import proposal_approve
from partnerships.models import Invitation
from travelsouth.celery import app as celery_app

from . import builders
from .processes import require_postgresql

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _on_postgresql(settings):
    require_postgresql()
    # One invitation per send task: a row returned to pending is due at once, and the other city's
    # task would take it up again in its batch before the test could look at it.
    settings.INVITATIONS_SEND_BATCH = 1
    settings.INVITATIONS_RETRY_BASE_SECONDS = 0
    settings.INVITATIONS_RETRY_MAX_SECONDS = 0


def test_a_connection_killed_before_the_hand_over_costs_no_attempt_and_is_sent_later(smtp_sink, staff_user):
    proposal, spanish, chinese = builders.proposal_with_contacts()
    killed = []

    def kill_the_senders_connection(address: str) -> None:
        # Between RCPT and DATA: the worker's database backend is terminated from outside.
        if address == spanish.email and not killed:
            with connection.cursor() as cursor:  # this thread's own connection; the sender's is another
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                killed.append(any(row[0] for row in cursor.fetchall()))
            connection.close()

    smtp_sink.on_recipient = kill_the_senders_connection
    proposal_approve(proposal=proposal, by=staff_user)
    connection.close()
    after_the_kill = Invitation.objects.get(person=spanish)
    invitations_dispatch()

    assert killed == [True]
    assert (after_the_kill.status, after_the_kill.attempts, after_the_kill.handed_over_at) == (
        "pending",
        0,
        None,
    )
    assert after_the_kill.last_error.startswith("Database error before the hand-over, nothing sent:")
    assert sorted(message["To"] for message in smtp_sink.received()) == sorted([spanish.email, chinese.email])
    assert sorted(Invitation.objects.values_list("status", "attempts")) == [("sent", 0), ("sent", 0)]


@contextlib.contextmanager
def commit_lost_and_database_away(monkeypatch, *, failed_connects: int):
    """The hand-over's COMMIT never reaches PostgreSQL (it is rolled back, as when the backend dies
    with the COMMIT on its way), the final line goes out anyway, the answer never comes; then the
    database cannot be reached for ``failed_connects`` connection attempts."""
    real_commit_on_its_way = delivery._commit_on_its_way
    real_connect = DatabaseWrapper.get_new_connection
    refusals = []

    @contextlib.contextmanager
    def commit_lost():
        pgconn = connection.connection.pgconn
        pgconn.send_query(b"ROLLBACK")  # what PostgreSQL does with a transaction whose backend died
        while pgconn.get_result() is not None:
            pass
        yield  # the final line is written
        connection.connection.close()  # the connection is gone
        refusals.extend([True] * failed_connects)
        raise OperationalError("server closed the connection unexpectedly")

    def connect(self, conn_params):
        if refusals:
            refusals.pop()
            raise OperationalError("connection refused")
        return real_connect(self, conn_params)

    monkeypatch.setattr(delivery, "_commit_on_its_way", commit_lost)
    monkeypatch.setattr(DatabaseWrapper, "get_new_connection", connect)
    yield
    monkeypatch.setattr(delivery, "_commit_on_its_way", real_commit_on_its_way)
    monkeypatch.setattr(DatabaseWrapper, "get_new_connection", real_connect)


def test_the_hand_over_commit_lost_with_the_database_away_still_sends_exactly_once(
    smtp_sink, staff_user, monkeypatch, request
):
    proposal, spanish, chinese = builders.proposal_with_contacts()
    request.getfixturevalue("broker_down")  # approved, nothing queued: the sends are done here
    proposal_approve(proposal=proposal, by=staff_user)
    invitation = Invitation.objects.get(person=spanish)
    celery_app.conf.task_always_eager = True

    with commit_lost_and_database_away(monkeypatch, failed_connects=3):
        outcome = delivery.invitation_send(invitation_id=invitation.pk)
    # Later the lease and its grace would have run out: the beat job must not send it again.
    Invitation.objects.filter(pk=invitation.pk).update(
        lease_expires_at=timezone.now() - dt.timedelta(hours=1)
    )
    for _ in range(2):
        invitations_dispatch()

    invitation.refresh_from_db()
    assert outcome == "sent"
    assert [message["To"] for message in smtp_sink.received()].count(spanish.email) == 1
    assert (invitation.status, invitation.handed_over_at is not None) == ("sent", True)
    assert invitation.last_error.startswith("Connection lost after the hand-over (OperationalError")
    assert sorted(message["To"] for message in smtp_sink.received()) == sorted([spanish.email, chinese.email])
    # The next message starts on a new SMTP connection: the old one still held the server's unread
    # answer to the first, which would have been taken for the answer to the next one's commands.
    assert Invitation.objects.get(person=chinese).attempts == 0
