from datetime import timedelta

import icalendar
import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.tests.factories import UserFactory
from registrations import services
from registrations.models import Notification, Registration
from registrations.tests.factories import workflow_kinds
from webinars import services as session_services
from webinars.models import Status
from webinars.tests.factories import STREAM_URL, SessionFactory, course_with_sessions


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _url(session):
    return f"/webinarer/{session.slug}/pamelding/"


def _guest_data(**overrides):
    return {"name": "Ola Nordmann", "email": "ola@example.no", "consent": "on", **overrides}


@pytest.mark.django_db
def test_it_registers_a_signed_in_participant_in_one_step(client, participant):
    session = SessionFactory(capacity=5)
    client.force_login(participant)
    page = client.get(_url(session)).content.decode()
    assert "Meld meg på" in page
    assert 'name="email"' not in page
    response = client.post(_url(session))
    assert response.status_code == 302
    assert response["Location"] == _url(session) + "?pameldt=1"
    page = client.get(response["Location"]).content.decode()
    # A first registration confirms; it never says "already registered".
    assert "Du er allerede registrert" not in page
    assert '<h2 class="h4">Du er påmeldt</h2>' in page
    assert f"Vi har sendt en bekreftelse med kalenderinvitasjonen til {participant.email}." in page
    registration = Registration.objects.get(offering=session.offering)
    token = registration.join_links.get().token
    assert f'href="/join/{token}/"' in page
    # Add to calendar: Google, Outlook and the .ics, each pointing at the personal join link.
    assert "https://calendar.google.com/calendar/render?" in page
    assert "https://outlook.office.com/calendar/0/deeplink/compose?" in page
    assert f'href="/join/{token}/kalender.ics"' in page
    ics = client.get(f"/join/{token}/kalender.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    [event] = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(event["URL"]).endswith(f"/join/{token}/") and STREAM_URL not in ics.content.decode()
    # Coming back later: the page shows the registration, without the confirmation.
    page = client.get(_url(session)).content.decode()
    assert "Din påmelding" in page and "Vi har sendt" not in page
    assert STREAM_URL not in page
    assert workflow_kinds(registration) == [Notification.Kind.CONFIRMED]


@pytest.mark.django_db
def test_it_shows_the_waitlist_message_when_full(client, participant):
    session = SessionFactory(capacity=1)
    services.registration_create(
        offering=session.offering, user=UserFactory(), name="A", email="a@example.no", language="nb", answers={}
    )
    client.force_login(participant)
    page = client.get(_url(session)).content.decode()
    assert "Webinaret er fullt." in page
    assert "Sett meg på venteliste" in page and "Meld meg på" not in page
    assert "1 venter" not in page and "0 venter" in page
    client.post(_url(session))
    page = client.get(_url(session)).content.decode()
    assert "Du står på ventelisten som nummer 1." in page
    assert "/join/" not in page


@pytest.mark.django_db
def test_it_asks_guests_for_name_email_and_consent_and_writes_nothing_without_consent(client):
    session = SessionFactory()
    page = client.get(_url(session)).content.decode()
    for field in ('name="name"', 'name="email"', 'name="consent"'):
        assert field in page
    response = client.post(_url(session), _guest_data(consent=""))
    assert response.status_code == 200
    assert "Feltet er påkrevet." in response.content.decode()
    assert Registration.objects.count() == 0
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_it_sends_a_guest_to_check_their_email(client):
    session = SessionFactory()
    response = client.post(_url(session), _guest_data(), follow=True)
    assert response.redirect_chain == [("/pamelding/sjekk-e-post/", 302)]
    page = response.content.decode()
    assert "Sjekk e-posten din" in page
    assert "ola@example.no" in page
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.PENDING
    assert registration.name == "Ola Nordmann"
    assert workflow_kinds(registration) == [Notification.Kind.OPTIN]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, reason",
    [
        ({"status": Status.CANCELLED}, "Arrangementet er avlyst."),
        ({"starts_at": timezone.now() - timedelta(minutes=1)}, "Arrangementet har allerede startet."),
        ({"registration_closes_at": timezone.now() - timedelta(hours=1)}, "Påmeldingen er stengt."),
        ({"registration_opens_at": timezone.now() + timedelta(hours=1)}, "Påmeldingen har ikke åpnet ennå."),
    ],
)
def test_it_says_why_registration_is_closed_and_writes_nothing(client, change, reason):
    session = SessionFactory(**change)
    page = client.get(_url(session)).content.decode()
    assert reason in page
    assert '<form method="post" novalidate' not in page
    response = client.post(_url(session), _guest_data())
    assert reason in response.content.decode()
    assert Registration.objects.count() == 0
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_it_hides_drafts_and_sends_course_sessions_to_the_course(client):
    assert client.get(_url(SessionFactory(status=Status.DRAFT))).status_code == 404
    course = course_with_sessions(2)
    session = course.offering.sessions_in_order().first()
    response = client.get(_url(session))
    assert response.status_code == 302
    assert response["Location"] == f"/kurs/{course.slug}/pamelding/"
    page = client.get(f"/kurs/{course.slug}/pamelding/").content.decode()
    assert "Påmeldingen gjelder alle øktene i kurset." in page


@pytest.mark.django_db
def test_it_registers_for_a_course_through_its_page(client, participant):
    course = course_with_sessions(3)
    client.force_login(participant)
    assert client.post(f"/kurs/{course.slug}/pamelding/").status_code == 302
    registration = Registration.objects.get(offering=course.offering)
    page = client.get(f"/kurs/{course.slug}/pamelding/").content.decode()
    assert page.count('">Bli med:') == 3
    assert registration.join_links.count() == 3


@pytest.mark.django_db
def test_it_confirms_an_optin_only_by_post(client):
    session = SessionFactory()
    registration = services.registration_create(
        offering=session.offering, name="Gjest", email="gjest@example.no", language="nb", answers={}
    )
    url = f"/pamelding/bekreft/{registration.optin_token}/"
    page = client.get(url).content.decode()
    assert "Bekreft påmeldingen" in page
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(f"/pamelding/{registration.manage_token}/", 302)]
    page = response.content.decode()
    assert "Du er påmeldt." in page
    assert f"/join/{registration.join_links.get().token}/" in page
    # A second click lands on the same page.
    assert client.get(url)["Location"] == f"/pamelding/{registration.manage_token}/"


@pytest.mark.django_db
def test_it_says_an_optin_link_expired(client):
    session = SessionFactory()
    registration = services.registration_create(
        offering=session.offering, name="Gjest", email="gjest@example.no", language="nb", answers={}
    )
    Registration.objects.filter(pk=registration.pk).update(optin_expires_at=timezone.now() - timedelta(minutes=1))
    url = f"/pamelding/bekreft/{registration.optin_token}/"
    assert "Lenken er utløpt" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 410
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.PENDING
    assert client.get("/pamelding/bekreft/ukjent/").status_code == 404


@pytest.mark.django_db
def test_it_cancels_from_the_signed_link_only_by_post_and_twice_is_harmless(client, participant):
    session = SessionFactory()
    registration = services.registration_create(
        offering=session.offering, user=participant, name="Kari", email=participant.email, language="nb", answers={}
    )
    url = f"/pamelding/avmeld/{registration.manage_token}/"
    assert "Vil du melde deg av" in client.get(url).content.decode()
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CONFIRMED
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CANCELLED
    assert Notification.objects.filter(registration=registration, kind=Notification.Kind.CANCELLED).count() == 1
    assert "Du er allerede meldt av" in client.get(url).content.decode()
    assert client.get("/pamelding/avmeld/ukjent/").status_code == 404


@pytest.mark.django_db
def test_it_lists_my_registrations_with_status_position_links_and_cancel(client, participant):
    assert client.get("/mine-pameldinger/")["Location"].startswith("/konto/login/")
    full = SessionFactory(capacity=1, title="Fullt webinar")
    services.registration_create(
        offering=full.offering, user=UserFactory(), name="A", email="a@e.no", language="nb", answers={}
    )
    waiting = services.registration_create(
        offering=full.offering, user=participant, name="Kari", email=participant.email, language="nb", answers={}
    )
    open_session = SessionFactory(title="Åpent webinar")
    seated = services.registration_create(
        offering=open_session.offering,
        user=participant,
        name="Kari",
        email=participant.email,
        language="nb",
        answers={},
    )
    past = SessionFactory(title="Gammelt webinar")
    old = services.registration_create(
        offering=past.offering, user=participant, name="Kari", email=participant.email, language="nb", answers={}
    )
    past.starts_at = timezone.now() - timedelta(days=3)
    past.ends_at = past.starts_at + timedelta(hours=1)
    past.save()
    client.force_login(participant)
    page = client.get("/mine-pameldinger/").content.decode()
    upcoming, earlier = page.split("Tidligere og avmeldte")
    assert "Fullt webinar" in upcoming and "Åpent webinar" in upcoming
    assert "Gammelt webinar" in earlier
    assert "Du står på ventelisten som nummer 1." in upcoming
    assert f"/join/{seated.join_links.get().token}/" in upcoming
    assert f"/pamelding/avmeld/{waiting.manage_token}/" in upcoming
    assert f"/pamelding/avmeld/{seated.manage_token}/" in upcoming
    assert old.manage_token not in upcoming
    response = client.post(f"/pamelding/avmeld/{seated.manage_token}/", {"next": "mine"}, follow=True)
    assert response.redirect_chain[-1][0] == "/mine-pameldinger/"
    assert "Du er meldt av «Åpent webinar»." in response.content.decode()


@pytest.mark.django_db
def test_my_registrations_queries_do_not_grow_with_rows(client, participant, django_assert_num_queries):
    client.force_login(participant)
    for _ in range(2):
        services.registration_create(
            offering=SessionFactory().offering,
            user=participant,
            name="K",
            email=participant.email,
            language="nb",
            answers={},
        )

    def count():
        # user (the login session comes from the cache), registrations (with positions, their
        # offerings and courses), join links with their sessions (a moved one carries its old
        # time), the offerings' sessions (a webinar's page is its session's); plus the layout's
        # organiser check
        with django_assert_num_queries(5):
            client.get("/mine-pameldinger/")

    count()
    for _ in range(4):
        services.registration_create(
            offering=SessionFactory().offering,
            user=participant,
            name="K",
            email=participant.email,
            language="nb",
            answers={},
        )
    count()


@pytest.mark.django_db
def test_it_rate_limits_guests_per_email_with_429_and_writes_nothing(client, settings):
    settings.GUEST_RATE_LIMIT_PER_EMAIL = 2
    sessions = [SessionFactory() for _ in range(3)]
    for session in sessions[:2]:
        assert client.post(_url(session), _guest_data()).status_code == 302
    response = client.post(_url(sessions[2]), _guest_data(email="OLA@example.no"))
    assert response.status_code == 429
    assert "For mange påmeldinger" in response.content.decode()
    assert Registration.objects.filter(offering=sessions[2].offering).count() == 0


@pytest.mark.django_db
def test_it_rate_limits_guests_per_ip(client, settings):
    settings.GUEST_RATE_LIMIT_PER_IP = 2
    session = SessionFactory()
    for n in range(2):
        assert client.post(_url(session), _guest_data(email=f"p{n}@example.no")).status_code == 302
    assert client.post(_url(session), _guest_data(email="p9@example.no")).status_code == 429
    assert Registration.objects.count() == 2
    # Another address's requests are counted separately.
    assert client.post(_url(session), _guest_data(email="p9@example.no"), REMOTE_ADDR="10.0.0.9").status_code == 302


@pytest.mark.django_db
def test_it_shows_pages_in_english(client):
    session = SessionFactory()
    client.cookies["django_language"] = "en"
    page = client.get(_url(session), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Register me" in page
    assert "I agree that my name and email address are stored" in page
    assert "Meld meg på" not in page


@pytest.mark.django_db
def test_a_cancelled_webinar_looks_cancelled_everywhere_a_registration_shows(client, participant):

    session = SessionFactory(capacity=1)
    registration = services.registration_create(
        offering=session.offering, user=participant, name="", email=participant.email, language="nb", answers={}
    )
    guest = services.registration_create(
        offering=session.offering, user=None, name="Gjest", email="gjest@example.no", language="nb", answers={}
    )
    services.registration_confirm_optin(token=guest.optin_token)
    guest.refresh_from_db()
    assert guest.status == Registration.Status.WAITLISTED
    session_services.session_cancel(session=session)
    client.force_login(participant)

    page = client.get("/mine-pameldinger/").content.decode()
    upcoming, earlier = page.split("Tidligere og avmeldte")
    assert session.title not in upcoming, "a cancelled offering is not upcoming"
    assert session.title in earlier and "Avlyst" in earlier
    assert "Bli med" not in page

    manage = client.get(f"/pamelding/{guest.manage_token}/").content.decode()
    assert "avlyst av arrangøren" in manage
    assert "ventelisten" not in manage and "Du får plass automatisk" not in manage
    assert "Gå av ventelisten" not in manage and "Meld meg av" not in manage
    assert "Registrert på" not in manage and "Påmeldingen gjelder Gjest (gjest@example.no)." in manage

    own = client.get(f"/pamelding/{registration.manage_token}/").content.decode()
    assert "avlyst av arrangøren" in own and "Bli med" not in own and "Meld meg av" not in own
    assert "Påmeldingen gjelder " + participant.email in own

    join = client.get(f"/join/{guest.join_links.get().token}/").content.decode()
    assert "Webinaret er avlyst." in join and "ventelisten" not in join
    cancel = client.get(f"/pamelding/avmeld/{guest.manage_token}/").content.decode()
    assert "er avlyst av arrangøren" in cancel and "Ja, meld meg av" not in cancel


@pytest.mark.django_db
def test_a_moved_session_shows_its_old_time_struck_through(client, participant):

    session = SessionFactory()
    services.registration_create(
        offering=session.offering, user=participant, name="K", email=participant.email, language="nb", answers={}
    )
    start = session.starts_at + timedelta(days=2)
    session_services.session_reschedule(session=session, starts_at=start, ends_at=start + timedelta(hours=1))
    client.force_login(participant)

    page = client.get("/mine-pameldinger/").content.decode()

    assert "flyttet" in page and "<s " in page


@pytest.mark.django_db
def test_cancelling_a_course_asks_first_and_names_every_session(client, participant):
    course = course_with_sessions(3)
    registration = services.registration_create(
        offering=course.offering, user=participant, name="K", email=participant.email, language="nb", answers={}
    )
    client.force_login(participant)

    page = client.get(f"/pamelding/{registration.manage_token}/").content.decode()
    assert f'href="/pamelding/avmeld/{registration.manage_token}/"' in page, "the button asks first"
    confirm = client.get(f"/pamelding/avmeld/{registration.manage_token}/").content.decode()
    assert "alle kursets 3 deler" in confirm
    for session in course.offering.sessions.all():
        assert session.title in confirm
    assert "Ja, meld meg av hele kurset" in confirm
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
