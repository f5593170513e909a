"""Internationalised addresses (issue 11, item 4) against a real SMTP server (aiosmtpd), with
and without SMTPUTF8: what arrives in the envelope and in the parsed message, and what the
guest can do with it."""

from __future__ import annotations

import re
from email.headerregistry import Address

import pytest
from django.core.cache import cache
from django.test import override_settings

from registrations.delivery import outbox_sweep
from registrations.models import Notification, Registration
from registrations.tests.smtpsink import Sink
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _smtp(sink: Sink):
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=sink.port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=5,
    )


@pytest.fixture
def sink():
    sink = Sink().start()
    with _smtp(sink):
        yield sink
    sink.stop()


@pytest.fixture
def utf8_sink():
    sink = Sink(smtputf8=True).start()
    with _smtp(sink):
        yield sink
    sink.stop()


def _register(client, session, email: str, name: str = "Idun Bøker"):
    return client.post(
        f"/webinarer/{session.slug}/pamelding/", {"name": name, "email": email, "consent": "on"}, follow=True
    )


def _to(message) -> Address:
    (address,) = message["To"].addresses
    return address


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_guest_with_an_internationalised_domain_gets_the_optin_and_can_confirm(client, sink):
    session = SessionFactory()

    response = _register(client, session, "idn@bücher.example")
    assert response.redirect_chain == [("/pamelding/sjekk-e-post/", 302)]
    assert "idn@bücher.example" in response.content.decode()  # shown as typed
    outbox_sweep()

    assert Notification.objects.get().state == Notification.State.SENT
    (rcpt_tos, message) = sink.handler.messages[0]
    assert rcpt_tos == ["idn@xn--bcher-kva.example"]
    assert _to(message).addr_spec == "idn@xn--bcher-kva.example"
    assert _to(message).display_name == "Idun Bøker"
    assert "SMTPUTF8" not in sink.handler.envelopes[0][1]

    link = re.search(r"http://[^/\s]+(/pamelding/bekreft/[^/\s]+/)", _text(message)).group(1)
    assert "Du er påmeldt." in client.post(link, follow=True).content.decode()
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.email == "idn@bücher.example"  # stored as typed

    outbox_sweep()
    (rcpt_tos, confirmed) = sink.handler.messages[1]
    assert rcpt_tos == ["idn@xn--bcher-kva.example"]
    assert _to(confirmed).addr_spec == "idn@xn--bcher-kva.example"
