"""The survey after a session: the link in the follow-up email, the page behind it (no sign-in),
one answer per person and session, and what the organiser sees."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from outcomes.models import Feedback
from outcomes.summary import feedback_by_offering
from outcomes.tests.factories import FeedbackFactory
from outcomes.tokens import feedback_token
from registrations.models import JoinLink
from registrations.outbox import enqueue, notification_new
from registrations.tests.factories import RegistrationFactory
from registrations.tests.mailkit import deliver, html_of, text_of
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_session(office_a):
    start = timezone.now() - timedelta(hours=3)
    return SessionFactory(
        organisation=office_a, title="Royalties fra strømming", starts_at=start, ends_at=start + timedelta(hours=1)
    )


def registered(session, *, joined: bool, name="Ola Nordmann", email="ola@example.no", language="nb"):
    registration = RegistrationFactory(session=session, name=name, email=email, language=language)
    JoinLink.objects.create(
        registration=registration, session=session, first_joined_at=session.starts_at if joined else None
    )
    return registration


def followup(registration, session):
    enqueue(notification_new(kind="followup", registration=registration, session=session))
    [message] = deliver()
    return message


def survey_path(text: str) -> str:
    match = re.search(re.escape(settings.SITE_URL) + r"(/tilbakemelding/[^/\s]+/)", text)
    assert match, text
    return match.group(1)


def test_it_sends_the_survey_link_with_the_followup_and_takes_one_answer(client, past_session):
    registration = registered(past_session, joined=True)
    message = followup(registration, past_session)
    text = text_of(message)
    assert "Takk for at du deltok" in text
    assert "Gi tilbakemelding: " in text
    path = survey_path(text)
    assert path in html_of(message)

    response = client.get(path)
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Royalties fra strømming" in page
    assert "Hvor fornøyd var du med økten?" in page
    response = client.post(path, {"rating": "5", "comment": "Veldig nyttig!\nTakk.", "anonymous": "on"})
    assert response.status_code == 302
    page = client.get(path).content.decode()
    assert "Takk for tilbakemeldingen!" in page
    assert "Du har svart før" in page

    client.post(path, {"rating": "3", "comment": ""})
    [answer] = Feedback.objects.all()
    assert (answer.rating, answer.comment, answer.anonymous) == (3, "", False)
    assert answer.offering_id == past_session.offering_id
    assert "Svaret ditt er endret" in client.get(path).content.decode()


def test_it_sends_the_survey_in_english_to_an_english_registrant(client, past_session):
    registration = registered(past_session, joined=True, language="en")
    text = text_of(followup(registration, past_session))
    assert "Give feedback: " in text
    client.cookies["django_language"] = "en"
    page = client.get(survey_path(text))
    assert "How satisfied were you with the session?" in page.content.decode()


def test_it_offers_no_survey_to_someone_who_did_not_join(past_session):
    registration = registered(past_session, joined=False)
    text = text_of(followup(registration, past_session))
    assert "Vi savnet deg" in text
    assert "/tilbakemelding/" not in text


def test_it_refuses_a_bad_token_a_bad_rating_and_a_session_not_yet_started(client, past_session, office_a):
    registration = registered(past_session, joined=True)
    response = client.get("/tilbakemelding/ikke-en-nokkel/")
    assert response.status_code == 404
    assert "Lenken virker ikke" in response.content.decode()

    path = f"/tilbakemelding/{feedback_token(registration.pk, past_session.pk)}/"
    for bad in ({"rating": "9"}, {"rating": ""}, {}, {"rating": "4", "comment": "x" * 2001}):
        response = client.post(path, bad)
        assert response.status_code == 200
        assert "is-invalid" in response.content.decode()
    assert not Feedback.objects.exists()

    future = SessionFactory(organisation=office_a)
    other = RegistrationFactory(session=future)
    assert client.get(f"/tilbakemelding/{feedback_token(other.pk, future.pk)}/").status_code == 404
    # A token for one offering's registration and another offering's session is refused.
    assert client.get(f"/tilbakemelding/{feedback_token(registration.pk, future.pk)}/").status_code == 404


def test_the_organiser_sees_figures_and_names_only_where_not_anonymous(client, organiser_a, organiser_b, past_session):
    named = registered(past_session, joined=True, name="Kari Navnesen", email="kari@example.no")
    hidden = registered(past_session, joined=True, name="Per Skjult", email="per@example.no")
    third = registered(past_session, joined=True, name="Tone Tall", email="tone@example.no")
    FeedbackFactory(registration=named, rating=5, comment="Supert opplegg")
    FeedbackFactory(registration=hidden, rating=2, comment="For kort tid til spørsmål", anonymous=True)
    FeedbackFactory(registration=third, rating=5)
    url = f"/arbeidsrom/webinarer/{past_session.pk}/oversikt/"

    client.force_login(organiser_a)
    page = client.get(url).content.decode()
    assert "Snitt 4,0 av 5 fra 3 svar." in page
    assert "Supert opplegg" in page and "Kari Navnesen" in page
    assert "For kort tid til spørsmål" in page
    assert "Per Skjult" not in page
    assert "anonym" in page

    client.force_login(organiser_b)
    assert client.get(url).status_code == 404


def test_feedback_by_offering_is_one_query(django_assert_num_queries, past_session, office_a):
    other = SessionFactory(organisation=office_a, starts_at=timezone.now() - timedelta(days=2))
    for rating in (5, 4, 4):
        FeedbackFactory(registration=RegistrationFactory(session=past_session), rating=rating, comment="ok")
    FeedbackFactory(registration=RegistrationFactory(session=other), rating=1)
    with django_assert_num_queries(1):
        figures = feedback_by_offering([past_session.offering_id, other.offering_id, 0])
    assert figures[past_session.offering_id] == {
        "count": 3,
        "average": 4.3,
        "distribution": {1: 0, 2: 0, 3: 0, 4: 2, 5: 1},
        "comments": 3,
    }
    assert figures[other.offering_id]["distribution"][1] == 1
    assert 0 not in figures
