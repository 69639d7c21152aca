"""A real SMTP server for tests (aiosmtpd in a thread) that keeps what it receives, and can refuse."""

import asyncio
import email
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailSink:
    """Accepts every message unless told to refuse: ``refuse_next`` messages get ``refusal``, and so
    does every message to an address in ``refuse_for`` (the way to pick the refused message when a
    batch's connections reach the server in no fixed order).

    ``on_recipient`` (if set) runs, outside the event loop, while the client is between RCPT and DATA:
    tests use it to change the database in the middle of an SMTP conversation.
    """

    def __init__(self, *, delay: float = 0.0):
        self.messages: list[EmailMessage] = []
        self.refuse_next = 0
        self.refuse_for: set[str] = set()
        self.refusal = "451 4.3.0 Mail server busy, try again later"
        self.delay = delay
        self.on_recipient: Callable[[str], None] | None = None
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.on_recipient is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.on_recipient, address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self.refuse_next:
                self.refuse_next -= 1
                return self.refusal
            if self.refuse_for & set(envelope.rcpt_tos):
                return self.refusal
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        if self.delay:
            # The message is taken (the final dot was read); the client waits for the answer.
            await asyncio.sleep(self.delay)
        return "250 2.0.0 Message accepted"

    def received(self) -> list[EmailMessage]:
        with self._lock:
            return list(self.messages)

    def message_ids(self) -> Counter:
        return Counter(message["Message-ID"] for message in self.received())

    def wait_for(self, count: int, *, timeout: float = 30) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received()) >= count:
                return self.received()
            time.sleep(0.05)
        raise AssertionError(f"expected {count} messages, got {len(self.received())} within {timeout} s")


def start_sink(**options) -> tuple[MailSink, Controller]:
    sink = MailSink(**options)
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    return sink, controller


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def links_in(message: EmailMessage) -> list[str]:
    return re.findall(r"https?://\S+", text_of(message))
