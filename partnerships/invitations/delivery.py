"""Sending one invitation: never twice, and nothing lost to a crash, a lost broker message or an SMTP outage.

The row is the truth; a broker message only says "look at invitation N". Sending goes:

1. **claim**: ``UPDATE ... SET status='sending', lease_id=<new> WHERE id=N AND status='pending' AND
   due_at <= now``. No row updated: someone else holds it, or it is sent,
   cancelled or not due; the task does nothing. So running a task twice sends once.
2. **check**: consent and the cause (the proposal still approved, the survey still open...).
3. **compose** in the recipient's language.
4. **hand over** (mail.deliver): at the last moment the message can be withdrawn, ``UPDATE ... SET
   handed_over_at=now WHERE id=N AND lease_id=<ours> AND status='sending' AND <person consents>``.
   No row updated: cancelled, consent withdrawn or our claim recovered; the message is dropped unsent.
5. **sent**: ``UPDATE ... SET status='sent' WHERE id=N AND lease_id=<ours>``.

A failure before the hand-over (or the server refusing the message) returns the row to pending with a
later ``due_at`` (backoff with jitter), for a day (INVITATIONS_RETRY_FOR_SECONDS) from the first
failure, then failed; a 5xx answer fails at once. Only the mail server's answers count as attempts: a
lost worker, a database error or a server that cannot be reached is retried without using any. A
worker that dies leaves the row in ``sending``; when its lease runs out the beat job
(``invitations_recover_stuck``) gives it one grace period, then returns it to pending if it was never
handed over (nothing was sent), or marks it sent if it was.
"""

import datetime as dt
import gc
import logging
import random
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from psycopg import pq

from cities.models import Person
from surveys.models import Response

from ..models import Invitation, Partnership, Proposal
from .emails import compose_message
from .mail import (
    HandOverRefused,
    MessageNotSent,
    Outgoing,
    answered_by_server,
    deliver,
    is_permanent,
    refused_by_server,
)
from .selectors import CONTACTABLE, invitation_settings, invitations_for_sending

logger = logging.getLogger(__name__)

SENT = "sent"
RETRY = "retry"
FAILED = "failed"
CANCELLED = "cancelled"
NOT_CLAIMED = "not_claimed"
WITHDRAWN = "withdrawn"


def retry_delay(failing_for: float) -> float:
    """Seconds before the next try of a row that has been failing for ``failing_for`` seconds: as long
    again, at least the base and at most the cap, so the waits grow geometrically; with "equal jitter"
    (half fixed, half random) so that a recovering SMTP server is not hit by every retry at once."""
    ceiling = min(
        settings.INVITATIONS_RETRY_MAX_SECONDS, max(settings.INVITATIONS_RETRY_BASE_SECONDS, failing_for)
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def send_obstacle(invitation: Invitation, *, now: dt.datetime) -> str:
    """Why ``invitation`` must not be sent now (a close reason), or "" if it may."""
    person = invitation.person
    if person.is_reconstructed:
        return Invitation.CloseReason.PLACEHOLDER
    if not person.email:
        return Invitation.CloseReason.NO_EMAIL
    if invitation.kind not in Invitation.TRANSACTIONAL_KINDS and not person.has_contact_consent:
        return Invitation.CloseReason.NO_CONSENT
    answerable = invitation.answerable
    if answerable is not invitation and answerable.status != Invitation.Status.SENT:
        return answerable.closed_reason or Invitation.CloseReason.ALREADY_ANSWERED
    if (
        answerable.kind == Invitation.Kind.INTRODUCTION
        and answerable.proposal.status != Proposal.Status.APPROVED
    ):
        return Invitation.CloseReason.PROPOSAL_CLOSED
    if answerable.kind == Invitation.Kind.SURVEY:
        invitee = answerable.survey_invitee
        if not invitee.survey.opens_at <= now < invitee.survey.closes_at:
            return Invitation.CloseReason.SURVEY_CLOSED
        if Response.objects.filter(survey_id=invitee.survey_id, respondent_id=invitee.person_id).exists():
            return Invitation.CloseReason.ALREADY_ANSWERED
    if answerable.kind == Invitation.Kind.TRAINING and answerable.workshop.starts_at <= now:
        return Invitation.CloseReason.WORKSHOP_PAST
    if (
        answerable.kind == Invitation.Kind.CHECK_IN
        and answerable.partnership.status == Partnership.Status.CLOSED
    ):
        return Invitation.CloseReason.PARTNERSHIP_CLOSED
    return ""


def _commit_without_waiting_for_the_disk() -> None:
    """PostgreSQL: this transaction's COMMIT returns before its WAL reaches the disk (one disk flush, a
    few milliseconds on a busy disk, saved). Only for the claim and the final "sent": of the three
    commits of a send, the hand-over is the one that must be durable before the final dot leaves,
    and it stays synchronous. Losing either of the others in a database crash is harmless, because
    the WAL is replayed in order: a durable hand-over carries the claim before it, a lost claim makes
    the hand-over's lease check fail (nothing sent), and a lost "sent" leaves a handed-over row that
    ``invitations_recover_stuck`` marks sent."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _mine(invitation_ids: int | list[int] | None, lease_id: str):
    """The rows of ``invitation_ids`` (None: all) that this lease still holds."""
    mine = Invitation.objects.filter(lease_id=lease_id, status=Invitation.Status.SENDING)
    if invitation_ids is None:
        return mine
    return mine.filter(pk__in=[invitation_ids] if isinstance(invitation_ids, int) else invitation_ids)


def _release(invitation_ids, lease_id: str, **values) -> int:
    now = timezone.now()
    return _mine(invitation_ids, lease_id).update(
        lease_id="", lease_expires_at=None, updated_at=now, **values
    )


def _record_hand_over(*, lease_id: str, addresses: dict[int, str]) -> set[int]:
    """The point of no return, for a whole batch in one statement. Consent is read here, in the same
    statement, so a withdrawal committed before this moment always stops the message (a reply to the
    person's own request needs none). Returns the invitations recorded."""
    now = timezone.now()
    consenting = Exists(Person.objects.filter(CONTACTABLE, pk=OuterRef("person_id")))
    recorded = (
        _mine(list(addresses), lease_id)
        .filter(Q(kind__in=Invitation.TRANSACTIONAL_KINDS) | Q(consenting))
        .update(
            handed_over_at=now,
            sent_to=Case(*(When(pk=pk, then=Value(address)) for pk, address in addresses.items())),
            updated_at=now,
        )
    )
    if not recorded:
        return set()
    if recorded == len(addresses):
        return set(addresses)
    return set(_mine(list(addresses), lease_id).filter(handed_over_at=now).values_list("pk", flat=True))


@contextmanager
def _commit_on_its_way():
    """PostgreSQL: send COMMIT, run the body, and only then wait for the COMMIT's answer.

    The body writes the messages' final lines. Between the COMMIT leaving for the database and the
    lines leaving for the mail server there is no waiting at all, only a few instructions per message:
    that instant is the only one in which a killed worker can leave a message recorded as sent but not
    sent. (With an ordinary commit it would also span the database's answer and the wait to be
    scheduled again.)
    """
    pgconn = connection.connection.pgconn
    # psycopg runs libpq in nonblocking mode, where sending may leave bytes in libpq's own buffer. In
    # blocking mode send_query returns only once the whole COMMIT is in the socket: from then on,
    # PostgreSQL receives it even if this process dies.
    nonblocking = pgconn.nonblocking
    pgconn.nonblocking = 0
    # No garbage collection between the COMMIT leaving and the final lines leaving: a full collection
    # in a busy worker takes milliseconds, which would widen that instant a thousandfold.
    collecting = gc.isenabled()
    gc.disable()
    try:
        pgconn.send_query(b"COMMIT")
        yield
    finally:
        if collecting:
            gc.enable()
        try:
            # Read the answer even if the body failed: the COMMIT was sent and the connection must be
            # left clean (psycopg then sees no transaction, and Django's own commit does nothing).
            while (result := pgconn.get_result()) is not None:
                if result.status != pq.ExecStatus.COMMAND_OK:
                    raise DatabaseError(result.get_error_message())
        finally:
            pgconn.nonblocking = nonblocking


class _HandOver:
    """The context ``mail.deliver`` writes the final lines in. ``recorded`` is what it recorded."""

    def __init__(self, *, lease_id: str, addresses: dict[int, str]):
        self.lease_id = lease_id
        self.addresses = addresses
        self.recorded: set[int] = set()

    @contextmanager
    def __call__(self, invitation_ids: list[int]):
        ours = {"lease_id": self.lease_id, "addresses": {pk: self.addresses[pk] for pk in invitation_ids}}
        # The trick needs a transaction of its own; inside someone else's (tests run the task inside
        # theirs) the record is simply part of it.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with transaction.atomic():
                recorded = _record_hand_over(**ours)
                if not recorded:
                    yield recorded
                    return
                with _commit_on_its_way():
                    self.recorded = recorded
                    yield recorded
            return
        with transaction.atomic():
            self.recorded = _record_hand_over(**ours)
        yield self.recorded


def _after_failure(invitation: Invitation, lease_id: str, error: BaseException) -> str:
    """Nothing was taken: back to pending with backoff, or failed (a 5xx answer, or a day of trying)."""
    now = timezone.now()
    description = f"{type(error).__name__}: {error}"[:2000]
    attempts = invitation.attempts + (1 if answered_by_server(error) else 0)
    since = invitation.retrying_since or now
    failing_for = (now - since).total_seconds()
    if is_permanent(error) or failing_for >= settings.INVITATIONS_RETRY_FOR_SECONDS:
        if not is_permanent(error):
            description = f"Given up after {failing_for / 3600:.0f} h of retries. Last error: {description}"
        _release(
            invitation.pk,
            lease_id,
            status=Invitation.Status.FAILED,
            handed_over_at=None,
            attempts=attempts,
            retrying_since=since,
            last_error=description,
        )
        logger.warning("Invitation %s failed for good: %s", invitation.pk, description)
        return FAILED
    delay = retry_delay(failing_for)
    _release(
        invitation.pk,
        lease_id,
        status=Invitation.Status.PENDING,
        handed_over_at=None,
        due_at=now + dt.timedelta(seconds=delay),
        last_queued_at=None,
        attempts=attempts,
        retrying_since=since,
        last_error=description,
    )
    logger.info("Invitation %s: try failed (%s); next in %.0f s", invitation.pk, description, delay)
    return RETRY


def _after_database_error(invitation_ids: list[int] | None, lease_id: str, error: BaseException) -> str:
    """The database failed us before the hand-over, so nothing was sent: on a fresh connection the rows
    go back to pending, due at once and no attempt used (a killed connection is not the mail
    server's answer). If even that fails, the lease runs out and the beat job returns the rows."""
    connection.close()
    now = timezone.now()
    _release(
        invitation_ids,
        lease_id,
        status=Invitation.Status.PENDING,
        handed_over_at=None,
        due_at=now,
        last_queued_at=None,
        retrying_since=Coalesce(F("retrying_since"), now),
        last_error=f"Database error before the hand-over, nothing sent: {type(error).__name__}: {error}"[
            :2000
        ],
    )
    return RETRY


def _record_sent_whatever_it_takes(invitation_ids: list[int], lease_id: str, error: BaseException) -> str:
    """The final lines went out, but whether the database recorded the hand-over (or the send) is
    unknown (the connection died with the COMMIT on its way, or the COMMIT failed). The server has
    most probably taken the messages, so they must count as sent (at most once): on fresh
    connections, until that is recorded or the lease and its grace are over. The beat job gives a
    run-out lease a grace period before returning the rows, and this keeps trying through it, so a
    second copy needs this worker to stay cut off from the database (or to die) for that long after
    the beat could reach it."""
    deadline = (
        time.monotonic() + settings.INVITATIONS_SEND_LEASE_SECONDS + settings.INVITATIONS_LEASE_GRACE_SECONDS
    )
    note = f"Connection lost after the hand-over ({type(error).__name__}: {error}); assumed delivered."
    pause = 0.1
    while True:
        connection.close()
        try:
            now = timezone.now()
            recorded = _mine(invitation_ids, lease_id).update(
                status=Invitation.Status.SENT,
                handed_over_at=Coalesce(F("handed_over_at"), now),
                sent_at=now,
                lease_id="",
                lease_expires_at=None,
                lease_checked_at=None,
                last_error=note[:2000],
                updated_at=now,
            )
        except DatabaseError:
            if time.monotonic() + pause > deadline:
                logger.error("Invitations %s: sent, but the database could not be told so", invitation_ids)
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)
            continue
        if recorded < len(invitation_ids):  # recorded as sent by the beat job (it saw the hand-over)
            logger.warning("Invitations %s: sent; the beat job had recorded some already", invitation_ids)
        return SENT


def invitation_send(*, invitation_id: int) -> str:
    """Send invitation ``invitation_id`` if it is due and nobody else is sending it; safe to call any number
    of times, concurrently. Returns the outcome (sent, retry, failed, cancelled, not_claimed, withdrawn).

    Side effects: at most one e-mail, ever, per invitation; the row moves to sent, back to pending with
    a later due time (retry), failed, or cancelled (no consent, or the cause has gone).
    """
    return invitations_send(invitation_ids=[invitation_id]).get(invitation_id, NOT_CLAIMED)


def invitations_send(*, invitation_ids: list[int], fill_up_to: int = 0) -> dict[int, str]:
    """Send the invitations ``invitation_ids`` that are due and that nobody else is sending, as one
    batch; with ``fill_up_to``, once at least one of them is claimed, the batch also claims other due
    invitations up to that many (the oldest due first). Safe to call any number of times,
    concurrently. Returns each claimed invitation's outcome (sent, retry, failed, cancelled,
    withdrawn); the others were not claimed.

    A batch costs three commits whatever its size: the claim, the hand-over (the one that waits for
    the disk) and the "sent". Side effects: at most one e-mail, ever, per invitation; each row moves to
    sent, back to pending with a later due time (retry), failed, or cancelled (no consent, or the
    cause has gone).
    """
    now = timezone.now()
    lease_id = f"{random.getrandbits(128):032x}"
    claim = {
        "status": Invitation.Status.SENDING,
        "lease_id": lease_id,
        "lease_expires_at": now + dt.timedelta(seconds=settings.INVITATIONS_SEND_LEASE_SECONDS),
        "lease_checked_at": None,
        "updated_at": now,
    }
    due = Invitation.objects.filter(status=Invitation.Status.PENDING, due_at__lte=now)
    if not due.filter(pk__in=invitation_ids).exists():
        # Most tasks of a busy queue find their invitation taken by another's batch: a read, not a
        # write transaction (the claim below checks again).
        return {}
    with transaction.atomic():
        _commit_without_waiting_for_the_disk()
        claimed = due.filter(pk__in=invitation_ids).update(**claim)
        if claimed and fill_up_to > claimed:
            others = due.exclude(pk__in=invitation_ids).order_by("due_at", "pk")
            if connection.vendor == "postgresql":
                # Rows another worker is claiming right now are skipped, not waited for.
                others = others.select_for_update(skip_locked=True)
            due.filter(pk__in=Subquery(others.values("pk")[: fill_up_to - claimed])).update(**claim)
    if not claimed:
        return {}
    try:
        return _send_claimed(lease_id, now=now)
    except _DatabaseErrorBeforeHandOver as failure:
        # Before the hand-over (after it, _send_claimed records the outcomes itself): nothing was sent.
        logger.warning("Invitations %s: database error before the hand-over (%s)", failure.ids, failure.error)
        _after_database_error(failure.ids, lease_id, failure.error)
        return dict.fromkeys(failure.ids or invitation_ids, RETRY) | failure.outcomes


class _DatabaseErrorBeforeHandOver(Exception):
    def __init__(self, ids: list[int] | None, error: DatabaseError, outcomes: dict[int, str]):
        self.ids, self.error, self.outcomes = ids, error, outcomes


def _send_claimed(lease_id: str, *, now: dt.datetime) -> dict[int, str]:
    outcomes: dict[int, str] = {}
    try:
        invitations = invitations_for_sending(lease_id=lease_id)
    except DatabaseError as error:
        raise _DatabaseErrorBeforeHandOver(None, error, outcomes) from error
    outgoing: list[Outgoing] = []
    by_id: dict[int, Invitation] = {}
    try:
        links_valid_until = now + dt.timedelta(days=invitation_settings().answer_link_valid_days)
        for invitation in invitations:
            obstacle = send_obstacle(invitation, now=now)
            if obstacle:
                _release(invitation.pk, lease_id, status=Invitation.Status.CANCELLED, closed_reason=obstacle)
                logger.info("Invitation %s cancelled at sending: %s", invitation.pk, obstacle)
                outcomes[invitation.pk] = CANCELLED
                continue
            try:
                message = compose_message(invitation, links_valid_until=links_valid_until)
            except DatabaseError:
                raise
            except Exception as error:
                # A template or link that cannot be built will not build on the next attempt either.
                logger.exception("Invitation %s could not be composed", invitation.pk)
                _release(
                    invitation.pk,
                    lease_id,
                    status=Invitation.Status.FAILED,
                    last_error=f"Could not compose: {error!r}",
                )
                outcomes[invitation.pk] = FAILED
                continue
            by_id[invitation.pk] = invitation
            outgoing.append(Outgoing(key=invitation.pk, message=message))
    except DatabaseError as error:
        unfinished = [invitation.pk for invitation in invitations if invitation.pk not in outcomes]
        raise _DatabaseErrorBeforeHandOver(unfinished, error, outcomes) from error
    if not outgoing:
        return outcomes

    hand_over = _HandOver(
        lease_id=lease_id, addresses={item.key: by_id[item.key].person.email for item in outgoing}
    )
    try:
        deliver(outgoing, hand_over=hand_over)
    except DatabaseError as error:
        dotted = [item.key for item in outgoing if item.dotted]
        if not dotted:
            raise _DatabaseErrorBeforeHandOver([item.key for item in outgoing], error, outcomes) from error
        # The final lines went out and the database's answer was lost: the server has most probably
        # taken the messages. Sending them again could make duplicates, so they count as sent (at
        # most once), however long the database takes to hear it. The others were dropped unsent.
        _record_sent_whatever_it_takes(dotted, lease_id, error)
        outcomes |= dict.fromkeys(dotted, SENT)
        undotted = [item.key for item in outgoing if not item.dotted]
        if undotted:
            _after_database_error(undotted, lease_id, error)
            outcomes |= dict.fromkeys(undotted, RETRY)
        return outcomes

    sent = []
    for item in outgoing:
        invitation, error = by_id[item.key], item.error
        if error is None:
            sent.append(item.key)
        elif isinstance(error, HandOverRefused):
            # Still ours (the lease matches) means the person's consent was gone at the last moment;
            # otherwise someone else closed or recovered the row, and it is theirs now.
            _release(
                item.key,
                lease_id,
                status=Invitation.Status.CANCELLED,
                closed_reason=Invitation.CloseReason.NO_CONSENT,
            )
            logger.info("Invitation %s withdrawn before the hand-over", item.key)
            outcomes[item.key] = WITHDRAWN
        elif item.dotted and not isinstance(error, MessageNotSent) and not refused_by_server(error):
            # The final line went out and the server's answer was lost: it has most probably taken the
            # message, so it counts as sent (at most once).
            _release(
                item.key,
                lease_id,
                status=Invitation.Status.SENT,
                sent_at=timezone.now(),
                last_error=f"Connection lost after the hand-over ({type(error).__name__}: {error}); "
                "assumed delivered.",
            )
            outcomes[item.key] = SENT
        else:
            # Nothing was taken: the final line never left, or the server refused the message.
            outcomes[item.key] = _after_failure(invitation, lease_id, error)
    if sent:
        try:
            with transaction.atomic():
                _commit_without_waiting_for_the_disk()
                _release(sent, lease_id, status=Invitation.Status.SENT, sent_at=timezone.now(), last_error="")
        except DatabaseError as error:
            # Handed over already: never back to pending.
            _record_sent_whatever_it_takes(sent, lease_id, error)
        outcomes |= dict.fromkeys(sent, SENT)
        logger.info("Invitations %s sent", sent)
    return outcomes


def invitations_recover_stuck(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Rows whose sender was lost (its lease ran out): sent if handed over, since then the message may
    well have gone out; otherwise, after one grace period (INVITATIONS_LEASE_GRACE_SECONDS, in which a
    sender cut off from the database can still record a hand-over it made), back to pending, since
    then provably nothing was sent, or failed once the row has been retried for a day.

    Each is one conditional update, so a worker that is merely slow cannot be overtaken: its own
    hand-over names its lease, which no longer matches once its row is recovered.
    """
    now = now or timezone.now()
    stuck = Invitation.objects.filter(status=Invitation.Status.SENDING, lease_expires_at__lt=now)
    released = {"lease_id": "", "lease_expires_at": None, "lease_checked_at": None, "updated_at": now}
    assumed_sent = stuck.filter(handed_over_at__isnull=False).update(
        status=Invitation.Status.SENT,
        sent_at=F("handed_over_at"),
        last_error="The worker was lost after the hand-over; assumed delivered.",
        **released,
    )
    never_handed_over = stuck.filter(handed_over_at__isnull=True)
    graced = never_handed_over.filter(lease_checked_at__isnull=True).update(
        lease_checked_at=now,
        lease_expires_at=now + dt.timedelta(seconds=settings.INVITATIONS_LEASE_GRACE_SECONDS),
        updated_at=now,
    )
    retried_since = now - dt.timedelta(seconds=settings.INVITATIONS_RETRY_FOR_SECONDS)
    recoverable = never_handed_over.filter(lease_checked_at__isnull=False)
    exhausted = recoverable.filter(retrying_since__lte=retried_since).update(
        status=Invitation.Status.FAILED,
        last_error="The worker was lost on every try for a day.",
        **released,
    )
    returned = recoverable.update(
        status=Invitation.Status.PENDING,
        due_at=now,
        last_queued_at=None,
        retrying_since=Coalesce(F("retrying_since"), now),
        last_error="The worker was lost before the hand-over; nothing was sent. Sending again.",
        **released,
    )
    return {"assumed_sent": assumed_sent, "failed_lost": exhausted, "returned": returned, "graced": graced}
