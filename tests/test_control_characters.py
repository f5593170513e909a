"""Names and one-line texts typed anywhere keep no control characters (issue 11, item 14):
sign-up, the admin's user form, organisers' titles, speakers, performers, question labels and
message subjects are stripped of them; a guest's name with them is refused."""

import pytest

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from accounts.text import plain_line
from library.models import Contributor, Resource
from library.tests.factories import RecordingFactory
from registrations.models import Message, Question, Registration
from webinars.models import Course, Session
from webinars.tests.factories import SessionFactory
from webinars.tests.test_timezones import form_data

pytestmark = pytest.mark.django_db

DIRTY = "Kari\x07 \u202eNordmann\x1b[31m\r\n\x85"
CLEAN = "Kari Nordmann[31m"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (DIRTY, CLEAN),
        ("Ola\tNordmann", "Ola Nordmann"),
        ("Åse\u2028Ørnsø", "Åse Ørnsø"),
        ("\x00\x01", ""),
        ("Zoë 🎻 Ørn", "Zoë 🎻 Ørn"),
    ],
)
def test_plain_line(typed, kept):
    assert plain_line(typed) == kept


def test_sign_up_strips_the_display_name(client):
    response = client.post(
        "/konto/signup/",
        {"email": "ny@example.no", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD, "display_name": DIRTY},
    )
    assert response.status_code == 302
    assert User.objects.get(email="ny@example.no").display_name == CLEAN


def test_the_admin_user_form_strips_the_display_name(client, participant):
    client.force_login(UserFactory(email="drift@example.no", is_staff=True, is_superuser=True))
    response = client.post(
        f"/admin/accounts/user/{participant.pk}/change/",
        {
            "email": participant.email,
            "display_name": DIRTY,
            "preferred_language": "nb",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    participant.refresh_from_db()
    assert participant.display_name == CLEAN


def test_a_guests_name_with_a_direction_override_is_refused(client):
    session = SessionFactory()
    response = client.post(
        f"/webinarer/{session.slug}/pamelding/",
        {"name": "Kari \u202egnp.exe", "email": "kari@example.no", "consent": "on"},
    )
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_organiser_forms_strip_titles_speakers_and_labels(client, organiser_a, office_a):
    client.force_login(organiser_a)
    # One speaker per line, so the name here has no line break.
    data = form_data(office_a, title=DIRTY, speakers="Kari\x07 \u202eNordmann\x1b | Bio\x07 med\u202e tegn")
    assert client.post("/arbeidsrom/webinarer/ny/", data).status_code == 302
    session = Session.objects.get()
    assert session.title == CLEAN
    assert [(s.name, s.bio) for s in session.speakers.all()] == [("Kari Nordmann", "Bio med tegn")]

    client.post(f"/arbeidsrom/webinarer/{session.pk}/sporsmal/", {"kind": "text", "label": DIRTY, "position": "0"})
    assert Question.objects.get().label == CLEAN

    client.post(f"/arbeidsrom/webinarer/{session.pk}/dupliser/", {"title": DIRTY, "starts_on": "2027-02-01"})
    assert Session.objects.filter(title=CLEAN).count() == 2

    client.post("/arbeidsrom/kurs/ny/", {"organisation": office_a.pk, "title": DIRTY, "slug": "", "language": "nb"})
    assert Course.objects.get().title == CLEAN


def test_a_title_of_nothing_but_control_characters_is_refused(client, organiser_a, office_a):
    client.force_login(organiser_a)
    response = client.post("/arbeidsrom/webinarer/ny/", form_data(office_a, title="\x07\u202e\x1b"))
    assert response.status_code == 200
    assert not Session.objects.exists()


def test_message_subjects_and_performers_are_stripped(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a)
    client.force_login(organiser_a)
    client.post(
        f"/arbeidsrom/webinarer/{session.pk}/meldinger/",
        {"audience": "confirmed", "subject": DIRTY, "body": "Hei", "action": "send"},
    )
    assert Message.objects.get().subject == CLEAN

    recording = RecordingFactory(organisation=office_a, status=Resource.Status.DRAFT)
    prefix = "medvirkende"
    client.post(
        f"/arbeidsrom/ressurser/{recording.pk}/samtykke/",
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-name": DIRTY,
            f"{prefix}-0-role": "performer",
            f"{prefix}-0-consent": "given",
        },
    )
    assert Contributor.objects.get().name == CLEAN
