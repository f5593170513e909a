"""An office's own privacy note per offering (issue 15): written in the webinar's or the
course's form (plain text, Bokmål and English), shown beside the consent on the registration
form and on the privacy notice reached from that offering, which names the office as the
controller."""

import pytest
from django.utils import translation

from webinars.models import Course, Offering, Session, Status
from webinars.tests.factories import CourseFactory, SessionFactory
from webinars.tests.test_timezones import form_data

pytestmark = pytest.mark.django_db

NOTE = "Svarene brukes bare til å sette opp rommet.\r\n\r\n\r\nSpør Liv\u202e i resepsjonen\x00."
NOTE_EN = "We use the answers only to set up the room."


def test_an_organiser_writes_the_note_in_the_webinar_form_as_plain_text(client, organiser_a, office_a):
    client.force_login(organiser_a)
    data = form_data(office_a, title="Personvern i praksis", privacy_note=NOTE, privacy_note_en=NOTE_EN)
    assert client.post("/arbeidsrom/webinarer/ny/", data).status_code == 302
    offering = Session.objects.get().offering
    # Control characters and the bidirectional override are gone, line breaks kept (one empty line).
    assert offering.privacy_note == "Svarene brukes bare til å sette opp rommet.\n\nSpør Liv i resepsjonen."
    assert offering.privacy_note_en == NOTE_EN

    form = client.get(f"/arbeidsrom/webinarer/{offering.sessions.get().pk}/endre/").content.decode()
    assert "Kontorets personvernmerknad" in form and NOTE_EN in form

    too_long = form_data(office_a, title="For lang", privacy_note="x" * 1001)
    page = client.post("/arbeidsrom/webinarer/ny/", too_long).content.decode()
    assert "Sørg for at denne verdien har 1000 eller færre tegn (den har nå 1001)." in page
    assert Offering.objects.count() == 1


def test_an_organiser_writes_the_note_in_the_course_form(client, organiser_a, office_a):
    client.force_login(organiser_a)
    data = {"organisation": office_a.pk, "title": "Kurs med merknad", "slug": "", "language": "nb", "capacity": ""}
    client.post("/arbeidsrom/kurs/ny/", {**data, "privacy_note": "Kurset filmes ikke."})
    course = Course.objects.get()
    assert course.offering.privacy_note == "Kurset filmes ikke."
    edited = {**data, "slug": course.slug, "privacy_note": "", "privacy_note_en": "Not filmed."}
    assert client.post(f"/arbeidsrom/kurs/{course.pk}/endre/", edited).status_code == 302
    course.offering.refresh_from_db()
    assert (course.offering.privacy_note, course.offering.privacy_note_en) == ("", "Not filmed.")


def test_the_note_stands_beside_the_consent_and_leads_to_the_offerings_notice(client, office_a):
    session = SessionFactory(organisation=office_a, title="Opphavsrett", capacity=10)
    Offering.objects.filter(pk=session.offering_id).update(
        privacy_note="Vi deler ikke lista med andre.\nSpør oss gjerne.", privacy_note_en=NOTE_EN
    )
    page = client.get(f"/webinarer/{session.slug}/pamelding/").content.decode()
    consent = page.index('name="consent"')
    note = page.index("Fra Musikkontor A om personvern")
    assert consent < note < page.index('type="submit" class="btn btn-primary"')
    assert "Vi deler ikke lista med andre.<br>Spør oss gjerne." in page
    link = f'href="/personvern/?tilbud={session.offering_id}#tilbud"'
    assert link in page

    notice = client.get(f"/personvern/?tilbud={session.offering_id}").content.decode()
    assert "Påmeldingen til «Opphavsrett»" in notice
    assert "Musikkontor A arrangerer dette og er behandlingsansvarlig for påmeldingene til det" in notice
    assert f'href="mailto:{office_a.contact_email}"' in notice
    assert "Vi deler ikke lista med andre.<br>Spør oss gjerne." in notice
    assert f'href="/webinarer/{session.slug}/"' in notice

    # In English: the English note.
    with translation.override("en"):
        english = client.get(f"/personvern/?tilbud={session.offering_id}", HTTP_ACCEPT_LANGUAGE="en")
    assert NOTE_EN in english.content.decode()


def test_a_course_without_a_note_still_names_its_office(client, office_a):
    course = CourseFactory(organisation=office_a, title="Låtskriving")
    notice = client.get(f"/personvern/?tilbud={course.offering_id}").content.decode()
    assert "Påmeldingen til «Låtskriving»" in notice
    assert "om personvern</h3>" not in notice


@pytest.mark.parametrize("value", ["abc", "-1", "99999999", "1" * 40, "²"])
def test_a_bad_or_unknown_offering_gives_the_general_notice(client, value):
    response = client.get("/personvern/", {"tilbud": value})
    assert response.status_code == 200
    assert 'id="tilbud"' not in response.content.decode()


def test_a_draft_offering_is_not_shown_on_the_notice(client, office_a):
    session = SessionFactory(organisation=office_a, status=Status.DRAFT, title="Hemmelig utkast")
    Offering.objects.filter(pk=session.offering_id).update(status=Status.DRAFT, privacy_note="Utkastets merknad")
    page = client.get("/personvern/", {"tilbud": session.offering_id}).content.decode()
    assert "Hemmelig utkast" not in page and "Utkastets merknad" not in page
