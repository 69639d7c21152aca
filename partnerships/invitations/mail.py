"""Handing messages to the mail server, with a checkpoint at the last moment they can still be withdrawn.

SMTP commits a message when the server reads the line with a single dot that ends DATA. Everything
before that line can be abandoned by dropping the connection: the server then discards the message.
``deliver`` writes each message of a batch on a connection of its own, all but that final line, then
enters ``hand_over()``, which records in one database commit that these messages are going out (or
leaves some out, to withdraw them), writes their dots inside it, and leaves it. So a worker that dies
before the record is committed provably sent nothing and may be replaced by another attempt; once the
record is committed the messages count as sent and are never repeated. delivery.py commits the record
with no waiting between the commit leaving and the dots leaving; docs/invitations.md explains why a
duplicate is impossible and a loss needs a crash in that instant.

Other Django backends (file, console, memory in tests, or an HTTP API backend) have no such split: the
whole ``send_messages`` runs inside ``hand_over()``.
"""

import contextlib
import smtplib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends import smtp
from django.core.mail.message import sanitize_address

DJANGO_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_FINAL_DOT = b".\r\n"


class HandOverRefused(Exception):
    """The database no longer lets this worker send the message (cancelled, consent withdrawn, or its
    claim was recovered by the beat job). Nothing was sent."""


class MessageNotSent(Exception):
    """Sending failed in a way that proves nothing went out: over SMTP, the final line could not be
    written; with another backend, ``send_messages`` raised (a backend that can fail after its
    provider took the message must not raise this, or the message may be sent again)."""


@dataclass
class Outgoing:
    """One message of a batch, and what became of it: ``error`` stopped it (None: the server took it);
    ``dotted`` says the final line was written, after which the message counts as handed over."""

    key: int
    message: EmailMessage
    error: BaseException | None = None
    dotted: bool = False


# hand_over(keys) is entered with the keys of the messages written up to their final line; it yields
# the keys whose hand-over it recorded (the others are dropped unsent), and the final lines are
# written inside it.
HandOver = Callable[[list[int]], AbstractContextManager[set[int]]]


class _SplitDataMixin:
    """An SMTP client that can stop a message just before its final dot: ``message_steps`` writes the
    envelope and the whole message but that line, ``message_end`` writes it, ``message_reply`` reads
    the server's answer. Between the first and the second, the message can still be withdrawn by
    dropping the connection; several connections can each hold one message there, so that one
    database commit hands over many."""

    def message_steps(self, from_addr: str, to_addrs: list[str], body: bytes) -> Iterator[None]:
        """smtplib.SMTP.sendmail, cut before the final line, in steps: it yields after writing each
        command, and the next step reads that command's answer. ``deliver`` advances the messages of
        a batch a step at a time each, so that the server answers them all at once (one round trip
        per command for the batch instead of one per command and message)."""
        self.ehlo_or_helo_if_needed()
        self.putcmd("mail", f"FROM:{smtplib.quoteaddr(from_addr)}")
        yield
        code, response = self.getreply()
        if code != 250:
            self._refused()
            raise smtplib.SMTPSenderRefused(code, response, from_addr)
        refused = {}
        for address in to_addrs:
            self.putcmd("rcpt", f"TO:{smtplib.quoteaddr(address)}")
            yield
            code, response = self.getreply()
            if code not in (250, 251):
                refused[address] = (code, response)
            if code == 421:
                self.close()
                raise smtplib.SMTPRecipientsRefused(refused)
        if len(refused) == len(to_addrs):
            self._refused()
            raise smtplib.SMTPRecipientsRefused(refused)
        self.putcmd("data")
        yield
        code, response = self.getreply()
        if code != 354:
            self._refused()
            raise smtplib.SMTPDataError(code, response)
        quoted = smtplib._quote_periods(body)
        if not quoted.endswith(b"\r\n"):
            quoted += b"\r\n"
        self.send(quoted)

    def message_end(self) -> None:
        try:
            self.send(_FINAL_DOT)
        except smtplib.SMTPServerDisconnected as error:
            raise MessageNotSent from error

    def message_reply(self) -> None:
        code, response = self.getreply()
        if code != 250:
            self._refused()
            raise smtplib.SMTPDataError(code, response)

    def _refused(self) -> None:
        with contextlib.suppress(smtplib.SMTPServerDisconnected):
            self.rset()

    def connect(self, host="localhost", port=0, source_address=None):
        reply = super().connect(host, port, source_address)
        # The final dot leaves as a small write of its own, after the body's: with Nagle's algorithm
        # on, the kernel holds it until the server acknowledges the body, and servers delay that
        # acknowledgement (about 40 ms a message). Nothing is gained by holding it back.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return reply


class HandOverSMTP(_SplitDataMixin, smtplib.SMTP):
    pass


class HandOverSMTPSSL(_SplitDataMixin, smtplib.SMTP_SSL):
    pass


class HandOverEmailBackend(smtp.EmailBackend):
    """Django's SMTP backend (same settings, TLS, login) with the split DATA."""

    @property
    def connection_class(self):
        return HandOverSMTPSSL if self.use_ssl else HandOverSMTP


def _envelope(message: EmailMessage) -> tuple[str, list[str], bytes]:
    # As Django's SMTP backend prepares a message (EmailBackend._send).
    encoding = message.encoding or settings.DEFAULT_CHARSET
    return (
        sanitize_address(message.from_email, encoding),
        [sanitize_address(address, encoding) for address in message.recipients()],
        message.message().as_bytes(linesep="\r\n"),
    )


def deliver(outgoing: list[Outgoing], *, hand_over: HandOver) -> None:
    """Send the messages of ``outgoing`` through the configured e-mail backend, handing them over in
    one ``hand_over``; each ``Outgoing`` tells what became of its message.

    Over SMTP each message has a connection of its own (kept for the next batch): each is written up
    to its final line, then ``hand_over`` records them all at once, and the final lines are written
    inside it, one after the other. With other backends the whole sending runs inside it. A database
    error from ``hand_over`` is raised: on entry nothing was sent; on exit the messages whose
    ``dotted`` is set went out.
    """
    if settings.EMAIL_BACKEND != DJANGO_SMTP_BACKEND:
        _deliver_through_backend(outgoing, hand_over)
        return
    pool = _pool()
    position_of = {item.key: position for position, item in enumerate(outgoing)}
    steps: dict[int, Iterator[None]] = {}
    # Each message's connection, taken once: asking the pool again later could check an idle one
    # with a NOOP, which in the middle of DATA would become part of the message.
    connections: dict[int, HandOverSMTP] = {}
    for position, item in enumerate(outgoing):
        try:
            sender, recipients, body = _envelope(item.message)
            connections[item.key] = pool.connection(position)
            steps[item.key] = connections[item.key].message_steps(sender, recipients, body)
        except Exception as error:
            item.error = error
            pool.forget(position)
    ready: list[Outgoing] = []
    while steps:
        for item in outgoing:
            if item.key not in steps:
                continue
            try:
                next(steps[item.key])
            except StopIteration:
                del steps[item.key]
                ready.append(item)
            except Exception as error:
                del steps[item.key]
                item.error = error
                pool.forget(position_of[item.key])
    if not ready:
        return
    try:
        with hand_over([item.key for item in ready]) as recorded:
            for item in ready:
                if item.key not in recorded:
                    continue
                try:
                    connections[item.key].message_end()
                except MessageNotSent as error:
                    item.error = error
                else:
                    item.dotted = True
    except BaseException:
        # The hand-over failed (a database error on entry, or on the COMMIT's answer after the dots):
        # no answer is read, so none of these connections can be used again.
        for item in ready:
            if not item.dotted:
                item.error = item.error or HandOverRefused()
            pool.forget(position_of[item.key])
        raise
    else:
        # Dropped without the dot (and without QUIT, which the server would read as message text): the
        # server discards a DATA that never ended.
        for item in ready:
            if not item.dotted:
                item.error = item.error or HandOverRefused()
                pool.forget(position_of[item.key])
    for item in ready:
        if item.dotted:
            try:
                connections[item.key].message_reply()
            except Exception as error:
                item.error = error
                pool.forget(position_of[item.key])
    pool.used()


def _deliver_through_backend(outgoing: list[Outgoing], hand_over: HandOver) -> None:
    backends = []  # kept until the end: the file backend names its file after the backend's id()
    with hand_over([item.key for item in outgoing]) as recorded:
        for item in outgoing:
            if item.key not in recorded:
                continue
            try:
                # A connection per message, as Django's send_mail makes (the file backend writes a
                # file per connection).
                backends.append(get_connection(fail_silently=False))
                backends[-1].send_messages([item.message])
            except Exception as error:
                item.error = MessageNotSent(error)
            else:
                item.dotted = True
    for item in outgoing:
        if item.key not in recorded:
            item.error = HandOverRefused()


class _Pool:
    """SMTP connections of one worker process (and thread), kept for the batches that follow: a new
    connection costs a TCP handshake, the greeting, EHLO, maybe STARTTLS and AUTH. A connection idle
    for a while is checked with NOOP first (servers close idle ones); a failure, or a change of the
    e-mail settings (tests), starts a new one."""

    def __init__(self, key: tuple):
        self.key = key
        self.backends: list[HandOverEmailBackend | None] = []
        self.last_used = time.monotonic()

    def connection(self, position: int) -> HandOverSMTP:
        while len(self.backends) <= position:
            self.backends.append(None)
        backend = self.backends[position]
        if backend is not None and backend.connection is None:
            backend = None
        if backend is not None and time.monotonic() - self.last_used > _IDLE_CHECK_SECONDS:
            try:
                if backend.connection.noop()[0] != 250:
                    raise smtplib.SMTPServerDisconnected("NOOP refused")
            except (smtplib.SMTPException, OSError):
                self.forget(position)
                backend = None
        if backend is None:
            backend = HandOverEmailBackend(fail_silently=False)
            self.backends[position] = backend
            try:
                backend.open()
            except BaseException:
                self.backends[position] = None
                raise
        return backend.connection

    def forget(self, position: int) -> None:
        if position >= len(self.backends) or self.backends[position] is None:
            return
        backend, self.backends[position] = self.backends[position], None
        connection = backend.connection
        backend.connection = None
        if connection is not None:
            with contextlib.suppress(Exception):  # closing a broken connection: nothing more to do
                connection.close()

    def used(self) -> None:
        self.last_used = time.monotonic()

    def close(self) -> None:
        for position in range(len(self.backends)):
            self.forget(position)


_reused = threading.local()
_IDLE_CHECK_SECONDS = 1.0


def _settings_key() -> tuple:
    return (
        settings.EMAIL_HOST,
        settings.EMAIL_PORT,
        settings.EMAIL_HOST_USER,
        settings.EMAIL_USE_TLS,
        settings.EMAIL_USE_SSL,
        settings.EMAIL_TIMEOUT,
    )


def _pool() -> _Pool:
    pool = getattr(_reused, "pool", None)
    if pool is None or pool.key != _settings_key():
        if pool is not None:
            pool.close()
        pool = _reused.pool = _Pool(_settings_key())
    return pool


def refused_by_server(error: BaseException) -> bool:
    """The server answered the message with a refusal: it did not take it, even after the hand-over."""
    return isinstance(error, smtplib.SMTPDataError)


def answered_by_server(error: BaseException) -> bool:
    """The mail server answered (and refused): the only failures that count as delivery attempts. A
    server that cannot be reached, a dropped connection, a lost worker or a database error do not."""
    return isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused)


def is_permanent(error: BaseException) -> bool:
    """A 5xx answer: trying again will not help (unknown recipient, refused sender, message rejected)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False
