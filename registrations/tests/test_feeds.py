"""Calendar feeds and the single-session download, as calendar apps parse them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from registrations import services
from registrations.tests.mailkit import both_parsers
from webinars.models import Status
from webinars.tests.factories import STREAM_URL, SessionFactory, course_with_sessions

pytestmark = pytest.mark.django_db


def register(session_or_course, user):
    return services.registration_create(
        offering=session_or_course.offering,
        user=user,
        name=user.display_name,
        email=user.email,
        language="nb",
        answers={},
    )


def get_ics(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert STREAM_URL.encode() not in response.content
    return response, *both_parsers(response.content)


def test_the_session_download_is_a_public_event_without_personal_links(client, office_a):
    session = SessionFactory(organisation=office_a, title="Booking 101", slug="booking-101")

    response, calendar, parsed = get_ics(client, "/webinarer/booking-101/kalender.ics")

    assert 'attachment; filename="booking-101.ics"' == response["Content-Disposition"]
    assert parsed["method"] == "PUBLISH"
    [event] = parsed["events"]
    assert event["summary"] == "Booking 101"
    assert event["start_utc"] and event["start_unix"] == int(session.starts_at.timestamp())
    assert event["url"] == "http://127.0.0.1:8000/webinarer/booking-101/"
    assert "/join/" not in response.content.decode()


def test_a_draft_session_has_no_download(client, office_a):
    SessionFactory(organisation=office_a, slug="utkast", status=Status.DRAFT)
    assert client.get("/webinarer/utkast/kalender.ics").status_code == 404


def test_the_office_feed_lists_only_that_office(client, office_a, office_b):
    SessionFactory(organisation=office_a, title="Fra A")
    SessionFactory(organisation=office_b, title="Fra B")
    SessionFactory(organisation=office_a, title="Utkast", status=Status.DRAFT)

    _, calendar, parsed = get_ics(client, "/organisasjoner/office-a/kalender.ics")

    assert [e["summary"] for e in parsed["events"]] == ["Fra A"]
    assert str(calendar["X-WR-CALNAME"]) == "Webinarer fra Kontor A"


def test_the_catalogue_feed_lists_every_office_and_marks_cancelled_sessions(client, office_a, office_b):
    SessionFactory(organisation=office_a, title="Fra A")
    SessionFactory(organisation=office_b, title="Fra B", status=Status.CANCELLED)
    SessionFactory(organisation=office_b, title="Gammel", starts_at=timezone.now() - timedelta(days=90))

    _, _, parsed = get_ics(client, "/webinarer/kalender.ics")

    assert {e["summary"]: e["status"] for e in parsed["events"]} == {"Fra A": "CONFIRMED", "Fra B": "CANCELLED"}


def test_the_personal_feed_has_my_confirmed_sessions_with_my_join_links(client, participant, office_a):
    session = SessionFactory(organisation=office_a, title="Mitt webinar")
    course = course_with_sessions(2, organisation=office_a)
    SessionFactory(organisation=office_a, title="Ikke mitt")
    registration = register(session, participant)
    register(course, participant)
    client.force_login(participant)
    client.post("/mine-pameldinger/kalender/ny-lenke/")
    participant.refresh_from_db()
    client.logout()

    _, _, parsed = get_ics(client, f"/kalender/{participant.calendar_token}.ics")

    assert len(parsed["events"]) == 3
    assert parsed["events"][0]["summary"] == "Mitt webinar"
    # A course session names the course, as its invites do.
    parts = [s.title for s in course.offering.sessions_in_order()]
    assert [e["summary"] for e in parsed["events"][1:]] == [f"{course.title} – {title}" for title in parts]
    assert parsed["events"][0]["url"] == f"http://127.0.0.1:8000/join/{registration.join_links.get().token}/"
    assert len({e["uid"] for e in parsed["events"]}) == 3


@pytest.mark.parametrize(
    "language, name", [("nb", "Mine webinarer – Musikkhjemmekontoret"), ("en", "My webinars – Musikkhjemmekontoret")]
)
def test_the_personal_feed_is_named_in_its_owners_language(client, participant, language, name):
    participant.preferred_language = language
    participant.calendar_token = "k" * 43
    participant.save()

    # A calendar app asks with its own Accept-Language, or none at all.
    other = "nb" if language == "en" else "en"
    response = client.get(f"/kalender/{participant.calendar_token}.ics", HTTP_ACCEPT_LANGUAGE=other)
    calendar, _ = both_parsers(response.content)

    assert str(calendar["X-WR-CALNAME"]) == name


def test_the_personal_feed_is_a_fixed_number_of_queries(client, participant, office_a, django_assert_num_queries):
    participant.calendar_token = "t" * 43
    participant.save()

    def feed():
        with django_assert_num_queries(4):
            # 1 the user by token, 2 registrations with their offerings,
            # 3 the offerings' sessions, 4 the join links
            client.get(f"/kalender/{'t' * 43}.ics")

    register(SessionFactory(organisation=office_a), participant)
    register(course_with_sessions(1, organisation=office_a), participant)
    feed()
    for _ in range(3):
        register(SessionFactory(organisation=office_a), participant)
    register(course_with_sessions(3, organisation=office_a), participant)
    feed()


def test_a_new_token_makes_the_old_feed_address_stop_working(client, participant):
    client.force_login(participant)
    client.post("/mine-pameldinger/kalender/ny-lenke/")
    participant.refresh_from_db()
    old = participant.calendar_token
    assert client.get(f"/kalender/{old}.ics").status_code == 200

    client.post("/mine-pameldinger/kalender/ny-lenke/")
    participant.refresh_from_db()

    assert participant.calendar_token != old
    assert client.get(f"/kalender/{old}.ics").status_code == 404
    assert client.get(f"/kalender/{participant.calendar_token}.ics").status_code == 200


def test_regenerating_needs_a_post_and_a_login(client, participant):
    assert client.post("/mine-pameldinger/kalender/ny-lenke/").status_code == 302
    client.force_login(participant)
    assert client.get("/mine-pameldinger/kalender/ny-lenke/").status_code == 405


def test_the_calendar_page_shows_the_webcal_link(client, participant):
    client.force_login(participant)
    client.post("/mine-pameldinger/kalender/ny-lenke/")
    participant.refresh_from_db()
    page = client.get("/mine-pameldinger/kalender/").content.decode()
    assert f'href="webcal://testserver/kalender/{participant.calendar_token}.ics"' in page


def test_an_unknown_token_is_404(client):
    assert client.get("/kalender/ukjent-token-som-er-langt-nok.ics").status_code == 404


def test_a_course_session_names_the_course_wherever_it_stands_alone(client, participant, office_a):
    course = course_with_sessions(1, organisation=office_a, title="Økonomi for selvstendige musikere")
    session = course.offering.sessions.get()
    session.title, session.slug = "Del 1: Budsjett", "del-1-budsjett"
    session.save()
    full = "Økonomi for selvstendige musikere – Del 1: Budsjett"

    # The public download and feeds.
    _, _, parsed = get_ics(client, "/webinarer/del-1-budsjett/kalender.ics")
    assert [e["summary"] for e in parsed["events"]] == [full]
    _, _, parsed = get_ics(client, "/webinarer/kalender.ics")
    assert [e["summary"] for e in parsed["events"]] == [full]
    # The session page's add-to-calendar links.
    html = client.get("/webinarer/del-1-budsjett/").content.decode()
    assert "text=%C3%98konomi+for+selvstendige+musikere+%E2%80%93+Del+1%3A+Budsjett" in html
    # The personal join link's page and its download.
    registration = register(course, participant)
    token = registration.join_links.get().token
    assert f"<h1>{full}</h1>" in client.get(f"/join/{token}/").content.decode()
    _, _, parsed = get_ics(client, f"/join/{token}/kalender.ics")
    assert [e["summary"] for e in parsed["events"]] == [full]
