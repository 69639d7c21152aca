"""Handing one message to the mail server, with a checkpoint at the last moment it can still be withdrawn.

SMTP commits a message when the server reads the line with a single dot that ends DATA. Everything
before that line can be abandoned by dropping the connection: the server then discards the message.
``deliver`` sends the whole message except that final line, calls ``hand_over()`` (which records in
the database that this message is now going out, or raises to withdraw it), and only then sends the
dot. So a worker that dies before ``hand_over()`` committed provably sent nothing, and may be
replaced by another attempt; one that dies after it is treated as sent and never repeated. See
docs/invitations.md for why this makes a duplicate impossible and a loss need a crash inside a few
microseconds.

Other Django backends (file, console, memory in tests, or an HTTP API backend) have no such split:
``hand_over()`` runs just before ``send_messages``, and the same rule (handed over means sent) holds.
"""

import smtplib
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends import smtp

DJANGO_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_FINAL_DOT = b".\r\n"


class HandOverRefused(Exception):
    """The database no longer lets this worker send the message (cancelled, consent withdrawn, or its
    claim was recovered by the beat job). Nothing was sent."""


class _HandOverMixin:
    """An SMTP client that calls ``before_final_dot`` after the message and before the dot that commits it."""

    before_final_dot: Callable[[], None] | None = None
    _in_data = False

    def data(self, msg):
        self._in_data = True
        try:
            return super().data(msg)
        finally:
            self._in_data = False

    def send(self, s):
        checkpoint = self.before_final_dot
        if not (self._in_data and checkpoint and isinstance(s, bytes) and s.endswith(b"\r\n" + _FINAL_DOT)):
            return super().send(s)
        super().send(s[: -len(_FINAL_DOT)])
        self.before_final_dot = None
        try:
            checkpoint()
        except BaseException:
            # Drop the connection without the dot (and without QUIT, which the server would read as
            # message text): the server discards a DATA that never ended.
            self.close()
            raise
        return super().send(_FINAL_DOT)


class HandOverSMTP(_HandOverMixin, smtplib.SMTP):
    pass


class HandOverSMTPSSL(_HandOverMixin, smtplib.SMTP_SSL):
    pass


class HandOverEmailBackend(smtp.EmailBackend):
    """Django's SMTP backend (same settings, TLS, login) with the hand-over checkpoint."""

    @property
    def connection_class(self):
        return HandOverSMTPSSL if self.use_ssl else HandOverSMTP


def deliver(message: EmailMessage, *, hand_over: Callable[[], None]) -> None:
    """Send ``message`` through the configured e-mail backend; ``hand_over()`` runs at the point of no return.

    Raises whatever the backend raises; ``hand_over()`` raising stops the message before it is sent.
    """
    if settings.EMAIL_BACKEND != DJANGO_SMTP_BACKEND:
        connection = get_connection(fail_silently=False)
        hand_over()
        connection.send_messages([message])
        return
    connection = HandOverEmailBackend(fail_silently=False)
    connection.open()
    try:
        connection.connection.before_final_dot = hand_over
        connection.send_messages([message])
    finally:
        connection.close()


def refused_by_server(error: BaseException) -> bool:
    """The server answered the message with a refusal: it did not take it, even after the hand-over."""
    return isinstance(error, smtplib.SMTPDataError)


def is_permanent(error: BaseException) -> bool:
    """A 5xx answer: trying again will not help (unknown recipient, refused sender, message rejected)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False
