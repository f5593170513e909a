"""No dead ends: a role page ("who are you") shows upcoming webinars and courses for that
audience, and a recording names the webinar it recorded, on its page and on its card."""

from datetime import timedelta

import pytest
from django.utils import timezone

from library.tests.factories import PastSessionFactory, RecordingFactory, ResourceFactory
from webinars.models import Status
from webinars.tests.factories import AudienceFactory, CourseFactory, SessionFactory, course_with_sessions


def role_section(html: str) -> str:
    return html.split('class="mt-4 role-events"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def frilanser(db):
    return AudienceFactory(slug="frilanser", name="Frilanser", name_en="Freelancer")


def test_a_role_page_shows_upcoming_webinars_and_courses_for_that_audience(client, office_a, frilanser):
    other = AudienceFactory(slug="arrangor", name="Arrangør")
    ResourceFactory(organisation=office_a, title="Veileder for frilansere").audiences.add(frilanser)
    SessionFactory(organisation=office_a, title="Skatt for frilansere", audiences=[frilanser])
    SessionFactory(organisation=office_a, title="Utkastwebinaret", audiences=[frilanser], status=Status.DRAFT)
    SessionFactory(organisation=office_a, title="Avlyst webinar", audiences=[frilanser], status=Status.CANCELLED)
    SessionFactory(
        organisation=office_a,
        title="Webinaret som var",
        audiences=[frilanser],
        starts_at=timezone.now() - timedelta(days=2),
    )
    SessionFactory(organisation=office_a, title="For arrangører", audiences=[other])
    course = course_with_sessions(2, organisation=office_a, title="Frilanskurset")
    course.audiences.add(frilanser)
    cancelled = course_with_sessions(2, organisation=office_a, title="Avlyst kurs", status=Status.CANCELLED)
    cancelled.audiences.add(frilanser)
    draft = course_with_sessions(2, organisation=office_a, title="Kurs i utkast", status=Status.DRAFT)
    draft.audiences.add(frilanser)
    past = CourseFactory(organisation=office_a, title="Kurset som var")
    past.audiences.add(frilanser)
    SessionFactory(organisation=office_a, offering=past.offering, starts_at=timezone.now() - timedelta(days=9))

    html = client.get("/ressursbank/?malgruppe=frilanser").content.decode()
    assert "Veileder for frilansere" in html
    section = role_section(html)
    assert "Kommende webinarer og kurs for Frilanser" in section
    assert "Skatt for frilansere" in section
    assert "Frilanskurset" in section
    for hidden in [
        "Utkastwebinaret",
        "Avlyst webinar",
        "Webinaret som var",
        "For arrangører",
        "Avlyst kurs",
        "Kurs i utkast",
        "Kurset som var",
    ]:
        assert hidden not in html
    assert 'href="/webinarer/?malgruppe=frilanser"' in section
    assert 'href="/kurs/?malgruppe=frilanser"' in section
    assert f'href="{course.get_absolute_url()}"' in section


def test_a_role_page_without_events_says_so_and_leads_on(client, office_a, frilanser):
    html = client.get("/ressursbank/?malgruppe=frilanser").content.decode()
    section = role_section(html)
    assert "Ingen kommende webinarer eller kurs for Frilanser akkurat nå." in section
    assert 'href="/webinarer/"' in section


def test_the_unfiltered_library_has_no_role_section(client, office_a, frilanser):
    SessionFactory(organisation=office_a, title="Skatt for frilansere", audiences=[frilanser])
    html = client.get("/ressursbank/").content.decode()
    assert "role-events" not in html
    assert "Skatt for frilansere" not in html


def test_a_role_page_is_translated(client, office_a, frilanser):
    SessionFactory(organisation=office_a, title="Skatt for frilansere", audiences=[frilanser])
    client.cookies["django_language"] = "en"
    html = client.get("/ressursbank/?malgruppe=frilanser").content.decode()
    assert "Upcoming webinars and courses for Freelancer" in html
    assert "All webinars for Freelancer" in html


@pytest.mark.parametrize("rows", [1, 8])
def test_a_role_page_uses_a_fixed_number_of_queries(client, office_a, frilanser, django_assert_num_queries, rows):
    for _ in range(rows):
        ResourceFactory(organisation=office_a).audiences.add(frilanser)
        recorded = PastSessionFactory(organisation=office_a)
        RecordingFactory(organisation=office_a, session=recorded).audiences.add(frilanser)
        SessionFactory(organisation=office_a, audiences=[frilanser])
        course_with_sessions(1, organisation=office_a).audiences.add(frilanser)
    # the library's seven (topics, audiences, offices, count, page, its topics, its audiences)
    # plus the role's webinars and courses; recordings' webinars come with the page
    with django_assert_num_queries(9):
        response = client.get("/ressursbank/?malgruppe=frilanser")
    section = role_section(response.content.decode())
    assert section.count("<li><a href=") == min(rows, 3) * 2


def test_a_recording_page_names_and_links_its_webinar_with_the_date(client, office_a):
    session = PastSessionFactory(organisation=office_a, title="Strømming i praksis")
    recording = RecordingFactory(organisation=office_a, session=session, title="Opptaket av strømming")
    html = client.get(recording.get_absolute_url()).content.decode()
    assert "Opptak fra webinaret" in html
    assert f'<a href="{session.get_absolute_url()}">Strømming i praksis</a>' in html
    assert f'<time datetime="{timezone.localtime(session.starts_at).isoformat()}">' in html


def test_a_recording_card_in_the_list_names_its_webinar(client, office_a):
    session = PastSessionFactory(organisation=office_a, title="Strømming i praksis")
    RecordingFactory(organisation=office_a, session=session, title="Opptaket av strømming")
    html = client.get("/ressursbank/").content.decode()
    card = html.split("Opptaket av strømming", 1)[1].split("</li>", 1)[0]
    assert "Opptak fra webinaret" in card
    assert f'<a href="{session.get_absolute_url()}">Strømming i praksis</a>' in card


def test_a_draft_webinar_is_not_named_on_its_recording(client, office_a):
    session = PastSessionFactory(organisation=office_a, title="Hemmelig utkast", status=Status.DRAFT)
    recording = RecordingFactory(organisation=office_a, session=session)
    assert "Hemmelig utkast" not in client.get(recording.get_absolute_url()).content.decode()
    assert "Hemmelig utkast" not in client.get("/ressursbank/").content.decode()
