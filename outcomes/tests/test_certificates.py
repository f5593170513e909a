"""Course certificates: who qualifies, the PDF as a reader extracts it (both languages), the
download from "Mine påmeldinger" and from the course's last follow-up email, and the
verification address."""

import io
import re

import pytest
from django.conf import settings
from pypdf import PdfReader

from accounts.tests.factories import UserFactory
from courses.services import course_update
from outcomes.models import Certificate
from outcomes.services import certificate_issue
from outcomes.tests.factories import ended_course
from outcomes.tokens import download_token
from registrations.models import Registration
from registrations.outbox import enqueue, notification_new
from registrations.tests.mailkit import deliver, html_of, text_of

pytestmark = pytest.mark.django_db

NAME = "Åse Ørnulf Særheim"
TITLE = "Låtskriving for øvede: økonomi og rettigheter"


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def download_path(html: str) -> str:
    match = re.search(r'href="(/kursbevis/last-ned/[^"]+)"', html)
    assert match, "no certificate link"
    return match.group(1).replace("&amp;", "&")


@pytest.fixture
def signed_in(client):
    user = UserFactory(email="ase@example.no", display_name=NAME)

    def sign_in(registration):
        Registration.objects.filter(pk=registration.pk).update(user=user)
        client.force_login(user)
        return client

    return sign_in


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "nb",
            ["Kursbevis", "har gjennomført kurset", "arrangert av Musikkontor A", "Omfang: 4,5 timer", "3 av 4 økter"],
        ),
        (
            "en",
            [
                "Course certificate",
                "has completed the course",
                "organised by Musikkontor A",
                "Scope: 4.5 hours",
                "3 of 4 sessions",
            ],
        ),
    ],
)
def test_a_participant_at_the_threshold_downloads_the_certificate_in_their_language(
    client, signed_in, office_a, language, texts
):
    ended = ended_course(organisation=office_a, title=TITLE, sessions=4, attended=3)  # 75 %: just enough
    client = signed_in(ended.registration)
    client.cookies["django_language"] = language
    page = client.get("/mine-pameldinger/").content.decode()
    link_text = "Last ned kursbevis (PDF)" if language == "nb" else "Download course certificate (PDF)"
    assert link_text in page

    response = client.get(download_path(page))
    assert "no-store" in response["Cache-Control"]  # personal data behind a secret link
    text = pdf_text(response)
    for expected in [NAME, *texts]:
        assert expected in text, (expected, text)
    assert "Låtskriving for øvede" in text
    certificate = Certificate.objects.get()
    verify_url = f"{settings.SITE_URL}/kursbevis/{certificate.code}/"
    assert verify_url in text.replace("\n", "")

    # The verification address says it is genuine and what it certifies.
    response = client.get(f"/kursbevis/{certificate.code}/")
    verified = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert NAME in verified and "Låtskriving for øvede" in verified and "Musikkontor A" in verified

    # A second download is the same certificate.
    client.get(download_path(page))
    assert Certificate.objects.count() == 1


def test_below_the_threshold_there_is_no_certificate(client, signed_in, office_a):
    ended = ended_course(organisation=office_a, sessions=4, attended=2)  # 50 %
    client = signed_in(ended.registration)
    assert "kursbevis" not in client.get("/mine-pameldinger/").content.decode().lower()
    response = client.get(f"/kursbevis/last-ned/{download_token(ended.registration.pk)}/")
    assert response.status_code == 404
    assert "Kursbeviset er ikke tilgjengelig" in response.content.decode()
    assert not Certificate.objects.exists()

    # The organiser lowers the threshold to 50 %: now it qualifies.
    course_update(course=ended.course, certificate_threshold=50)
    assert "Last ned kursbevis" in client.get("/mine-pameldinger/").content.decode()


def test_the_organiser_sets_the_threshold_in_the_course_form(client, organiser_a, office_a):
    ended = ended_course(organisation=office_a, sessions=4, attended=2)
    client.force_login(organiser_a)
    page = client.get(f"/arbeidsrom/kurs/{ended.course.pk}/endre/").content.decode()
    assert 'name="certificate_threshold"' in page and 'value="75"' in page


def test_the_course_last_followup_carries_the_certificate_and_earlier_ones_do_not(office_a):
    ended = ended_course(organisation=office_a, title=TITLE, sessions=3, attended=3)
    registration = ended.registration
    for session in ended.sessions:
        enqueue(notification_new(kind="followup", registration=registration, session=session))
    messages = deliver()
    assert len(messages) == 3
    by_session = {m["Subject"]: m for m in messages}
    with_certificate = [m for m in by_session.values() if "/kursbevis/last-ned/" in text_of(m)]
    assert len(with_certificate) == 1
    message = with_certificate[0]
    assert "Last ned kursbevis (PDF): " in text_of(message)
    assert "/kursbevis/last-ned/" in html_of(message)
    # Every follow-up to someone who joined carries its session's survey.
    assert all("/tilbakemelding/" in text_of(m) for m in messages)


def test_a_tampered_or_unknown_code_is_not_genuine(client, office_a):
    response = client.get("/kursbevis/abc.def/")
    assert response.status_code == 404
    assert "Vi finner ikke noe kursbevis" in response.content.decode()
    ended = ended_course(organisation=office_a)
    code = certificate_issue(registration=ended.registration).code
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert client.get(f"/kursbevis/{tampered}/").status_code == 404
    assert client.get(f"/kursbevis/{code}/").status_code == 200
