"""CSV exports (issue 15): the CSV carries only the columns the organiser chose, a question
marked sensitive is left out unless chosen, and every export is recorded (who, what, when)
and shown to the office."""

import csv
import io

import pytest

from registrations.models import ExportRecord
from registrations.tests.factories import QuestionFactory, RegistrationFactory
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_the_default_export_leaves_sensitive_answers_out(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a)
    plain = QuestionFactory(offering=session.offering, label="Instrument")
    sensitive = QuestionFactory(offering=session.offering, label="Tilrettelegging", sensitive=True)
    RegistrationFactory(session=session, name="Kari", answers={str(plain.pk): "Fiolin", str(sensitive.pk): "Rullestol"})
    client.force_login(organiser_a)
    url = f"/arbeidsrom/webinarer/{session.pk}/pameldinger.csv"

    headings, row = _csv(client.get(url))
    assert "Instrument" in headings and "Tilrettelegging" not in headings
    assert "Fiolin" in row and "Rullestol" not in row

    headings, row = _csv(client.get(url, {"kolonne": ["name", f"q{sensitive.pk}"]}))
    assert headings == ["Navn", "Tilrettelegging"]
    assert row == ["Kari", "Rullestol"]


def test_every_export_is_recorded_and_shown_to_the_office(client, organiser_a, organiser_b, office_a):
    session = SessionFactory(organisation=office_a)
    RegistrationFactory(session=session, name="Kari")
    client.force_login(organiser_a)
    client.get(f"/arbeidsrom/webinarer/{session.pk}/pameldinger.csv", {"kolonne": ["name", "email"]})

    record = ExportRecord.objects.get()
    assert (record.user, record.columns, record.row_count) == (organiser_a, ["name", "email"], 1)
    page = client.get(f"/arbeidsrom/webinarer/{session.pk}/pameldinger/").content.decode()
    assert "Organiser A – 1 rad: Navn, E-post" in page
    assert 'name="kolonne" value="email"' in page

    # Another office neither exports nor sees the log.
    client.force_login(organiser_b)
    assert client.get(f"/arbeidsrom/webinarer/{session.pk}/pameldinger.csv").status_code == 404
    assert client.get(f"/arbeidsrom/webinarer/{session.pk}/pameldinger/").status_code == 404
    assert ExportRecord.objects.count() == 1


def test_an_organiser_marks_a_question_sensitive(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a)
    client.force_login(organiser_a)
    response = client.post(
        f"/arbeidsrom/webinarer/{session.pk}/sporsmal/",
        {"kind": "text", "label": "Behov", "label_en": "Needs", "sensitive": "on", "position": 0},
    )
    assert response.status_code == 302
    assert session.offering.questions.get().sensitive is True
