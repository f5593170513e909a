from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from registrations import services
from registrations.models import JoinLink, Notification, Registration
from webinars.models import Status
from webinars.tests.factories import STREAM_URL, SessionFactory


def _registered(session, *, user=None, email=None):
    user = user or UserFactory()
    registration = services.registration_create(
        offering=session.offering, user=user, name="Kari", email=email or user.email, language="nb", answers={}
    )
    return registration, registration.join_links.get(session=session)


def _session_now(**kwargs):
    # Inside the join window: started five minutes ago. Created in the future, then moved,
    # because registration closes when a session starts.
    session = SessionFactory(**kwargs)
    return session


def _move(session, starts_at):
    session.starts_at = starts_at
    session.ends_at = starts_at + timedelta(hours=1)
    session.save(update_fields=["starts_at", "ends_at"])


@pytest.mark.django_db
def test_it_redirects_inside_the_window_and_records_attendance(client):
    session = _session_now()
    registration, link = _registered(session)
    _move(session, timezone.now() + timedelta(minutes=10))  # the window opens 15 minutes before
    response = client.get(f"/join/{link.token}/")
    assert response.status_code == 302
    assert response["Location"] == STREAM_URL
    assert response["Referrer-Policy"] == "no-referrer"
    link.refresh_from_db()
    assert link.join_count == 1
    first = link.first_joined_at
    assert first is not None
    _move(session, timezone.now() - timedelta(minutes=30))
    client.get(f"/join/{link.token}/")
    link.refresh_from_db()
    assert link.join_count == 2
    assert link.first_joined_at == first
    assert link.last_joined_at > first


@pytest.mark.django_db
def test_it_says_when_the_link_opens_before_the_window(client):
    session = _session_now()
    _registration, link = _registered(session)
    response = client.get(f"/join/{link.token}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lenken åpner" in page
    assert STREAM_URL not in page
    assert JoinLink.objects.get(pk=link.pk).join_count == 0


@pytest.mark.django_db
def test_it_names_the_day_and_zone_of_the_opening_in_the_visitors_language(client):
    from datetime import UTC, datetime

    session = _session_now(timezone="Europe/Oslo")
    _registration, link = _registered(session)
    _move(session, datetime(2030, 12, 5, 9, 0, tzinfo=UTC))  # opens 15 minutes before: 09:45 Oslo time

    page = client.get(f"/join/{link.token}/").content.decode()
    assert "Lenken åpner torsdag 5. desember 2030 kl. 09:45 (norsk tid)." in page

    client.cookies["django_language"] = "en"
    page = client.get(f"/join/{link.token}/").content.decode()
    assert "The link opens on Thursday 5 December 2030 at 09:45 (Norwegian time)." in page


@pytest.mark.django_db
def test_it_says_the_session_has_ended(client):
    session = _session_now()
    _registration, link = _registered(session)
    _move(session, timezone.now() - timedelta(hours=2))
    page = client.get(f"/join/{link.token}/").content.decode()
    assert "Webinaret er avsluttet." in page
    assert STREAM_URL not in page


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["waitlisted", "cancelled", "pending", "revoked", "session_cancelled"])
def test_it_never_redirects_a_link_that_is_not_good(client, state):
    session = _session_now(capacity=1)
    _registered(session)
    if state == "waitlisted":
        _registration, link = _registered(session)
        expected = "Du står på ventelisten (nummer 1)."
    elif state == "pending":
        registration = services.registration_create(
            offering=session.offering, name="Gjest", email="gjest@example.no", language="nb", answers={}
        )
        link = registration.join_links.get()
        expected = "Du må bekrefte påmeldingen"
    else:
        session.offering.capacity = 5
        session.offering.save(update_fields=["capacity"])
        registration, link = _registered(session)
        if state == "cancelled":
            services.registration_cancel(registration=registration)
            expected = "Påmeldingen er avmeldt"
        elif state == "revoked":
            JoinLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
            expected = "Denne lenken er ikke lenger gyldig."
        else:
            session.status = Status.CANCELLED
            session.save()
            expected = "Webinaret er avlyst."
    _move(session, timezone.now() + timedelta(minutes=5))
    response = client.get(f"/join/{link.token}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert expected in page
    assert STREAM_URL not in page
    assert JoinLink.objects.get(pk=link.pk).join_count == 0


@pytest.mark.django_db
def test_it_gives_404_for_an_unknown_or_foreign_token(client):
    session = _session_now()
    _registered(session)
    response = client.get("/join/" + "A" * 43 + "/")
    assert response.status_code == 404
    assert STREAM_URL not in response.content.decode()


@pytest.mark.django_db
def test_join_tokens_are_unguessable():
    session = _session_now(capacity=None)
    tokens = [_registered(session)[1].token for _ in range(5)]
    assert len(set(tokens)) == 5
    # token_urlsafe(32): 43 characters of base64url, 256 bits.
    assert all(len(token) >= 43 for token in tokens)


@pytest.mark.django_db
def test_the_stream_url_appears_in_no_page_or_notification(client, participant, organiser_a, office_a):
    session = SessionFactory(organisation=office_a, capacity=1)
    registration, link = _registered(session, user=participant)
    guest = services.registration_create(
        offering=session.offering, name="Gjest", email="gjest@example.no", language="nb", answers={}
    )
    services.registration_confirm_optin(token=guest.optin_token)
    urls = [
        f"/webinarer/{session.slug}/pamelding/",
        f"/pamelding/{registration.manage_token}/",
        f"/pamelding/avmeld/{registration.manage_token}/",
        f"/pamelding/bekreft/{guest.optin_token}/",
        f"/join/{link.token}/",
        "/mine-pameldinger/",
    ]
    client.force_login(participant)
    for url in urls:
        assert STREAM_URL not in client.get(url, follow=True).content.decode(), url
    client.force_login(organiser_a)
    for url in [
        f"/arbeidsrom/webinarer/{session.pk}/pameldinger/",
        f"/arbeidsrom/webinarer/{session.pk}/pameldinger.csv",
        f"/arbeidsrom/webinarer/{session.pk}/sporsmal/",
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert STREAM_URL not in response.content.decode("utf-8-sig"), url
    services.registration_cancel(registration=registration)
    for notification in Notification.objects.all():
        assert STREAM_URL not in str(notification.payload)
    assert Registration.objects.filter(status="confirmed").count() == 1
