"""An organiser writes to an offering's registrants: preview, send, progress, failures."""

import pytest
from django.test import override_settings

from registrations.models import JoinLink, Message, Notification
from registrations.tests.factories import RegistrationFactory
from registrations.tests.mailkit import deliver, text_of
from registrations.tests.smtpsink import Sink
from webinars.tests.factories import SessionFactory, course_with_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(office_a):
    session = SessionFactory(organisation=office_a, capacity=None, title="Spillejobber i utlandet")
    for i, status in enumerate(["confirmed", "confirmed", "confirmed", "waitlisted", "cancelled"]):
        registration = RegistrationFactory(session=session, email=f"p{i}@example.no", status=status)
        JoinLink.objects.create(registration=registration, session=session)
    return session


def send(client, session, audience="confirmed", action="send"):
    return client.post(
        f"/arbeidsrom/webinarer/{session.pk}/meldinger/",
        {"audience": audience, "subject": "Ny\r\nlenke", "body": "Vi bytter rom.\nHa en fin dag.", "action": action},
    )


def test_the_preview_counts_the_recipients_and_sends_nothing(client, organiser_a, session):
    client.force_login(organiser_a)
    response = send(client, session, action="preview")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sendes til 3 personer" in page
    assert "Vi bytter rom." in page
    assert not Message.objects.exists() and not Notification.objects.exists()


def test_a_message_reaches_each_chosen_registrant_once_and_the_counts_add_up(client, organiser_a, session):
    client.force_login(organiser_a)

    response = send(client, session)

    message = Message.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/arbeidsrom/meldinger/{message.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh"' in page
    assert 'data-count="total">3<' in page and 'data-count="pending">3<' in page

    emails = deliver()

    assert sorted(m["To"].addresses[0].addr_spec for m in emails) == ["p0@example.no", "p1@example.no", "p2@example.no"]
    assert all(m["Subject"].strip() == "Ny lenke" for m in emails)
    assert "Vi bytter rom." in text_of(emails[0]) and "/join/" in text_of(emails[0])
    page = client.get(f"/arbeidsrom/meldinger/{message.pk}/").content.decode()
    assert 'data-count="sent">3<' in page and 'data-count="pending">0<' in page
    assert '<meta http-equiv="refresh"' not in page
    assert deliver() == []  # nobody gets it twice


def test_the_waitlist_can_be_written_to_without_join_links(client, organiser_a, session):
    client.force_login(organiser_a)
    send(client, session, audience="waitlisted")
    [email] = deliver()
    assert email["To"].addresses[0].addr_spec == "p3@example.no"
    assert "/join/" not in text_of(email)


def test_attended_means_those_who_used_their_join_link(client, organiser_a, session):
    from django.utils import timezone

    JoinLink.objects.filter(registration__email="p1@example.no").update(first_joined_at=timezone.now())
    client.force_login(organiser_a)
    send(client, session, audience="attended")
    assert [m["To"].addresses[0].addr_spec for m in deliver()] == ["p1@example.no"]


def test_failed_deliveries_are_shown_with_the_reason(client, organiser_a, session):
    sink = Sink().start()
    sink.handler.refuse["p2@example.no"] = "550 5.1.1 User unknown"
    client.force_login(organiser_a)
    send(client, session)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_PORT=sink.port):
            from registrations.delivery import outbox_sweep

            outbox_sweep()
    finally:
        sink.stop()

    message = Message.objects.get()
    page = client.get(f"/arbeidsrom/meldinger/{message.pk}/").content.decode()
    assert 'data-count="sent">2<' in page and 'data-count="failed">1<' in page
    assert "p2@example.no" in page and "User unknown" in page
    overview = client.get(f"/arbeidsrom/webinarer/{session.pk}/meldinger/").content.decode()
    assert "p2@example.no" in overview and "550" in overview


def test_a_course_message_page_works_too(client, organiser_a, office_a):
    course = course_with_sessions(2, organisation=office_a)
    RegistrationFactory(offering=course.offering, name="Kursdeltaker", email="kurs@example.no", status="confirmed")
    client.force_login(organiser_a)
    response = client.post(
        f"/arbeidsrom/kurs/{course.pk}/meldinger/",
        {"audience": "confirmed", "subject": "Velkommen", "body": "Hei!", "action": "send"},
    )
    assert response.status_code == 302
    assert [m["To"].addresses[0].addr_spec for m in deliver()] == ["kurs@example.no"]


def test_an_empty_form_shows_errors_and_writes_nothing(client, organiser_a, session):
    client.force_login(organiser_a)
    response = client.post(f"/arbeidsrom/webinarer/{session.pk}/meldinger/", {"action": "send"})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not Message.objects.exists()


@pytest.mark.parametrize("url", ["/arbeidsrom/webinarer/{session}/meldinger/", "/arbeidsrom/meldinger/{message}/"])
def test_another_office_gets_404(client, organiser_b, session, url):
    message = Message.objects.create(offering=session.offering, audience="confirmed", subject="x", body="y")
    client.force_login(organiser_b)
    assert client.get(url.format(session=session.pk, message=message.pk)).status_code == 404


def test_anonymous_visitors_go_to_login_and_participants_get_404(client, participant, session):
    response = client.get(f"/arbeidsrom/webinarer/{session.pk}/meldinger/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    client.force_login(participant)
    assert client.get(f"/arbeidsrom/webinarer/{session.pk}/meldinger/").status_code == 404
