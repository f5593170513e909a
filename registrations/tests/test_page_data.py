"""The registration page keeps an offering's rows per process between an organiser's edits
(registrations/page_data.py). Every edit a visitor could notice shows on the next page view
of someone who opened the page before it; a registration (seats only) keeps the stored rows."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.tests.factories import UserFactory
from registrations import page_data, services
from registrations.models import Registration
from webinars.page_cache import offering_settings_version
from webinars.services import offering_update, session_cancel, session_update
from webinars.tests.factories import SessionFactory, course_with_sessions

pytestmark = pytest.mark.django_db


def _url(session):
    return f"/webinarer/{session.slug}/pamelding/"


def _page(client, session) -> str:
    response = client.get(_url(session))
    assert response.status_code == 200
    return response.content.decode()


def test_a_question_an_organiser_adds_or_removes_shows_on_the_next_view(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a, title="Strømmeinntekter")
    visitor = UserFactory()
    client.force_login(visitor)
    assert "Hvilket instrument spiller du?" not in _page(client, session)

    client.force_login(organiser_a)
    response = client.post(
        f"/arbeidsrom/webinarer/{session.pk}/sporsmal/",
        {"kind": "text", "label": "Hvilket instrument spiller du?", "label_en": "", "required": "on", "position": "0"},
    )
    assert response.status_code == 302

    client.force_login(visitor)
    assert "Hvilket instrument spiller du?" in _page(client, session)
    # The stored form asks the question, and a submit without the answer is refused.
    response = client.post(_url(session))
    assert response.status_code == 200
    assert not Registration.objects.filter(offering=session.offering).exists()

    client.force_login(organiser_a)
    question = session.offering.questions.get()
    assert client.post(f"/arbeidsrom/sporsmal/{question.pk}/slett/").status_code == 302
    client.force_login(visitor)
    assert "Hvilket instrument spiller du?" not in _page(client, session)
    assert client.post(_url(session)).status_code == 302
    assert Registration.objects.get(offering=session.offering).user == visitor


def test_a_closed_window_a_reschedule_and_a_cancellation_show_at_once(client):
    session = SessionFactory(capacity=10)
    client.force_login(UserFactory())
    assert "Meld meg på" in _page(client, session)

    with transaction.atomic():
        offering_update(offering=session.offering, registration_closes_at=timezone.now() - timedelta(minutes=1))
    page = _page(client, session)
    assert "Påmeldingen er stengt." in page and "Meld meg på" not in page
    # A submit is refused as well: nothing is written.
    assert client.post(_url(session)).status_code == 200
    assert not Registration.objects.filter(offering=session.offering).exists()

    with transaction.atomic():
        offering_update(offering=session.offering, registration_closes_at=None)
    assert "Meld meg på" in _page(client, session)

    local = timezone.get_default_timezone()
    before = session.starts_at.astimezone(local)
    later = session.starts_at + timedelta(hours=2, minutes=15)
    session_update(session=session, starts_at=later, ends_at=later + timedelta(hours=1))
    page = _page(client, session)
    assert f"{later.astimezone(local):%H:%M}" in page and f"{before:%H:%M}" not in page

    session_cancel(session=session)
    page = _page(client, session)
    assert "Arrangementet er avlyst." in page and "Meld meg på" not in page


def test_registrations_keep_the_stored_rows_and_the_page_shows_seats_as_they_are(client):
    session = SessionFactory(capacity=2)
    client.force_login(UserFactory())
    assert "Meld meg på" in _page(client, session)
    version = offering_settings_version()
    for _ in range(2):
        person = UserFactory()
        services.registration_create(
            offering=session.offering, user=person, name="", email=person.email, language="nb", answers={}
        )
    # Seats only: the settings version, and with it the stored rows, stay.
    assert offering_settings_version() == version
    page = _page(client, session)
    assert "Webinaret er fullt." in page and "Sett meg på venteliste" in page


def test_a_course_session_still_leads_to_its_course(client):
    course = course_with_sessions(2)
    session = course.offering.sessions_in_order().first()
    client.force_login(UserFactory())
    for _ in range(2):  # read, then stored
        response = client.get(_url(session))
        assert response.status_code == 302
        assert response["Location"] == f"/kurs/{course.slug}/pamelding/"


def test_an_unpublished_slug_is_not_found_and_each_request_gets_its_own_copy(client):
    draft = SessionFactory(status="draft")
    assert client.get(_url(draft)).status_code == 404
    assert client.get("/webinarer/finnes-ikke/pamelding/").status_code == 404

    session = SessionFactory(capacity=5)
    first = page_data.registration_page("session", session.slug)
    first.offering.seats_taken = 99
    first.questions.append("not a question")
    second = page_data.registration_page("session", session.slug)
    assert second.offering is not first.offering
    assert (second.offering.seats_taken, second.questions) == (0, [])


def test_without_the_cache_the_page_reads_its_rows(client, settings, caplog):
    session = SessionFactory(title="Utgivelse uten Redis")
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"},
    }
    response = client.get(_url(session))
    assert response.status_code == 200
    assert "Påmelding: Utgivelse uten Redis" in response.content.decode()
    assert "the registration page reads its rows" in caplog.text
