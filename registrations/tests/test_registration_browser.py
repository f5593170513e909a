"""Registration in a real browser: a participant registers and cancels, a full session
offers the waitlist, and a guest confirms through the opt-in email caught by a real
SMTP sink (aiosmtpd)."""

import email
import email.policy
import re
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache

from accounts.tests.factories import UserFactory
from registrations import services
from registrations.delivery import outbox_sweep
from registrations.models import Registration
from tests.browser import assert_accessible, log_in
from webinars.tests.factories import STREAM_URL, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_a_participant_registers_and_cancels(page, live_server, participant):
    session = SessionFactory(title="Strømming for nybegynnere", capacity=5)
    log_in(page, live_server, participant.email)
    page.goto(f"{live_server.url}/webinarer/{session.slug}/pamelding/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Meld meg på").click()
    assert page.get_by_text("Du er påmeldt.").is_visible()
    assert STREAM_URL not in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/mine-pameldinger/")
    assert page.get_by_text("Strømming for nybegynnere").first.is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Meld meg av").click()
    # "Meld meg av" asks first and names what is cancelled.
    assert page.get_by_text("Vil du melde deg av webinaret «Strømming for nybegynnere»?").is_visible()
    assert Registration.objects.get(offering=session.offering).status == Registration.Status.CONFIRMED
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, meld meg av").click()
    assert page.get_by_text("Du er meldt av «Strømming for nybegynnere».").is_visible()
    assert Registration.objects.get(offering=session.offering).status == Registration.Status.CANCELLED


def test_a_full_session_shows_the_waitlist_message(page, live_server, participant):
    session = SessionFactory(capacity=1)
    other = UserFactory()
    services.registration_create(
        offering=session.offering, user=other, name="A", email=other.email, language="nb", answers={}
    )
    log_in(page, live_server, participant.email)
    page.goto(f"{live_server.url}/webinarer/{session.slug}/pamelding/")
    assert page.get_by_text("Webinaret er fullt.").is_visible()
    assert_accessible(page)
    button = page.get_by_role("button", name="Sett meg på venteliste")
    assert "0 venter" in button.inner_text()
    assert page.get_by_role("button", name="Meld meg på").count() == 0
    with page.expect_navigation():
        button.click()
    assert page.get_by_text("Du står på ventelisten som nummer 1.").is_visible()


class _Collector:
    def __init__(self):
        self.messages: list[bytes] = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        self.arrived.set()
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    collector = _Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield collector
    controller.stop()


def _text_body(raw: bytes) -> str:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_guest_registers_confirms_from_the_email_and_reaches_the_join_page(page, live_server, smtp_sink, settings):
    settings.SITE_URL = live_server.url
    session = SessionFactory(title="Låtskriving og rettigheter")
    page.goto(f"{live_server.url}/webinarer/{session.slug}/pamelding/")
    page.locator("#id_name").fill("Gunn Gjest")
    page.locator("#id_email").fill("gunn.gjest@example.no")
    page.locator("#id_consent").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Meld meg på").click()
    assert page.get_by_role("heading", name="Sjekk e-posten din").is_visible()
    assert_accessible(page)

    result = outbox_sweep()
    assert result.sent >= 1, result
    assert smtp_sink.arrived.wait(10)
    optin = [m for m in smtp_sink.messages if b"gunn.gjest@example.no" in m]
    assert len(optin) == 1
    body = _text_body(optin[0])
    assert STREAM_URL not in body
    link = re.search(r"https?://\S+/pamelding/bekreft/[\w-]+/", body).group(0)

    page.goto(link)
    assert Registration.objects.get().status == Registration.Status.PENDING  # GET confirms nothing
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Bekreft påmeldingen").click()
    assert page.get_by_text("Du er påmeldt.").is_visible()
    page.get_by_role("link", name=re.compile("Bli med")).first.click()
    page.wait_for_url(lambda url: "/join/" in url)
    assert "/join/" in page.url
    assert page.get_by_text("Lenken åpner").is_visible()
    assert STREAM_URL not in page.content()
    assert_accessible(page)
