"""Who sees what: anonymous, signed-in, registrant and organiser personas, and the
promise that a registrants-only recording's video URL reaches nobody else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from library.models import Resource
from library.tests.factories import PastSessionFactory, RecordingFactory, ResourceFactory
from registrations.models import Registration
from registrations.tests.factories import RegistrationFactory
from webinars.tests.factories import course_session

SECRET = "https://www.youtube.com/watch?v=GatedVideo1"
SECRET_ID = "GatedVideo1"


@pytest.fixture
def gated(office_a):
    session = PastSessionFactory(organisation=office_a, title="Skatt for musikere")
    recording = RecordingFactory(
        organisation=office_a,
        session=session,
        title="Opptak: skatt for musikere",
        slug="opptak-skatt",
        video_url=SECRET,
        transcript="Hemmelig transkripsjon",
        visibility=Resource.Visibility.REGISTRANTS,
    )
    return recording


PAGES = [
    "/ressursbank/",
    "/ressursbank/?q=skatt",
    "/ressursbank/?type=recording",
    "/ressursbank/opptak-skatt/",
    "/ressursbank/opptak-skatt/?spill=1",
    "/aktuelt/",
    "/aktuelt/feed/",
    "/",
]


def assert_no_secret(client):
    for url in PAGES:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        text = body.decode()
        assert SECRET_ID not in text, url
        assert "Hemmelig transkripsjon" not in text, url


def test_an_anonymous_visitor_sees_only_a_notice_and_never_the_video(client, gated):
    response = client.get("/ressursbank/opptak-skatt/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Opptak: skatt for musikere" in html
    assert "bare for dem som var påmeldt «Skatt for musikere»" in html
    assert "Logg inn for å se den" in html
    assert_no_secret(client)


def test_a_signed_in_non_registrant_cannot_see_the_video(client, gated, participant):
    client.force_login(participant)
    assert client.get("/ressursbank/opptak-skatt/").status_code == 403
    assert "Opptak: skatt for musikere" not in client.get("/ressursbank/").content.decode()
    assert_no_secret(client)


def test_an_organiser_of_another_office_cannot_see_the_video(client, gated, organiser_b):
    client.force_login(organiser_b)
    assert client.get("/ressursbank/opptak-skatt/").status_code == 403
    assert_no_secret(client)


def test_cancelled_and_waitlisted_registrants_cannot_see_the_video(client, gated, participant):
    RegistrationFactory(session=gated.session, user=participant, email=participant.email, status="cancelled")
    client.force_login(participant)
    assert client.get("/ressursbank/opptak-skatt/").status_code == 403
    Registration.objects.update(status=Registration.Status.WAITLISTED)
    assert client.get("/ressursbank/opptak-skatt/").status_code == 403
    assert_no_secret(client)


def test_a_confirmed_registrant_watches_the_recording(client, gated, participant):
    RegistrationFactory(session=gated.session, user=participant, email=participant.email)
    client.force_login(participant)
    page = client.get("/ressursbank/opptak-skatt/").content.decode()
    assert "Last inn og spill av videoen" in page
    assert SECRET in page  # the plain link to the provider
    player = client.get("/ressursbank/opptak-skatt/?spill=1").content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/GatedVideo1"' in player
    assert "Opptak: skatt for musikere" in client.get("/ressursbank/?type=recording").content.decode()


def test_a_registrant_matched_by_email_from_a_guest_registration_sees_it(client, gated, participant):
    RegistrationFactory(session=gated.session, user=None, email=participant.email.upper())
    client.force_login(participant)
    assert client.get("/ressursbank/opptak-skatt/").status_code == 200


def test_the_player_loads_only_after_a_click(client, office_a):
    RecordingFactory(organisation=office_a, slug="aapent", video_url="https://vimeo.com/76979871")
    page = client.get("/ressursbank/aapent/").content.decode()
    assert "<iframe" not in page
    assert 'href="?spill=1#video"' in page
    player = client.get("/ressursbank/aapent/?spill=1").content.decode()
    assert 'src="https://player.vimeo.com/video/76979871?dnt=1"' in player


def test_a_registrant_of_the_course_sees_a_recording_of_one_of_its_sessions(client, gated, participant):
    link = course_session(session=gated.session, course__organisation=gated.organisation)
    RegistrationFactory(offering=link.course.offering, user=participant, email=participant.email)
    client.force_login(participant)
    assert client.get("/ressursbank/opptak-skatt/").status_code == 200


def test_a_resource_gated_on_a_course_opens_for_its_registrants(client, office_a, participant):
    link = course_session(course__organisation=office_a)
    ResourceFactory(
        organisation=office_a, slug="kursnotat", course=link.course, visibility=Resource.Visibility.REGISTRANTS
    )
    client.force_login(participant)
    assert client.get("/ressursbank/kursnotat/").status_code == 403
    RegistrationFactory(offering=link.course.offering, user=participant, email=participant.email)
    assert client.get("/ressursbank/kursnotat/").status_code == 200


def test_the_organisers_of_the_office_see_it(client, gated, organiser_a):
    client.force_login(organiser_a)
    page = client.get("/ressursbank/opptak-skatt/").content.decode()
    assert SECRET in page
    assert "Rediger i arbeidsrommet" in page


def test_signed_in_resources_need_a_login(client, office_a, participant):
    ResourceFactory(organisation=office_a, slug="for-innloggede", title="For innloggede", visibility="signed_in")
    assert client.get("/ressursbank/for-innloggede/").status_code == 403
    assert "For innloggede" not in client.get("/ressursbank/").content.decode()
    client.force_login(participant)
    assert client.get("/ressursbank/for-innloggede/").status_code == 200
    assert "For innloggede" in client.get("/ressursbank/").content.decode()
    # Aktuelt and its feed carry public resources only.
    assert "For innloggede" not in client.get("/aktuelt/").content.decode()


def test_drafts_are_404_for_everyone_but_the_office(client, office_a, organiser_a, organiser_b, participant):
    ResourceFactory(organisation=office_a, slug="utkast", title="Et utkast", status="draft", published_at=None)
    assert client.get("/ressursbank/utkast/").status_code == 404
    for user in (participant, organiser_b):
        client.force_login(user)
        assert client.get("/ressursbank/utkast/").status_code == 404
    client.force_login(organiser_a)
    response = client.get("/ressursbank/utkast/")
    assert response.status_code == 200
    assert "Utkast: bare arrangørene" in response.content.decode()
    assert "Et utkast" not in client.get("/ressursbank/").content.decode()


def test_aktuelt_lists_the_latest_published_or_reviewed_and_feeds_it(client, office_a):
    now = timezone.now()
    ResourceFactory(
        organisation=office_a,
        title="Gammel men gjennomgått",
        published_at=now - timedelta(days=60),
        reviewed_at=now - timedelta(hours=1),
    )
    ResourceFactory(organisation=office_a, title="Ny i går", published_at=now - timedelta(days=1))
    ResourceFactory(organisation=office_a, title="Gammel", published_at=now - timedelta(days=90))
    html = client.get("/aktuelt/").content.decode()
    assert html.index("Gammel men gjennomgått") < html.index("Ny i går") < html.index("Gammel</a>")
    feed = client.get("/aktuelt/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    from xml.etree import ElementTree

    root = ElementTree.fromstring(feed.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)] == [
        "Gammel men gjennomgått",
        "Ny i går",
        "Gammel",
    ]


def test_the_page_shows_the_last_reviewed_date(client, office_a):
    ResourceFactory(
        organisation=office_a, slug="sjekket", reviewed_at=timezone.make_aware(timezone.datetime(2026, 3, 14, 12, 0))
    )
    html = client.get("/ressursbank/sjekket/").content.decode()
    assert "Sist gjennomgått" in html and "14. mars 2026" in html


def test_a_link_points_to_the_partner(client, office_a):
    from accounts.tests.factories import OrganisationFactory

    partner = OrganisationFactory(slug="gramart", name="Gramart", short_name="Gramart", kind="partner")
    ResourceFactory(
        organisation=office_a, slug="lenke", kind="link", url="https://gramart.example.no/hjelp", partner=partner
    )
    html = client.get("/ressursbank/lenke/").content.decode()
    assert 'href="https://gramart.example.no/hjelp"' in html
    assert "Gå til Gramart" in html
    assert 'href="/organisasjoner/gramart/"' in html
