import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.services import course_cancel, course_publish, course_sessions_set
from registrations.tests.factories import RegistrationFactory
from webinars import signals
from webinars.models import Course, Session, Status
from webinars.tests.factories import CourseFactory, SessionFactory, TopicFactory, course_session

pytestmark = pytest.mark.django_db


def test_the_course_list_shows_published_upcoming_courses(client, office_a):
    course_session(course__organisation=office_a, course__title="Plateskolen")
    course_session(course__organisation=office_a, course__title="Kladd-kurset", course__status=Status.DRAFT)
    course_session(
        course__organisation=office_a,
        course__title="Ferdig kurs",
        session__starts_at=timezone.now() - timedelta(days=9),
    )
    html = client.get("/kurs/").content.decode()
    assert "Plateskolen" in html
    assert "Kladd-kurset" not in html and "Ferdig kurs" not in html


def test_the_course_list_filters_by_topic_and_text(client, office_a):
    topic = TopicFactory(slug="utgivelse")
    first = course_session(course__organisation=office_a, course__title="Plateskolen").course
    first.topics.add(topic)
    course_session(course__organisation=office_a, course__title="Skattekurs")
    html = client.get("/kurs/?tema=utgivelse").content.decode()
    assert "Plateskolen" in html and "Skattekurs" not in html
    html = client.get("/kurs/?q=skatt").content.decode()
    assert "Skattekurs" in html and "Plateskolen" not in html


def test_the_course_page_shows_every_session_with_its_date(client, office_a):
    course = CourseFactory(organisation=office_a, title="Økonomikurset", capacity=20)
    start = timezone.now() + timedelta(days=10)
    for n, title in enumerate(["Del 1: Oppstart", "Del 2: Skatt", "Del 3: Trygd"]):
        course_session(
            course=course,
            position=n,
            session__organisation=office_a,
            session__title=title,
            session__starts_at=start + timedelta(days=7 * n),
        )
    RegistrationFactory(offering=course.offering, email="a@example.no", status="confirmed")
    html = client.get(f"/kurs/{course.slug}/").content.decode()
    assert html.index("Del 1: Oppstart") < html.index("Del 2: Skatt") < html.index("Del 3: Trygd")
    assert html.count('data-zone="Europe/Oslo"') >= 3
    assert "(norsk tid)" in html
    assert "19 ledige plasser" in html


def test_draft_courses_have_no_public_page_but_a_preview_for_their_organiser(
    client, organiser_a, organiser_b, office_a
):
    course = course_session(course__organisation=office_a, course__status=Status.DRAFT).course
    assert client.get(f"/kurs/{course.slug}/").status_code == 404
    client.force_login(organiser_b)
    assert client.get(f"/arbeidsrom/kurs/{course.pk}/").status_code == 404
    assert client.get(f"/arbeidsrom/kurs/{course.pk}/endre/").status_code == 404
    assert client.get(f"/arbeidsrom/kurs/{course.pk}/okter/").status_code == 404
    assert client.post(f"/arbeidsrom/kurs/{course.pk}/publiser/").status_code == 404
    assert client.post(f"/arbeidsrom/kurs/{course.pk}/avlys/").status_code == 404
    assert client.get(f"/arbeidsrom/kurs/{course.pk}/avlys/").status_code == 404
    assert client.get(f"/arbeidsrom/kurs/{course.pk}/oversikt/").status_code == 404
    client.force_login(organiser_a)
    assert "Forhåndsvisning" in client.get(f"/arbeidsrom/kurs/{course.pk}/").content.decode()


def test_participants_and_anonymous_visitors_cannot_reach_the_course_workspace(client, participant, office_a):
    course = CourseFactory(organisation=office_a)
    assert client.get(f"/arbeidsrom/kurs/{course.pk}/endre/").status_code == 302
    client.force_login(participant)
    assert client.get("/arbeidsrom/kurs/ny/").status_code == 404
    assert client.get(f"/arbeidsrom/kurs/{course.pk}/endre/").status_code == 404


def test_an_organiser_builds_orders_and_publishes_a_course(client, organiser_a, office_a):
    client.force_login(organiser_a)
    start = timezone.now() + timedelta(days=5)
    first = SessionFactory(organisation=office_a, title="Første", status=Status.DRAFT, starts_at=start)
    second = SessionFactory(
        organisation=office_a, title="Andre", status=Status.DRAFT, starts_at=start + timedelta(days=1)
    )
    response = client.post(
        "/arbeidsrom/kurs/ny/",
        {"organisation": office_a.pk, "title": "Nytt kurs", "slug": "", "language": "nb", "capacity": "12"},
    )
    course = Course.objects.get(title="Nytt kurs")
    assert response["Location"] == f"/arbeidsrom/kurs/{course.pk}/okter/"
    client.post(
        f"/arbeidsrom/kurs/{course.pk}/okter/",
        {"session": [first.pk, second.pk], f"position_{first.pk}": "2", f"position_{second.pk}": "1"},
    )
    assert [session.title for session in course.offering.sessions.order_by("position")] == ["Andre", "Første"]
    client.post(f"/arbeidsrom/kurs/{course.pk}/publiser/")
    course.refresh_from_db()
    first.refresh_from_db()
    assert course.status == Status.PUBLISHED and first.status == Status.PUBLISHED
    client.logout()
    html = client.get(f"/kurs/{course.slug}/").content.decode()
    assert html.index("Andre") < html.index("Første")


def test_course_sessions_set_sends_added_and_removed(office_a):
    course = CourseFactory(organisation=office_a)
    a, b, c = (SessionFactory(organisation=office_a) for _ in range(3))
    calls = []

    def receive(sender, **kwargs):
        calls.append(kwargs)

    signals.offering_sessions_changed.connect(receive)
    try:
        course_sessions_set(course=course, sessions=[a, b])
        course_sessions_set(course=course, sessions=[c, a])
    finally:
        signals.offering_sessions_changed.disconnect(receive)
    assert calls[0]["offering"] == course.offering
    assert calls[1]["added"] == [c] and calls[1]["removed"] == [b]
    assert list(course.offering.sessions.order_by("position")) == [c, a]
    b.refresh_from_db()
    assert b.status == Status.DRAFT  # taken out of a published course, it does not go public alone
    assert b.course is None and b.offering.status == Status.DRAFT  # a webinar of its own again


def test_course_sessions_set_refuses_other_offices_and_other_courses(office_a, office_b):
    course = CourseFactory(organisation=office_a)
    foreign = SessionFactory(organisation=office_b)
    with pytest.raises(ValidationError, match="tilhører et annet kontor"):
        course_sessions_set(course=course, sessions=[foreign])
    taken = course_session(course__organisation=office_a, session__organisation=office_a).session
    with pytest.raises(ValidationError, match="allerede med i et annet kurs"):
        course_sessions_set(course=course, sessions=[taken])


def test_cancelling_a_course_cancels_its_sessions_and_bumps_revisions(client, organiser_a, office_a):
    course = CourseFactory(organisation=office_a)
    links = [course_session(course=course, session__organisation=office_a) for _ in range(2)]
    calls = []

    def receive(sender, **kwargs):
        calls.append(kwargs)

    signals.offering_cancelled.connect(receive)
    try:
        client.force_login(organiser_a)
        client.post(f"/arbeidsrom/kurs/{course.pk}/avlys/")
    finally:
        signals.offering_cancelled.disconnect(receive)
    course.refresh_from_db()
    assert course.status == Status.CANCELLED and course.offering.revision == 1
    assert calls[0]["offering"].pk == course.offering_id
    for link in links:
        session = Session.objects.get(pk=link.session.pk)
        assert session.status == Status.CANCELLED and session.revision == 1
    assert course_cancel(course=course).offering.revision == 1  # twice is harmless
    assert len(calls) == 1


def test_a_course_without_sessions_cannot_be_published(office_a):
    course = CourseFactory(organisation=office_a, status=Status.DRAFT)
    with pytest.raises(ValidationError):
        course_publish(course=course)


def test_course_capacity_cannot_go_below_confirmed(client, organiser_a, office_a):
    course = CourseFactory(organisation=office_a, capacity=5)
    for n in range(3):
        RegistrationFactory(offering=course.offering, email=f"p{n}@example.no", status="confirmed")
    client.force_login(organiser_a)
    data = {"organisation": office_a.pk, "title": course.title, "slug": course.slug, "language": "nb", "capacity": "2"}
    html = client.post(f"/arbeidsrom/kurs/{course.pk}/endre/", data).content.decode()
    assert "Det er allerede 3 påmeldte" in html
    course.refresh_from_db()
    assert course.capacity == 5


def make_courses(count: int, office) -> Course:
    topic = TopicFactory()
    courses = []
    for _n in range(count):
        course = CourseFactory(organisation=office, capacity=30)
        course.topics.add(topic)
        for position in range(3):
            course_session(course=course, position=position, session__organisation=office)
        RegistrationFactory(offering=course.offering)  # seats left come with the offering's row
        courses.append(course)
    return courses[0]


@pytest.mark.parametrize("count", [1, 25])
def test_the_course_list_runs_a_fixed_number_of_queries(client, office_a, count, django_assert_num_queries):
    make_courses(count, office_a)
    # 1 count for the paginator, 2 offices, 3 topics, 4 audiences (filter choices), 5 the page
    # of courses with their schedule, offering (seats taken) and office, 6 their topics,
    # 7 their audiences.
    with django_assert_num_queries(7):
        response = client.get("/kurs/")
    assert response.status_code == 200
    assert "29 ledige plasser" in response.content.decode()


@pytest.mark.parametrize("count", [1, 12])
def test_the_course_page_runs_a_fixed_number_of_queries(client, office_a, count, django_assert_num_queries):
    course = make_courses(1, office_a)
    for position in range(count):
        course_session(course=course, position=10 + position, session__organisation=office_a)
    # 1 the course with schedule, offering (seats taken) and office, 2 topics, 3 audiences,
    # 4 its sessions in order; the head's share tags (sharing/previews.py, cached like the
    # page): 5 the course with office and offering, 6 its public sessions.
    with django_assert_num_queries(6):
        assert client.get(f"/kurs/{course.slug}/").status_code == 200


def test_every_workspace_action_names_its_webinar_or_course_for_screen_readers(client, organiser_a, office_a):
    SessionFactory(organisation=office_a, title="Utkast om strømming", status=Status.DRAFT)
    CourseFactory(organisation=office_a, title="Plateskolen", status=Status.DRAFT)
    client.force_login(organiser_a)
    html = client.get("/arbeidsrom/").content.decode()
    # What a screen reader announces for each link and button: its text, hidden parts included.
    names = {
        " ".join(unescape(re.sub(r"<[^>]+>", "", inner)).split())
        for inner in re.findall(r"<(?:a|button)\b[^>]*>(.*?)</(?:a|button)>", html, re.S)
    }
    for action in ("Påmeldte, påminnelser og meldinger", "Endre", "Dupliser", "Flytt", "Publiser"):
        assert f"{action} – Utkast om strømming" in names
    for action in ("Påmeldte, påminnelser og meldinger", "Endre", "Økter", "Publiser"):
        assert f"{action} – Plateskolen" in names
    assert "Endre" not in names and "Publiser" not in names
    # Cancelling is on each one's own page, behind a confirmation, not beside the everyday actions.
    assert not [name for name in names if name.startswith("Avlys")]
