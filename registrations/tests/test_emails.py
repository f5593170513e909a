"""Every email as the recipient's mail client shows it: headers, language, links."""

import pytest
from django.core.mail import EmailMultiAlternatives

from accounts.tests.factories import UserFactory
from registrations import emails, services
from registrations.models import JoinLink, Notification, Registration
from registrations.outbox import enqueue as outbox_enqueue
from registrations.outbox import notification_new
from registrations.tests.factories import RegistrationFactory
from registrations.tests.mailkit import deliver, html_of, text_of, whole
from webinars.tests.factories import STREAM_URL, SessionFactory

pytestmark = pytest.mark.django_db

KINDS_WITH_JOIN_LINK = ["confirmed", "promoted", "rescheduled", "updated", "reminder"]
ALL_KINDS = [
    "optin",
    "confirmed",
    "waitlisted",
    "promoted",
    "cancelled",
    "rescheduled",
    "updated",
    "session_cancelled",
    "reminder",
    "followup",
    "message",
]


@pytest.fixture
def registration(office_a):
    session = SessionFactory(organisation=office_a, title="Royalties fra strømming")
    registration = RegistrationFactory(session=session, name="Ola Nordmann", email="ola@example.no")
    JoinLink.objects.create(registration=registration, session=session)
    return registration


def enqueue(registration, kind, **extra):
    from registrations.models import Message

    session = registration.offering.sessions.get()
    if kind == "optin":
        Registration.objects.filter(pk=registration.pk).update(status="pending", optin_token="optin-token-123")
    if kind == "reminder":
        extra.update(session=session, reminder_offset=1440)
    if kind == "followup":
        from datetime import timedelta

        from django.utils import timezone

        type(session).objects.filter(pk=session.pk).update(
            starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=2)
        )
        extra.update(session=session)
    if kind == "message":
        extra["message"] = Message.objects.create(
            offering=registration.offering,
            audience="confirmed",
            subject="Husk å teste lyden",
            body="Ta med hodetelefoner.",
        )
    row = notification_new(kind=kind, registration=registration, **extra)
    outbox_enqueue(row)
    return row


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_it_sends_every_kind_from_the_office_with_reply_to_and_message_id(registration, kind):
    enqueue(registration, kind)
    [message] = deliver()

    assert message["From"].addresses[0].display_name == "Kontor A via Musikkhjemmekontoret"
    assert message["From"].addresses[0].addr_spec == "ikke-svar@musikkhjemmekontoret.no"
    assert message["Reply-To"].addresses[0].addr_spec == "post@office-a.example.no"
    assert message["To"].addresses[0].addr_spec == "ola@example.no"
    assert message["Message-ID"].startswith("<n") and message["Message-ID"].endswith("@musikkhjemmekontoret.no>")
    assert message["Subject"]
    for body in (text_of(message), html_of(message)):
        assert "Ola Nordmann" in body
        assert "Royalties fra strømming" in body
        assert "(norsk tid)" in body
        assert "Musikkontor A" in body
    assert STREAM_URL not in whole(message)
    assert ("List-Unsubscribe" in message) == (kind == "reminder")


@pytest.mark.parametrize("kind", KINDS_WITH_JOIN_LINK)
def test_it_carries_the_personal_join_link(registration, kind):
    enqueue(registration, kind)
    [message] = deliver()
    token = registration.join_links.get().token
    assert f"http://127.0.0.1:8000/join/{token}/" in text_of(message)
    assert f'href="http://127.0.0.1:8000/join/{token}/"' in html_of(message)


def test_it_writes_in_the_recipients_language(registration):
    Registration.objects.filter(pk=registration.pk).update(language="en")
    registration.refresh_from_db()
    enqueue(registration, "confirmed")
    [message] = deliver()
    assert message["Subject"].strip() == "Registration confirmed: Royalties fra strømming"
    assert "Norwegian time" in text_of(message)
    assert 'lang="en"' in html_of(message)


def test_the_optin_email_links_to_the_confirmation_page(registration):
    enqueue(registration, "optin")
    [message] = deliver()
    assert "http://127.0.0.1:8000/pamelding/bekreft/optin-token-123/" in text_of(message)


def test_a_reminder_offers_one_click_unsubscribe(registration):
    enqueue(registration, "reminder")
    [message] = deliver()
    url = f"http://127.0.0.1:8000/paminnelser/avslutt/{registration.manage_token}/"
    assert message["List-Unsubscribe"].strip() == f"<{url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "1 døgn" in text_of(message)


def test_the_waitlist_email_says_the_place_in_the_queue_when_it_is_sent(office_a):
    from accounts.tests.factories import UserFactory

    # A title without "nummer" in it: the last assertion looks for that word.
    session = SessionFactory(organisation=office_a, title="Webinar om strømming", capacity=1)
    people = [UserFactory(email=f"person{i}@example.no", preferred_language="nb") for i in range(4)]
    seated, ahead, second, third = [
        services.registration_create(
            offering=session.offering,
            user=user,
            name=user.display_name,
            email=user.email,
            language=language,
            answers={},
        )
        for user, language in zip(people, ["nb", "nb", "nb", "en"], strict=True)
    ]
    assert [r.status for r in (ahead, second, third)] == [Registration.Status.WAITLISTED] * 3
    # The person ahead leaves before the sweeper builds the emails: the others move up.
    services.registration_cancel(registration=ahead)

    messages = {
        m["To"].addresses[0].addr_spec: m for m in deliver() if m["Subject"].strip().startswith(("Du står", "You are"))
    }

    assert "Du er nummer 1 i køen." in text_of(messages["person2@example.no"])
    assert "Du er nummer 1 i køen." in html_of(messages["person2@example.no"])
    assert "You are number 2 in the queue." in text_of(messages["person3@example.no"])
    # Someone no longer on the waitlist is given no place at all.
    assert "nummer" not in text_of(messages["person1@example.no"])


def test_line_breaks_in_names_cannot_inject_headers(office_a):
    office_a.short_name = "Kontor\r\nBcc: spion@example.no"
    office_a.save()
    session = SessionFactory(organisation=office_a, title="Titel\nX-Injected: ja")
    registration = RegistrationFactory(session=session, name="Eve\r\nBcc: spion@example.no", email="eve@example.no")
    JoinLink.objects.create(registration=registration, session=session)
    enqueue(registration, "confirmed")

    [message] = deliver()

    assert Notification.objects.get().state == "sent"
    assert "Bcc" not in message and "X-Injected" not in message
    assert [a.addr_spec for a in message["To"].addresses] == ["eve@example.no"]
    assert message["From"].addresses[0].addr_spec == "ikke-svar@musikkhjemmekontoret.no"


def test_a_higher_app_can_plug_in_a_builder(registration, monkeypatch):
    # Register into a copy of the registry so the library's real builder is back after the test.
    monkeypatch.setattr(emails, "_BUILDERS", dict(emails._BUILDERS))

    def build_recording(notification):
        return EmailMultiAlternatives("Opptaket er klart", "Se opptaket", to=[notification.to_email])

    emails.register_builder("recording", build_recording)
    enqueue(registration, "recording")
    [message] = deliver()
    assert message["Subject"] == "Opptaket er klart"


def test_a_reminder_for_a_cancelled_registration_is_skipped(registration):
    enqueue(registration, "reminder")
    services.registration_cancel(registration=registration)
    messages = deliver()
    assert [m["Subject"].strip().split(":")[0] for m in messages] == ["Påmeldingen er avsluttet"]
    assert not Notification.objects.filter(kind="reminder", state="sent").exists()


def test_line_breaks_in_names_cannot_inject_headers_in_prepared_emails_either(office_a):
    session = SessionFactory(organisation=office_a)
    for i in range(2):  # two recipients in one batch: each email is built for its own recipient
        registration = RegistrationFactory(
            session=session, name=f"Ærlig Åse {i}\r\nBcc: spion@example.no", email=f"ase{i}@example.no"
        )
        JoinLink.objects.create(registration=registration, session=session)
        enqueue(registration, "reminder")

    messages = deliver()

    assert [m["To"].addresses[0].addr_spec for m in messages] == ["ase0@example.no", "ase1@example.no"]
    assert [m["To"].addresses[0].display_name for m in messages] == [
        "Ærlig Åse 0 Bcc: spion@example.no",
        "Ærlig Åse 1 Bcc: spion@example.no",
    ]
    assert all("Bcc" not in m for m in messages)
    assert messages[0]["Message-ID"] != messages[1]["Message-ID"]
    tokens = [JoinLink.objects.get(registration__email=f"ase{i}@example.no").token for i in range(2)]
    assert tokens[0] in text_of(messages[0]) and tokens[1] not in text_of(messages[0])
    assert tokens[1] in html_of(messages[1]) and "Ærlig Åse 1" in html_of(messages[1])


@pytest.mark.parametrize("name", ["Kari Ødegård", 'Ola "Bassen" Nordmann, jr.', "Plain Name"])
def test_the_recipients_name_reaches_the_to_header_intact(office_a, name):
    session = SessionFactory(organisation=office_a)
    for i in range(2):  # two recipients in one batch: each email is built for its own recipient
        registration = RegistrationFactory(session=session, name=name, email=f"navn{i}@example.no")
        JoinLink.objects.create(registration=registration, session=session)
        enqueue(registration, "confirmed")

    messages = deliver()

    assert len(messages) == 2
    for i, message in enumerate(sorted(messages, key=lambda m: m["To"].addresses[0].addr_spec)):
        [address] = message["To"].addresses
        assert (address.display_name, address.addr_spec) == (name, f"navn{i}@example.no")


def test_an_account_without_a_name_is_greeted_neutrally_never_by_its_address(client):
    user = UserFactory(email="uten.navn@example.no", display_name="")
    session = SessionFactory()
    client.force_login(user)
    client.post(f"/webinarer/{session.slug}/pamelding/")
    [message] = deliver()
    assert text_of(message).startswith("Hei,")
    assert "Hei uten.navn@example.no" not in text_of(message) and "Hei uten.navn@example.no" not in html_of(message)
