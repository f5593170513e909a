from datetime import time, timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import OrganisationFactory
from registrations.tests.factories import RegistrationFactory
from webinars.models import Status
from webinars.tests.factories import (
    AudienceFactory,
    CourseFactory,
    SessionFactory,
    SpeakerFactory,
    TopicFactory,
    course_session,
)
from webinars.zones import DEFAULT_ZONE, local_to_utc, utc_to_local

pytestmark = pytest.mark.django_db


def titles(response) -> str:
    return response.content.decode()


def in_days(days: int, hours: int = 0):
    return (timezone.now() + timedelta(days=days, hours=hours)).replace(second=0, microsecond=0)


def test_it_lists_upcoming_published_sessions_only(client, office_a):
    SessionFactory(organisation=office_a, title="Publisert økt")
    SessionFactory(organisation=office_a, title="Hemmelig utkast", status=Status.DRAFT)
    SessionFactory(organisation=office_a, title="Avlyst økt", status=Status.CANCELLED)
    SessionFactory(organisation=office_a, title="Gammel økt", starts_at=in_days(-3))
    html = client.get("/webinarer/").content.decode()
    assert "Publisert økt" in html
    assert "Hemmelig utkast" not in html
    assert "Avlyst økt" not in html
    assert "Gammel økt" not in html


def test_it_lists_course_sessions_only_when_the_course_is_published(client, office_a):
    course_session(course__organisation=office_a, course__title="Publisert kurs", session__title="Økt i publisert kurs")
    course_session(course__organisation=office_a, course__status=Status.DRAFT, session__title="Økt i kursutkast")
    html = client.get("/webinarer/").content.decode()
    assert "Økt i publisert kurs" in html and "Publisert kurs" in html
    assert "Økt i kursutkast" not in html


def test_it_filters_by_office_topic_audience_and_language(client, office_a, office_b):
    streaming = TopicFactory(slug="stromming", name="Strømming")
    tax = TopicFactory(slug="skatt-og-trygd", name="Skatt og trygd")
    freelancer = AudienceFactory(slug="frilanser", name="Frilanser")
    SessionFactory(organisation=office_a, title="Strømmeøkonomi", topics=[streaming], audiences=[freelancer])
    SessionFactory(organisation=office_b, title="Skatt for musikere", topics=[tax])
    SessionFactory(organisation=office_b, title="Royalties in English", language="en")

    html = client.get("/webinarer/?kontor=office-a").content.decode()
    assert "Strømmeøkonomi" in html and "Skatt for musikere" not in html

    html = client.get("/webinarer/?tema=skatt-og-trygd").content.decode()
    assert "Skatt for musikere" in html and "Strømmeøkonomi" not in html

    html = client.get("/webinarer/?malgruppe=frilanser").content.decode()
    assert "Strømmeøkonomi" in html and "Skatt for musikere" not in html

    html = client.get("/webinarer/?sprak=en").content.decode()
    assert "Royalties in English" in html and "Strømmeøkonomi" not in html


def test_it_lists_cohosted_sessions_under_the_cohosting_office(client, office_a, office_b):
    session = SessionFactory(organisation=office_a, title="Felles webinar")
    session.cohosts.add(office_b)
    assert "Felles webinar" in client.get("/webinarer/?kontor=office-b").content.decode()


def test_it_filters_by_this_week_this_month_and_date_range(client, office_a):
    today = utc_to_local(timezone.now(), DEFAULT_ZONE).date()
    next_monday = today + timedelta(days=7 - today.weekday())
    SessionFactory(organisation=office_a, title="Tittel-denne-uka", starts_at=timezone.now() + timedelta(minutes=10))
    SessionFactory(
        organisation=office_a,
        title="Tittel-neste-uke",
        starts_at=local_to_utc(next_monday, time(10, 0), DEFAULT_ZONE, 0),
    )
    SessionFactory(organisation=office_a, title="Tittel-om-to-maneder", starts_at=in_days(62))

    html = client.get("/webinarer/?nar=uke").content.decode()
    assert "Tittel-denne-uka" in html
    assert "Tittel-neste-uke" not in html and "Tittel-om-to-maneder" not in html

    html = client.get("/webinarer/?nar=maned").content.decode()
    assert "Tittel-denne-uka" in html and "Tittel-om-to-maneder" not in html

    start = (today + timedelta(days=60)).isoformat()
    end = (today + timedelta(days=64)).isoformat()
    html = client.get(f"/webinarer/?fra={start}&til={end}").content.decode()
    assert "Tittel-om-to-maneder" in html and "Tittel-denne-uka" not in html


def test_it_searches_title_description_and_speakers(client, office_a):
    SessionFactory(organisation=office_a, title="Gi ut musikk selv", description="Om utgivelse uten selskap.")
    other = SessionFactory(organisation=office_a, title="Konsertteknikk", description="Lyd og lys.")
    SpeakerFactory(session=other, name="Åse Kleveland-Testesen")

    html = client.get("/webinarer/?q=utgivelse").content.decode()
    assert "Gi ut musikk selv" in html and "Konsertteknikk" not in html

    html = client.get("/webinarer/?q=kleveland").content.decode()
    assert "Konsertteknikk" in html and "Gi ut musikk selv" not in html


@pytest.mark.postgresql
def test_it_finds_inflected_words_with_norwegian_stemming(client, office_a):
    SessionFactory(organisation=office_a, title="Inntektene dine fra strømming", description="")
    assert "Inntektene dine" in client.get("/webinarer/?q=inntekter").content.decode()


def test_it_paginates_and_keeps_the_filters(client, office_a):
    topic = TopicFactory(slug="inntekt")
    for n in range(25):
        SessionFactory(organisation=office_a, title=f"Økt {n:02d}", starts_at=in_days(1, n), topics=[topic])
    first = client.get("/webinarer/?tema=inntekt").content.decode()
    assert "Økt 00" in first and "Økt 19" in first and "Økt 20" not in first
    assert "tema=inntekt&amp;side=2" in first
    second = client.get("/webinarer/?tema=inntekt&side=2").content.decode()
    assert "Økt 20" in second and "Økt 24" in second and "Økt 00" not in second


def test_bad_filters_show_an_error_instead_of_failing(client, office_a):
    SessionFactory(organisation=office_a, title="Fortsatt synlig")
    response = client.get("/webinarer/?kontor=finnes-ikke&fra=ikke-en-dato&side=999")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fortsatt synlig" in html
    assert "is-invalid" in html


def test_it_shows_seats_left_when_capacity_is_set(client, office_a, committed):
    session = SessionFactory(organisation=office_a, title="Få plasser", capacity=3)
    RegistrationFactory(session=session, email="a@example.no", status="confirmed")
    RegistrationFactory(session=session, email="b@example.no", status="waitlisted")
    assert "2 ledige plasser" in client.get("/webinarer/").content.decode()
    assert "2 ledige plasser" in client.get(f"/webinarer/{session.slug}/").content.decode()
    with committed():
        RegistrationFactory(session=session, email="c@example.no", status="confirmed")
        RegistrationFactory(session=session, email="d@example.no", status="confirmed")
    assert "Fullt" in client.get(f"/webinarer/{session.slug}/").content.decode()


def test_it_shows_times_in_the_session_zone_with_the_zone_named(client, office_a):
    starts_at = local_to_utc(utc_to_local(in_days(5), DEFAULT_ZONE).date(), time(18, 30), DEFAULT_ZONE, 0)
    session = SessionFactory(organisation=office_a, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1))
    html = client.get(f"/webinarer/{session.slug}/").content.decode()
    assert "kl. 18:30–19:30 (norsk tid)" in html
    assert f'datetime="{starts_at.isoformat().replace("+00:00", "Z")}" data-zone="Europe/Oslo"' in html

    london = SessionFactory(
        organisation=office_a, timezone="Europe/London", starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
    )
    html = client.get(f"/webinarer/{london.slug}/").content.decode()
    assert "kl. 17:30–18:30 (Europe/London)" in html


def test_it_shows_the_session_page_in_english(client, office_a):
    session = SessionFactory(organisation=office_a, language="en")
    html = client.get(f"/webinarer/{session.slug}/").content.decode()
    assert "<dd>Engelsk</dd>" in html and ">Google Kalender</a>" in html
    client.cookies["django_language"] = "en"
    html = client.get(f"/webinarer/{session.slug}/").content.decode()
    assert "(Norwegian time)" in html
    assert "Add to calendar" in html
    assert "<dd>English</dd>" in html and ">Google Calendar</a>" in html


def test_the_session_page_has_calendar_links_without_the_stream_url(client, office_a):
    session = SessionFactory(organisation=office_a, stream_url="https://zoom.us/j/5550001111?pwd=topphemmelig")
    html = client.get(f"/webinarer/{session.slug}/").content.decode()
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in html
    assert "https://outlook.office.com/calendar/0/deeplink/compose?" in html
    assert "5550001111" not in html and "topphemmelig" not in html
    assert "Zoom" in html


def test_a_course_session_page_links_to_the_course(client, office_a):
    link = course_session(course__organisation=office_a, course__title="Plateskolen", session__organisation=office_a)
    html = client.get(f"/webinarer/{link.session.slug}/").content.decode()
    assert f'href="/kurs/{link.course.slug}/"' in html
    assert "Plateskolen" in html


def test_drafts_have_no_public_page_but_cancelled_sessions_do(client, office_a):
    draft = SessionFactory(organisation=office_a, status=Status.DRAFT)
    cancelled = SessionFactory(organisation=office_a, status=Status.CANCELLED)
    assert client.get(f"/webinarer/{draft.slug}/").status_code == 404
    response = client.get(f"/webinarer/{cancelled.slug}/")
    assert response.status_code == 200
    assert "Dette webinaret er avlyst" in response.content.decode()
    assert "Meld deg på" not in response.content.decode()


def test_the_archive_lists_past_sessions_newest_first(client, office_a):
    SessionFactory(organisation=office_a, title="Eldst", starts_at=in_days(-20))
    SessionFactory(organisation=office_a, title="Nyest", starts_at=in_days(-2))
    SessionFactory(organisation=office_a, title="Kommer", starts_at=in_days(2))
    html = client.get("/webinarer/arkiv/").content.decode()
    assert "Kommer" not in html
    assert html.index("Nyest") < html.index("Eldst")


def test_the_home_page_shows_next_sessions_and_featured_courses(client, office_a):
    SessionFactory(organisation=office_a, title="Neste webinar på forsiden")
    link = course_session(
        course__organisation=office_a,
        course__title="Fremhevet kurs",
        course__featured=True,
        session__organisation=office_a,
    )
    course_session(course__organisation=office_a, course__title="Vanlig kurs", session__organisation=office_a)
    html = client.get("/").content.decode()
    assert "Neste webinar på forsiden" in html
    featured = html[html.index("Utvalgte kurs") :]
    assert "Fremhevet kurs" in featured and f"/kurs/{link.course.slug}/" in featured
    assert "Vanlig kurs" not in featured


def test_the_office_page_shows_its_upcoming_sessions_and_courses(client, office_a, office_b):
    SessionFactory(organisation=office_a, title="Kontor A sitt webinar")
    SessionFactory(organisation=office_b, title="Kontor B sitt webinar")
    course_session(course__organisation=office_a, course__title="Kontor A sitt kurs", session__organisation=office_a)
    html = client.get("/organisasjoner/office-a/").content.decode()
    assert "Kontor A sitt webinar" in html and "Kontor A sitt kurs" in html
    assert "Kontor B sitt webinar" not in html


def make_sessions(count: int, office) -> None:
    topics = [TopicFactory(slug="fast-tema"), TopicFactory()]
    audience = AudienceFactory()
    for n in range(count):
        session = SessionFactory(
            organisation=office if n % 2 else OrganisationFactory(), capacity=10, topics=topics, audiences=[audience]
        )
        RegistrationFactory(session=session, email=f"a{n}@example.no", status="confirmed")
    course = CourseFactory(organisation=office)
    for _n in range(max(1, count // 5)):
        course_session(course=course, session__organisation=office)


@pytest.mark.parametrize("count", [2, 30])
def test_the_catalogue_runs_a_fixed_number_of_queries(client, office_a, count, django_assert_num_queries):
    make_sessions(count, office_a)
    # 1 count for the paginator, 2 offices, 3 topics, 4 audiences (filter choices),
    # 5 the page of sessions with office, offering (seats taken) and course, 6 their topics,
    # 7 their audiences.
    with django_assert_num_queries(7):
        response = client.get("/webinarer/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 30])
def test_the_filtered_catalogue_runs_a_fixed_number_of_queries(client, office_a, count, django_assert_num_queries):
    make_sessions(count, office_a)
    # 1 office by slug, 2 topic by slug (validating the filter), then as unfiltered: 3 count,
    # 4 offices, 5 topics, 6 audiences, 7 page (with the offerings' seats), 8 topics, 9 audiences
    # of the page.
    with django_assert_num_queries(9):
        response = client.get("/webinarer/?kontor=office-a&tema=fast-tema&q=webinar")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 30])
def test_the_session_page_runs_a_fixed_number_of_queries(client, office_a, count, django_assert_num_queries):
    make_sessions(count, office_a)
    session = SessionFactory(organisation=office_a, capacity=5)
    for _n in range(count):
        SpeakerFactory(session=session)
        session.topics.add(TopicFactory())
    # 1 the session with office, offering (seats taken) and course, 2 topics, 3 audiences,
    # 4 speakers, 5 cohosts; the head's share tags (sharing/previews.py, cached like the page):
    # 6 the session with office, offering and course, 7 its speakers.
    with django_assert_num_queries(7):
        response = client.get(f"/webinarer/{session.slug}/")
    assert response.status_code == 200
