"""Run the outbox into a real SMTP server (aiosmtpd) and read what arrived, parsed."""

from __future__ import annotations

import re

from django.test import override_settings

from registrations.delivery import outbox_sweep
from registrations.tests.smtpsink import Sink


def deliver_to_sink() -> list:
    """Sweep the outbox into a fresh sink; the messages as a mail client reads them."""
    sink = Sink().start()
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_PORT=sink.port):
            outbox_sweep()
    finally:
        sink.stop()
    return [message for _rcpt, message in sink.handler.messages]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def link(message, path: str) -> str:
    """The first link in the text body whose path starts with `path`, as a path."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]*)", text_of(message))
    assert match, f"no {path} link in {text_of(message)!r}"
    return match.group(1)
