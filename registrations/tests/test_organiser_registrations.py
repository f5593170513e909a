import csv
import io

import pytest

from accounts.tests.factories import UserFactory
from registrations import services
from registrations.models import Notification, Question, Registration
from registrations.tests.factories import QuestionFactory
from webinars.tests.factories import SessionFactory, course_with_sessions


def _register(registrable, *, name="Kari Nordmann", email=None, answers=None):
    """Register a new user for a webinar (a session) or a course: for its offering."""
    user = UserFactory(email=email) if email else UserFactory()
    return services.registration_create(
        offering=registrable.offering, user=user, name=name, email=user.email, language="nb", answers=answers or {}
    )


@pytest.mark.django_db
def test_it_lists_registrations_with_counts_positions_and_answers(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a, capacity=1)
    question = QuestionFactory(offering=session.offering, label="Hvor hørte du om oss?")
    _register(session, name="Første Person", answers={str(question.pk): "Nyhetsbrev"})
    _register(session, name="Andre Person")
    client.force_login(organiser_a)
    page = client.get(f"/arbeidsrom/webinarer/{session.pk}/pameldinger/").content.decode()
    assert "Første Person" in page and "Andre Person" in page
    assert "Hvor hørte du om oss?" in page
    assert "Nyhetsbrev" in page
    assert '<dd class="col-sm-9" data-count="confirmed">1 / 1</dd>' in page
    assert '<dd class="col-sm-9" data-count="waitlisted">1</dd>' in page
    assert '<td data-label="Plass på ventelisten">1</td>' in page


@pytest.mark.django_db
def test_it_cancels_and_promotes_by_post(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a, capacity=1)
    seated = _register(session)
    waiting = _register(session)
    late = _register(session)
    client.force_login(organiser_a)
    url = f"/arbeidsrom/webinarer/{session.pk}/pameldinger/"
    assert client.post(url, {"action": "cancel", "registration": seated.pk}).status_code == 302
    assert Registration.objects.get(pk=seated.pk).status == "cancelled"
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"
    cancelled = Notification.objects.get(registration=seated, kind=Notification.Kind.CANCELLED)
    assert cancelled.payload["by_organiser"] is True
    assert client.post(url, {"action": "promote", "registration": late.pk}).status_code == 302
    assert Registration.objects.get(pk=late.pk).status == "confirmed"
    response = client.post(url, {"action": "explode", "registration": late.pk}, follow=True)
    assert "Ukjent handling. Ingenting er endret." in response.content.decode()
    assert Registration.objects.get(pk=late.pk).status == "confirmed"
    assert client.post(url, {"action": "cancel", "registration": "abc"}).status_code == 404


@pytest.mark.django_db
def test_it_exports_csv_for_excel_with_answers_and_no_formulas(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a)
    question = QuestionFactory(offering=session.offering, label="Instrument", kind=Question.Kind.TEXT)
    _register(session, name='=HYPERLINK("http://x")', answers={str(question.pk): "@SUM(1)"})
    _register(session, name="Åse Ørnsø", answers={str(question.pk): "Fiolin; bratsj"})
    client.force_login(organiser_a)
    response = client.get(f"/arbeidsrom/webinarer/{session.pk}/pameldinger.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="pameldinger-{session.slug}.csv"'
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Navn", "E-post", "Status"]
    assert "Instrument" in rows[0]
    by_name = {row[0]: row for row in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in by_name
    assert "'@SUM(1)" in by_name['\'=HYPERLINK("http://x")']
    assert "Fiolin; bratsj" in by_name["Åse Ørnsø"]
    assert by_name["Åse Ørnsø"][2] == "Påmeldt"


@pytest.mark.django_db
def test_another_office_gets_404_on_lists_exports_and_actions(client, organiser_b, office_a):
    session = SessionFactory(organisation=office_a)
    registration = _register(session)
    course = course_with_sessions(1, organisation=office_a)
    client.force_login(organiser_b)
    for url in [
        f"/arbeidsrom/webinarer/{session.pk}/pameldinger/",
        f"/arbeidsrom/webinarer/{session.pk}/pameldinger.csv",
        f"/arbeidsrom/webinarer/{session.pk}/sporsmal/",
        f"/arbeidsrom/kurs/{course.pk}/pameldinger/",
        f"/arbeidsrom/kurs/{course.pk}/pameldinger.csv",
        f"/arbeidsrom/kurs/{course.pk}/sporsmal/",
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/arbeidsrom/webinarer/{session.pk}/pameldinger/", {"action": "cancel", "registration": registration.pk}
    )
    assert response.status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"


@pytest.mark.django_db
def test_participants_get_404_and_visitors_go_to_login(client, participant, office_a):
    session = SessionFactory(organisation=office_a)
    url = f"/arbeidsrom/webinarer/{session.pk}/pameldinger/"
    assert client.get(url)["Location"].startswith("/konto/login/")
    client.force_login(participant)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_it_lists_course_registrations_with_attendance(client, organiser_a, office_a):
    course = course_with_sessions(2, organisation=office_a)
    registration = _register(course, name="Kursdeltaker")
    link = registration.join_links.first()
    from django.utils import timezone

    link.first_joined_at = timezone.now()
    link.join_count = 1
    link.save()
    client.force_login(organiser_a)
    page = client.get(f"/arbeidsrom/kurs/{course.pk}/pameldinger/").content.decode()
    assert "Kursdeltaker" in page
    assert "1 av 2 økter" in page
    client.cookies["django_language"] = "en"
    assert "1 of 2 sessions" in client.get(f"/arbeidsrom/kurs/{course.pk}/pameldinger/").content.decode()
    rows = client.get(f"/arbeidsrom/kurs/{course.pk}/pameldinger.csv").content.decode("utf-8-sig").splitlines()
    assert rows[1].endswith(";1")


@pytest.mark.django_db
def test_attendance_of_a_one_session_course_is_singular(client, organiser_a, office_a):
    from django.utils import timezone

    course = course_with_sessions(1, organisation=office_a)
    registration = _register(course, name="Kursdeltaker")
    registration.join_links.update(first_joined_at=timezone.now(), join_count=1)
    client.force_login(organiser_a)
    client.cookies["django_language"] = "en"
    page = client.get(f"/arbeidsrom/kurs/{course.pk}/pameldinger/").content.decode()
    assert "1 of 1 session<" in page


@pytest.mark.django_db
def test_the_list_queries_do_not_grow_with_rows(client, organiser_a, office_a, django_assert_num_queries):
    session = SessionFactory(organisation=office_a, capacity=3)
    QuestionFactory(offering=session.offering)
    client.force_login(organiser_a)
    url = f"/arbeidsrom/webinarer/{session.pk}/pameldinger/"

    def check():
        # user (the login session comes from the cache), organiser check (decorator), session
        # (scoped) with its offering, registrations with positions, their join links,
        # questions, the offering's sessions (its state, moved times), the office's last CSV
        # exports (with who took them), the layout's organiser check
        with django_assert_num_queries(9):
            assert client.get(url).status_code == 200

    _register(session)
    check()
    for _ in range(6):
        _register(session)
    check()
