"""The catalogue (cards on /webinarer/, /webinarer/arkiv/ and /kurs/, the session page and the
course page) and the organiser's registration list show an offering's real state — cancelled,
moved with the old time struck through, ended, full with the waitlist's length — and, for a
signed-in registrant, their own state with a link to their registration; they offer only the
actions that still make sense. The shared (anonymous) cache never carries anyone's own state."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from registrations import services
from registrations.models import Registration
from registrations.tests.factories import RegistrationFactory
from webinars import services as webinar_services
from webinars.tests.factories import SessionFactory, course_with_sessions

pytestmark = pytest.mark.django_db


def register(offering, user):
    return services.registration_create(
        offering=offering, user=user, name=user.display_name, email=user.email, language="nb", answers={}
    )


def full_with_waitlist(offering, waiting: int) -> None:
    offering.capacity = 1
    offering.save(update_fields=["capacity"])
    register(offering, UserFactory())
    for _ in range(waiting):
        register(offering, UserFactory())


def card(html: str, title: str) -> str:
    match = re.search(rf"<article[^>]*>(?:(?!</article>).)*?{re.escape(title)}.*?</article>", html, re.S)
    assert match, title
    return match.group(0)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_full_webinar_says_so_with_its_waitlist_and_offers_the_waitlist(client, office_a):
    session = SessionFactory(organisation=office_a, title="Fullt webinar", slug="fullt")
    full_with_waitlist(session.offering, 2)

    listed = text(card(client.get("/webinarer/").content.decode(), "Fullt webinar"))
    assert "Fullt – 2 på ventelisten" in listed
    page = client.get("/webinarer/fullt/").content.decode()
    assert "Fullt – 2 på ventelisten" in text(page)
    assert "Sett meg på venteliste" in page and "Meld deg på<" not in page


def test_a_moved_webinar_strikes_its_old_time_through(client, office_a):
    session = SessionFactory(organisation=office_a, title="Flyttet webinar", slug="flyttet")
    webinar_services.session_reschedule(
        session=session, starts_at=session.starts_at + timedelta(days=1), ends_at=session.ends_at + timedelta(days=1)
    )
    for html in (
        card(client.get("/webinarer/").content.decode(), "Flyttet webinar"),
        client.get("/webinarer/flyttet/").content.decode(),
    ):
        assert re.search(r'flyttet</span> <s class="text-body-secondary">[^<]+</s> →', html), html


def test_a_cancelled_or_ended_offering_offers_no_registration(client, office_a):
    cancelled = SessionFactory(organisation=office_a, slug="avlyst")
    webinar_services.session_cancel(session=cancelled)
    ended = SessionFactory(
        organisation=office_a, slug="ferdig", title="Ferdig webinar", starts_at=timezone.now() - timedelta(days=2)
    )

    page = client.get("/webinarer/avlyst/").content.decode()
    assert 'data-offering-state="cancelled"' in page and "/pamelding/" not in page
    page = client.get("/webinarer/ferdig/").content.decode()
    assert 'data-offering-state="ended"' in page and "Avsluttet" in page and "/pamelding/" not in page
    assert "Avsluttet" in text(card(client.get("/webinarer/arkiv/").content.decode(), "Ferdig webinar"))
    assert ended.state == "ended"


def test_a_signed_in_registrant_sees_their_own_state_and_nobody_else_does(client, office_a, participant):
    mine = SessionFactory(organisation=office_a, title="Mitt webinar", slug="mitt")
    waiting = SessionFactory(organisation=office_a, title="Venter på plass", slug="venter")
    registration = register(mine.offering, participant)
    full_with_waitlist(waiting.offering, 2)
    place = register(waiting.offering, participant)
    assert place.status == Registration.Status.WAITLISTED

    anonymous = client.get("/webinarer/").content.decode()  # fills the shared cache
    assert "Du er påmeldt" not in anonymous and "my-registration" not in anonymous

    client.force_login(participant)
    html = client.get("/webinarer/").content.decode()
    assert "Du er påmeldt" in text(card(html, "Mitt webinar"))
    assert f"/pamelding/{registration.manage_token}/" in card(html, "Mitt webinar")
    assert "Nr. 3 på ventelisten" in text(card(html, "Venter på plass"))
    page = client.get("/webinarer/mitt/").content.decode()
    assert "Du er påmeldt" in text(page) and f"/pamelding/{registration.manage_token}/" in page
    assert "/webinarer/mitt/pamelding/" not in page  # registered: no second "Meld deg på"

    client.logout()
    for path in ("/webinarer/", "/webinarer/mitt/"):
        html = client.get(path).content.decode()
        assert "Du er påmeldt" not in html and registration.manage_token not in html


def test_the_course_card_and_page_show_the_course_state_and_mine(client, office_a, participant):
    course = course_with_sessions(2, organisation=office_a, title="Fullt kurs")
    full_with_waitlist(course.offering, 1)
    register(course.offering, participant)

    assert "Fullt – 2 på ventelisten" in text(card(client.get("/kurs/").content.decode(), "Fullt kurs"))
    page = client.get(f"/kurs/{course.slug}/").content.decode()
    assert "Sett meg på venteliste" in page and "Meld deg på kurset" not in page

    client.force_login(participant)
    page = text(client.get(f"/kurs/{course.slug}/").content.decode())
    assert "Nr. 2 på ventelisten" in page and "Sett meg på venteliste" not in page
    # A session of the course names the registration too.
    session = course.offering.sessions_in_order().first()
    assert "Nr. 2 på ventelisten" in text(client.get(f"/webinarer/{session.slug}/").content.decode())


def test_the_english_pages_say_the_same(client, office_a, participant):
    session = SessionFactory(organisation=office_a, title="Fullt webinar", slug="fullt")
    full_with_waitlist(session.offering, 1)
    register(session.offering, participant)
    client.cookies["django_language"] = "en"
    assert "Full – 2 on the waiting list" in text(client.get("/webinarer/fullt/").content.decode())
    client.force_login(participant)
    page = text(client.get("/webinarer/fullt/").content.decode())
    assert "No. 2 on the waiting list" in page and "See your registration" in page


def test_the_organisers_list_shows_the_offerings_state(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a)
    webinar_services.session_reschedule(
        session=session, starts_at=session.starts_at + timedelta(hours=2), ends_at=session.ends_at + timedelta(hours=2)
    )
    full_with_waitlist(session.offering, 3)
    client.force_login(organiser_a)
    url = f"/arbeidsrom/webinarer/{session.pk}/pameldinger/"
    page = client.get(url).content.decode()
    assert "Fullt – 3 på ventelisten" in text(page) and "<s " in page
    webinar_services.session_cancel(session=session)
    assert 'data-offering-state="cancelled"' in client.get(url).content.decode()


@pytest.mark.parametrize("count", [2, 12])
def test_the_signed_in_catalogue_runs_a_fixed_number_of_queries(
    client, office_a, participant, count, django_assert_num_queries
):
    for _ in range(count):
        session = SessionFactory(organisation=office_a, capacity=1)
        RegistrationFactory(offering=session.offering)
        RegistrationFactory(offering=session.offering, status=Registration.Status.WAITLISTED)
        register(session.offering, participant)
    client.force_login(participant)
    # the user, 1 count for the paginator, 2 the page of sessions, 3 their topics, 4 their
    # audiences, 5 the waitlists' lengths, 6 the visitor's registrations with their places,
    # the organiser check (a signed-in page), 7 offices, 8 topics, 9 audiences (filter
    # choices), the layout's organiser check
    with django_assert_num_queries(12):
        response = client.get("/webinarer/")
    assert text(response.content.decode()).count("på ventelisten") == count * 2
