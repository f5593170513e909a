"""An offering's workspace page (registrants, questions, reminders, messages, recording with
their counts), the cancel confirmation that says what will happen, and publishing from the
preview (config/offering_workspace.py, webinars/ and courses/ views)."""

import pytest

from library.tests.factories import ResourceFactory
from registrations.models import Message, Notification, Registration
from registrations.tests.factories import QuestionFactory, RegistrationFactory
from webinars.models import Status
from webinars.tests.factories import CourseFactory, SessionFactory, course_with_sessions

pytestmark = pytest.mark.django_db


def test_it_gathers_an_offerings_work_on_one_page_with_counts(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a, title="Royalties i praksis")
    offering = session.offering
    offering.reminder_offsets = [1440, 60]
    offering.save()
    RegistrationFactory.create_batch(3, offering=offering)
    RegistrationFactory(offering=offering, status=Registration.Status.WAITLISTED)
    QuestionFactory(offering=offering, label="Hvilket instrument spiller du?")
    ResourceFactory(organisation=office_a, session=session, kind="recording", title="Opptak: Royalties")
    client.force_login(organiser_a)

    html = client.get(f"/arbeidsrom/webinarer/{session.pk}/oversikt/").content.decode()
    nav = html.split('aria-label="Deler av siden"', 1)[1].split("</nav>", 1)[0]
    for label, count in (("Påmeldte", 4), ("Spørsmål", 1), ("Påminnelser", 2), ("Meldinger", 0), ("Opptak", 1)):
        assert f'{label} <span class="badge text-bg-secondary">{count}</span>' in nav
    assert "Påmeldt: 3" in html and "På venteliste: 1" in html
    assert "Hvilket instrument spiller du?" in html
    assert "Påmeldte får påminnelse 1 døgn, 1 time før start." in html
    assert "Opptak: Royalties" in html
    for page in ("pameldinger/", "sporsmal/", "meldinger/", "paminnelser/"):
        assert f"/arbeidsrom/webinarer/{session.pk}/{page}" in html
    # The destructive action stands apart, at the end, as a link to its confirmation.
    assert html.index('id="avlys"') > html.index('id="opptak"')
    assert f'class="btn btn-outline-danger" href="/arbeidsrom/webinarer/{session.pk}/avlys/"' in html

    workspace = client.get("/arbeidsrom/").content.decode()
    assert f'href="/arbeidsrom/webinarer/{session.pk}/oversikt/"' in workspace


def test_a_courses_page_lists_its_sessions_and_a_sessions_address_leads_to_it(client, organiser_a, office_a):
    course = course_with_sessions(2, organisation=office_a, title="Plateskolen")
    first = course.offering.sessions.order_by("position").first()
    client.force_login(organiser_a)
    html = client.get(f"/arbeidsrom/kurs/{course.pk}/oversikt/").content.decode()
    assert "2 økter" in html and first.title in html
    assert f'href="/arbeidsrom/kurs/{course.pk}/oversikt/"' in client.get("/arbeidsrom/").content.decode()
    response = client.get(f"/arbeidsrom/webinarer/{first.pk}/oversikt/")
    assert response.status_code == 302 and response["Location"] == f"/arbeidsrom/kurs/{course.pk}/oversikt/"


def test_reminders_saved_on_the_page_come_back_to_it(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a)
    client.force_login(organiser_a)
    data = {"next": "overview", "amount_0": "2", "unit_0": "days", "unit_1": "hours", "unit_2": "hours"}
    response = client.post(f"/arbeidsrom/webinarer/{session.pk}/paminnelser/", data)
    assert response["Location"] == f"/arbeidsrom/webinarer/{session.pk}/oversikt/#paminnelser"
    session.offering.refresh_from_db()
    assert session.offering.reminder_offsets == [2880]


def test_other_offices_organisers_and_participants_get_404(client, organiser_b, participant, office_a):
    session = SessionFactory(organisation=office_a)
    course = CourseFactory(organisation=office_a)
    RegistrationFactory(offering=session.offering)
    urls = [
        f"/arbeidsrom/webinarer/{session.pk}/oversikt/",
        f"/arbeidsrom/webinarer/{session.pk}/avlys/",
        f"/arbeidsrom/kurs/{course.pk}/oversikt/",
        f"/arbeidsrom/kurs/{course.pk}/avlys/",
    ]
    for user in (organiser_b, participant):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.post(url).status_code == 404, url
    session.refresh_from_db()
    course.offering.refresh_from_db()
    assert session.status == Status.PUBLISHED and course.offering.status != Status.CANCELLED
    assert not Notification.objects.filter(kind=Notification.Kind.SESSION_CANCELLED).exists()


def test_the_cancel_page_says_what_will_happen_and_only_its_post_cancels(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a, title="Låtskriving")
    RegistrationFactory.create_batch(12, offering=session.offering)
    RegistrationFactory.create_batch(2, offering=session.offering, status=Registration.Status.WAITLISTED)
    client.force_login(organiser_a)

    html = client.get(f"/arbeidsrom/webinarer/{session.pk}/avlys/").content.decode()
    assert "Avlys «Låtskriving»?" in html
    assert "12 påmeldte får avlysning og fjernes fra kalenderen." in html
    assert "2 på venteliste får beskjed om avlysningen." in html
    assert "Avlysningen kan ikke angres." in html
    assert '<button type="submit" class="btn btn-danger">Avlys webinaret</button>' in html
    session.refresh_from_db()
    assert session.status == Status.PUBLISHED  # looking changes nothing

    response = client.post(f"/arbeidsrom/webinarer/{session.pk}/avlys/")
    assert response["Location"] == "/arbeidsrom/"
    session.refresh_from_db()
    assert session.status == Status.CANCELLED and session.offering.status == Status.CANCELLED
    cancellations = Notification.objects.filter(kind=Notification.Kind.SESSION_CANCELLED)
    assert cancellations.count() == 14
    again = client.get(f"/arbeidsrom/webinarer/{session.pk}/avlys/").content.decode()
    assert "Dette er allerede avlyst." in again and "btn-danger" not in again


def test_the_cancel_page_of_one_session_of_a_course_says_the_course_goes_on(client, organiser_a, office_a):
    course = course_with_sessions(3, organisation=office_a)
    RegistrationFactory(offering=course.offering)
    first = course.offering.sessions.order_by("position").first()
    client.force_login(organiser_a)
    html = client.get(f"/arbeidsrom/webinarer/{first.pk}/avlys/").content.decode()
    assert "Bare denne økta avlyses; resten av kurset går som planlagt." in html
    assert "1 påmeldt til kurset får avlysning av økta, og den fjernes fra kalenderen." in html
    whole = client.get(f"/arbeidsrom/kurs/{course.pk}/avlys/").content.decode()
    assert "Kurset og alle de 3 øktene avlyses." in whole
    assert "1 påmeldt får avlysning og fjernes fra kalenderen." in whole


def test_the_preview_publishes_a_draft_webinar_and_comes_back(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a, status=Status.DRAFT, stream_url="", summary="Kort")
    session.offering.status = Status.DRAFT
    session.offering.save()
    client.force_login(organiser_a)
    html = client.get(f"/arbeidsrom/webinarer/{session.pk}/").content.decode()
    assert f'action="/arbeidsrom/webinarer/{session.pk}/publiser/"' in html
    assert "Strømmelenken mangler." in html  # advice, not a blocker

    response = client.post(f"/arbeidsrom/webinarer/{session.pk}/publiser/", {"next": "preview"})
    assert response["Location"] == f"/arbeidsrom/webinarer/{session.pk}/"
    session.refresh_from_db()
    assert session.status == Status.PUBLISHED
    assert "/publiser/" not in client.get(f"/arbeidsrom/webinarer/{session.pk}/").content.decode()


def test_the_preview_says_what_is_missing_when_it_cannot_publish(client, organiser_a, office_a):
    course = CourseFactory(organisation=office_a, status=Status.DRAFT)
    client.force_login(organiser_a)
    html = client.get(f"/arbeidsrom/kurs/{course.pk}/").content.decode()
    assert "Dette mangler før det kan publiseres:" in html
    assert "Legg til minst én økt før kurset publiseres." in html
    assert "/publiser/" not in html
    # A forged POST is refused with the same message and changes nothing.
    response = client.post(f"/arbeidsrom/kurs/{course.pk}/publiser/", {"next": "preview"}, follow=True)
    assert "Legg til minst én økt før kurset publiseres." in response.content.decode()
    course.offering.refresh_from_db()
    assert course.offering.status == Status.DRAFT


def test_messages_are_counted(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a)
    Message.objects.create(offering=session.offering, author=organiser_a, audience="confirmed", subject="Hei", body="x")
    client.force_login(organiser_a)
    html = client.get(f"/arbeidsrom/webinarer/{session.pk}/oversikt/").content.decode()
    assert 'Meldinger <span class="badge text-bg-secondary">1</span>' in html and ">Hei</a>" in html


def test_the_cancel_page_speaks_english_too(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a, title="Songwriting")
    RegistrationFactory.create_batch(12, offering=session.offering)
    client.force_login(organiser_a)
    client.cookies["django_language"] = "en"
    html = client.get(f"/arbeidsrom/webinarer/{session.pk}/avlys/").content.decode()
    assert "Cancel “Songwriting”?" in html
    assert "12 registrants get the cancellation, and it is removed from their calendars." in html
