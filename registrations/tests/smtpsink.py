"""A real SMTP server for the delivery tests (aiosmtpd), recording what arrives.

`refuse` maps a recipient to an SMTP reply ("550 5.1.1 No such user", "451 4.2.0 Try later").
`Sink(smtputf8=True)` offers SMTPUTF8 (RFC 6531) in its EHLO answer; each message is recorded
with its envelope (MAIL FROM, its options, RCPT TO) in `envelopes`.
"""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parse(raw: bytes):
    """The message as a mail client reads it. Headers may be UTF-8 (RFC 6532, sent with
    SMTPUTF8): the bytes parser keeps their bytes as surrogate escapes, decoded here."""
    message = email.message_from_bytes(raw, policy=policy.default)
    message._headers = [
        (name, value.encode("ascii", "surrogateescape").decode("utf-8")) for name, value in message._headers
    ]
    return message


class RecordingHandler:
    def __init__(self):
        self.messages: list = []
        self.envelopes: list[tuple[str, list[str], list[str]]] = []  # (MAIL FROM, its options, RCPT TO)
        self.sessions = 0
        self.refuse: dict[str, str] = {}
        self.delay = 0.0  # seconds per message: lets a test kill a worker mid-batch
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = parse(envelope.original_content or envelope.content)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
            self.envelopes.append((envelope.mail_from, list(envelope.mail_options), list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]).strip() for _, m in self.messages]


class Sink:
    def __init__(self, port: int | None = None, *, smtputf8: bool = False):
        self.port = port or free_port()
        self.smtputf8 = smtputf8
        self.handler = RecordingHandler()
        self.controller = None

    def start(self) -> Sink:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=self.smtputf8)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"
