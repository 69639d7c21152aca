"""Handing one message to the mail server, with a checkpoint at the last moment it can still be withdrawn.

SMTP commits a message when the server reads the line with a single dot that ends DATA. Everything
before that line can be abandoned by dropping the connection: the server then discards the message.
``deliver`` writes the whole message except that final line, then enters ``hand_over()``, which
records in the database that this message is going out (or raises to withdraw it), writes the dot
inside it, and leaves it. So a worker that dies before the record is committed provably sent nothing
and may be replaced by another attempt; once the record is committed the message counts as sent and
is never repeated. delivery.py commits the record with no waiting between the commit leaving and the
dot leaving; docs/invitations.md explains why a duplicate is impossible and a loss needs a crash in
that instant.

Other Django backends (file, console, memory in tests, or an HTTP API backend) have no such split: the
whole ``send_messages`` runs inside ``hand_over()``.
"""

import contextlib
import smtplib
import socket
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends import smtp

DJANGO_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_FINAL_DOT = b".\r\n"


class HandOverRefused(Exception):
    """The database no longer lets this worker send the message (cancelled, consent withdrawn, or its
    claim was recovered by the beat job). Nothing was sent."""


class MessageNotSent(Exception):
    """Sending failed in a way that proves nothing went out: over SMTP, the final line could not be
    written; with another backend, ``send_messages`` raised (a backend that can fail after its
    provider took the message must not raise this, or the message may be sent again)."""


class _HandOverMixin:
    """An SMTP client that writes the message, then enters ``hand_over()`` and writes the final dot inside it."""

    hand_over: Callable[[], AbstractContextManager] | None = None
    _in_data = False

    def data(self, msg):
        self._in_data = True
        try:
            return super().data(msg)
        finally:
            self._in_data = False

    def send(self, s):
        hand_over = self.hand_over
        if not (self._in_data and hand_over and isinstance(s, bytes) and s.endswith(b"\r\n" + _FINAL_DOT)):
            return super().send(s)
        self.hand_over = None
        super().send(s[: -len(_FINAL_DOT)])
        try:
            with hand_over():
                try:
                    super().send(_FINAL_DOT)
                except smtplib.SMTPServerDisconnected as error:
                    raise MessageNotSent from error
        except BaseException:
            # Drop the connection without the dot (and without QUIT, which the server would read as
            # message text): the server discards a DATA that never ended.
            self.close()
            raise
        return None

    def connect(self, host="localhost", port=0, source_address=None):
        reply = super().connect(host, port, source_address)
        # The final dot leaves as a small write of its own, right after the body's: with Nagle's
        # algorithm on, the kernel holds it until the server acknowledges the body, and servers delay
        # that acknowledgement (about 40 ms a message). Nothing is gained by holding it back.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return reply


class HandOverSMTP(_HandOverMixin, smtplib.SMTP):
    pass


class HandOverSMTPSSL(_HandOverMixin, smtplib.SMTP_SSL):
    pass


class HandOverEmailBackend(smtp.EmailBackend):
    """Django's SMTP backend (same settings, TLS, login) with the hand-over checkpoint."""

    @property
    def connection_class(self):
        return HandOverSMTPSSL if self.use_ssl else HandOverSMTP


def deliver(message: EmailMessage, *, hand_over: Callable[[], AbstractContextManager]) -> None:
    """Send ``message`` through the configured e-mail backend, committing it inside ``hand_over()``.

    Over SMTP only the final dot is written inside it; with other backends, the whole sending. Raises
    whatever the backend raises; ``hand_over()`` raising on entry stops the message before it is sent.
    """
    if settings.EMAIL_BACKEND != DJANGO_SMTP_BACKEND:
        connection = get_connection(fail_silently=False)
        with hand_over():
            try:
                connection.send_messages([message])
            except Exception as error:
                raise MessageNotSent from error
        return
    connection = _reused_connection()
    try:
        connection.connection.hand_over = hand_over
        connection.send_messages([message])
    except BaseException:
        # After any failure the next message starts on a new connection, as it always did.
        _forget_connection()
        raise
    finally:
        if connection.connection is not None:
            connection.connection.hand_over = None
    _reused.last_used = time.monotonic()


# One SMTP connection per worker process (and thread), kept for the messages that follow: a new
# connection costs a TCP handshake, the greeting, EHLO, maybe STARTTLS and AUTH, per message. A
# connection idle for a while is checked with NOOP first (servers close idle ones); a failure, or a
# change of the e-mail settings (tests), starts a new one.
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


def _forget_connection() -> None:
    connection = getattr(_reused, "connection", None)
    _reused.connection = None
    if connection is not None:
        with contextlib.suppress(Exception):  # closing a broken connection: nothing more to do
            connection.close()


def _reused_connection() -> HandOverEmailBackend:
    connection = getattr(_reused, "connection", None)
    if connection is not None and (connection.connection is None or _reused.key != _settings_key()):
        _forget_connection()
        connection = None
    if connection is not None and time.monotonic() - _reused.last_used > _IDLE_CHECK_SECONDS:
        try:
            if connection.connection.noop()[0] != 250:
                raise smtplib.SMTPServerDisconnected("NOOP refused")
        except (smtplib.SMTPException, OSError):
            _forget_connection()
            connection = None
    if connection is None:
        connection = HandOverEmailBackend(fail_silently=False)
        connection.open()
        _reused.connection, _reused.key = connection, _settings_key()
    return connection


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
