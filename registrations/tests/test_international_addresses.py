"""Internationalised addresses (issue 11, item 4) against a real SMTP server (aiosmtpd), with
and without SMTPUTF8: what arrives in the envelope and in the parsed message, and what the
guest can do with it."""

from __future__ import annotations

import re
from email.headerregistry import Address

import pytest
from django.core.cache import cache
from django.test import override_settings

from accounts.models import Organisation, User
from accounts.tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory
from registrations.delivery import outbox_sweep
from registrations.models import JoinLink, Notification, Registration
from registrations.outbox import enqueue, notification_new
from registrations.tests.factories import RegistrationFactory
from registrations.tests.mailkit import invite_of
from registrations.tests.smtpsink import Sink, parse
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


def test_a_non_ascii_local_part_goes_as_utf8_to_a_server_that_offers_smtputf8(client, utf8_sink):
    session = SessionFactory()

    response = _register(client, session, "åse@bücher.example", name="Åse Ødegård")
    assert response.redirect_chain == [("/pamelding/sjekk-e-post/", 302)]
    outbox_sweep()

    (mail_from, options, rcpt_tos) = utf8_sink.handler.envelopes[0]
    assert "SMTPUTF8" in options
    assert rcpt_tos == ["åse@xn--bcher-kva.example"]
    message = utf8_sink.handler.messages[0][1]
    assert _to(message).addr_spec == "åse@xn--bcher-kva.example"
    assert _to(message).display_name == "Åse Ødegård"
    link = re.search(r"http://[^/\s]+(/pamelding/bekreft/[^/\s]+/)", _text(message)).group(1)
    client.post(link)
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    assert Registration.objects.get().email == "åse@bücher.example"


def test_without_smtputf8_the_form_says_what_to_change_and_asks_the_server_once(client, sink):
    session = SessionFactory()

    for _ in range(2):
        response = _register(client, session, "åse@example.no")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Vår e-posttjener kan ikke sende til adresser med æ, ø, å eller andre tegn utenfor a–z foran @." in page
        assert "Bruk en adresse med bare a–z, 0–9 og . _ - + foran @." in page
    assert not Registration.objects.exists()
    assert not Notification.objects.exists()
    assert sink.handler.sessions == 1  # the EHLO probe, cached for the second post

    # An ASCII address does not ask the server at all.
    assert _register(client, session, "ase@example.no").redirect_chain == [("/pamelding/sjekk-e-post/", 302)]
    assert sink.handler.sessions == 1


def test_the_form_error_is_translated(client, sink):
    session = SessionFactory()
    client.cookies["django_language"] = "en"
    response = client.post(
        f"/webinarer/{session.slug}/pamelding/",
        {"name": "Åse", "email": "åse@example.no", "consent": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert "Our mail server cannot send to addresses with æ, ø, å or other characters outside a–z before the @." in page


def test_a_row_that_reaches_a_server_without_smtputf8_fails_for_good_and_is_never_mangled(sink, office_a):
    session = SessionFactory(organisation=office_a, capacity=None)
    for address in ("åse@example.no", "ola@example.no"):
        registration = RegistrationFactory(session=session, email=address, name="Deltaker")
        JoinLink.objects.create(registration=registration, session=session)
        enqueue(notification_new(kind="confirmed", registration=registration))

    result = outbox_sweep()

    assert (result.sent, result.failed, result.retried) == (1, 1, 0)
    assert [rcpt for rcpt, _ in sink.handler.messages] == [["ola@example.no"]]
    failed = Notification.objects.get(to_email="åse@example.no")
    assert failed.state == Notification.State.FAILED
    assert failed.attempts == 1
    assert "SMTPUTF8" in failed.last_error and "åse@example.no" in failed.last_error
    assert outbox_sweep().claimed == 0  # not retried


def test_reply_to_carries_the_offices_international_contact_address(utf8_sink):
    office = OrganisationFactory(short_name="Sørf", contact_email="post@sørf.example")
    session = SessionFactory(organisation=office, capacity=None)
    registration = RegistrationFactory(session=session, email="ola@example.no", name="Ola")
    JoinLink.objects.create(registration=registration, session=session)
    enqueue(notification_new(kind="confirmed", registration=registration))
    office_utf8 = OrganisationFactory(short_name="Øks", contact_email="påmelding@øks.example")
    session_utf8 = SessionFactory(organisation=office_utf8, capacity=None)
    registration = RegistrationFactory(session=session_utf8, email="kari@example.no", name="Kari")
    JoinLink.objects.create(registration=registration, session=session_utf8)
    enqueue(notification_new(kind="confirmed", registration=registration))

    outbox_sweep()

    (first_options, second_options) = [options for _, options, _ in utf8_sink.handler.envelopes]
    assert "SMTPUTF8" not in first_options and "SMTPUTF8" in second_options
    first, second = (message for _, message in utf8_sink.handler.messages)
    (reply_to,) = first["Reply-To"].addresses
    assert (reply_to.display_name, reply_to.addr_spec) == ("Sørf", "post@xn--srf-0na.example")
    (reply_to,) = second["Reply-To"].addresses
    assert reply_to.addr_spec == "påmelding@xn--ks-kka.example"


def test_the_invite_names_the_attendee_by_a_uri(utf8_sink):
    session = SessionFactory(capacity=None)
    for address in ("idn@bücher.example", "åse@example.no"):
        registration = RegistrationFactory(session=session, email=address, name="Deltaker")
        JoinLink.objects.create(registration=registration, session=session)
        enqueue(notification_new(kind="confirmed", registration=registration))

    outbox_sweep()

    attendees = []
    for _, message in utf8_sink.handler.messages:
        _method, calendar, _js = invite_of(message)
        (event,) = calendar.walk("VEVENT")
        attendees.append(str(event["ATTENDEE"]))
    assert attendees == ["mailto:idn@xn--bcher-kva.example", "mailto:%C3%A5se@example.no"]


def test_account_emails_go_to_an_internationalised_domain(client, sink):
    response = client.post(
        "/konto/signup/",
        {"email": "Idn@Bücher.example", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get().email == "idn@bücher.example"  # as typed (allauth lowercases)
    outbox_sweep()

    (rcpt_tos, message) = sink.handler.messages[0]
    assert rcpt_tos == ["idn@xn--bcher-kva.example"]
    assert _to(message).addr_spec == "idn@xn--bcher-kva.example"
    link = re.search(r"http://[^/\s]+(/konto/confirm-email/[^/\s]+/)", _text(message)).group(1)
    assert client.post(link).status_code == 302
    assert User.objects.get().emailaddress_set.get().verified


@pytest.mark.parametrize("url", ["/konto/signup/", "/konto/password/reset/"])
def test_allauth_forms_say_what_to_change_without_smtputf8(client, sink, url):
    response = client.post(url, {"email": "åse@example.no", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Vår e-posttjener kan ikke sende til adresser med æ" in response.content.decode()
    assert not User.objects.exists()
    assert not Notification.objects.exists()


def test_allauth_signup_takes_a_non_ascii_local_part_with_smtputf8(client, utf8_sink):
    response = client.post(
        "/konto/signup/", {"email": "åse@example.no", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD}
    )
    assert response.status_code == 302
    outbox_sweep()
    (_mail_from, options, rcpt_tos) = utf8_sink.handler.envelopes[0]
    assert rcpt_tos == ["åse@example.no"] and "SMTPUTF8" in options
    assert _to(utf8_sink.handler.messages[0][1]).addr_spec == "åse@example.no"


def test_the_admin_refuses_an_office_contact_address_the_server_cannot_carry(client, sink):
    admin = UserFactory(email="admin@example.no", is_staff=True, is_superuser=True)
    client.force_login(admin)
    office = OrganisationFactory(slug="sorf", short_name="Sørf")
    response = client.get(f"/admin/accounts/organisation/{office.pk}/change/")
    data = {
        key: value
        for key, value in response.context["adminform"].form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update({"contact_email": "påmelding@sørf.example", **_inline_management()})
    page = client.post(f"/admin/accounts/organisation/{office.pk}/change/", data).content.decode()
    assert "Vår e-posttjener kan ikke sende til adresser med æ" in page
    data["contact_email"] = "post@sørf.example"
    assert client.post(f"/admin/accounts/organisation/{office.pk}/change/", data).status_code == 302
    assert Organisation.objects.get(pk=office.pk).contact_email == "post@sørf.example"


def _inline_management() -> dict:
    return {
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize("address", ["ola@☃.net", "ola@exa mple.no", "å se@example.no", "åse\u200b@example.no"])
def test_addresses_with_no_form_for_mail_are_refused(client, utf8_sink, address):
    response = _register(client, SessionFactory(), address)
    assert response.status_code == 200
    assert "Skriv inn en gyldig e-postadresse, for eksempel navn@eksempel.no." in response.content.decode()
    assert not Registration.objects.exists()


def test_the_eml_file_backend_writes_what_a_mail_client_reads(settings, tmp_path):
    settings.EMAIL_BACKEND = "config.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    session = SessionFactory(capacity=None)
    for address in ("idn@bücher.example", "åse@example.no"):
        registration = RegistrationFactory(session=session, email=address, name="Deltaker")
        JoinLink.objects.create(registration=registration, session=session)
        enqueue(notification_new(kind="confirmed", registration=registration))

    assert outbox_sweep().sent == 2

    recipients = sorted(_to(parse(path.read_bytes())).addr_spec for path in tmp_path.glob("*.eml"))
    assert recipients == ["idn@xn--bcher-kva.example", "åse@example.no"]
