"""The registration page's queries are fixed: a rush of hundreds of registrations for one
session must cost the same per request with 3 registrations as with 60 (bench/registration_rush.py,
docs/performance.md)."""

import pytest
from django.core.cache import cache

from accounts.tests.factories import UserFactory
from registrations.models import Notification, Registration
from registrations.tests.factories import RegistrationFactory
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _url(session):
    return f"/webinarer/{session.slug}/pamelding/"


def _fill(session, *, confirmed: int, waitlisted: int) -> None:
    RegistrationFactory.create_batch(confirmed, session=session, status=Registration.Status.CONFIRMED)
    RegistrationFactory.create_batch(waitlisted, session=session, status=Registration.Status.WAITLISTED)


def _assert_form_page_queries(client, session, django_assert_num_queries, *, full: bool = False) -> None:
    client.force_login(UserFactory())
    # The rows every visitor's page shares are read once per process and kept until an
    # organiser's edit (registrations/page_data.py): the first request reads 1 the session
    # with its offering and office, 2 the offering's questions and 3 the audiences (the
    # optional role question). Every request then reads 1 the user (the login session comes
    # from the cache), 2 the offering's seats taken now, 3 the person's profile (their role
    # and county, filled in), 4 the visitor's registration, if any, 5 the layout's organiser
    # check, and when the offering is full 6 the waitlist's length (for the "Sett meg på
    # venteliste" button).
    per_request = 6 if full else 5
    with django_assert_num_queries(per_request + 3):
        response = client.get(_url(session))
    assert response.status_code == 200
    with django_assert_num_queries(per_request):
        response = client.get(_url(session))
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def _assert_registration_queries(client, session, django_assert_num_queries, *, seat: bool, known_full: bool = False):
    client.get(_url(session))  # someone opened the page: this process has its rows
    user = UserFactory()
    client.force_login(user)
    # 1 the user, 2 SAVEPOINT (the transaction; BEGIN outside tests), 3 UPDATE seats taken
    # where one is free (a seat); without one, 4 SELECT … FOR UPDATE of the offering's state
    # and seats (a seat freed meanwhile is then taken by one more UPDATE). An offering this
    # process has found full is locked first, without the UPDATE that would fail. Then INSERT
    # the registration, INSERT its join link, INSERT every outbox row (the confirmation or
    # waitlist email, and for a seat its reminders and follow-up) at once, RELEASE SAVEPOINT
    # (COMMIT). The session, the questions and the audiences come from the page's rows.
    with django_assert_num_queries(7 if seat or known_full else 8):
        response = client.post(_url(session))
    assert response.status_code == 302
    return Registration.objects.get(offering=session.offering, user=user)


def test_it_shows_the_form_page_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    few = SessionFactory(capacity=100)
    _fill(few, confirmed=2, waitlisted=1)
    _assert_form_page_queries(client, few, django_assert_num_queries)

    many = SessionFactory(capacity=40)
    _fill(many, confirmed=40, waitlisted=20)
    _assert_form_page_queries(client, many, django_assert_num_queries, full=True)
    assert "20 venter" in client.get(_url(many)).content.decode()


def test_it_registers_in_a_fixed_number_of_queries_with_few_and_many_registrations(client, django_assert_num_queries):
    few = SessionFactory(capacity=100)
    _fill(few, confirmed=2, waitlisted=1)
    seated = _assert_registration_queries(client, few, django_assert_num_queries, seat=True)
    assert seated.status == Registration.Status.CONFIRMED
    kinds = sorted(seated.notifications.values_list("kind", flat=True))
    assert kinds == sorted(
        [
            Notification.Kind.CONFIRMED,
            Notification.Kind.REMINDER,
            Notification.Kind.REMINDER,
            Notification.Kind.FOLLOWUP,
        ]
    )
    assert seated.join_links.count() == 1

    many = SessionFactory(capacity=40)
    _fill(many, confirmed=40, waitlisted=20)
    waiting = _assert_registration_queries(client, many, django_assert_num_queries, seat=False)
    assert waiting.status == Registration.Status.WAITLISTED
    assert list(waiting.notifications.values_list("kind", flat=True)) == [Notification.Kind.WAITLISTED]
    assert waiting.join_links.count() == 1
    also_waiting = _assert_registration_queries(client, many, django_assert_num_queries, seat=False, known_full=True)
    assert also_waiting.status == Registration.Status.WAITLISTED

    roomy = SessionFactory(capacity=100)
    _fill(roomy, confirmed=60, waitlisted=0)
    assert _assert_registration_queries(client, roomy, django_assert_num_queries, seat=True).status == "confirmed"
