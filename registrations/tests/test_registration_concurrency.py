"""Real concurrency: threads, each with its own database connection, hit the services at
once. The offering's row lock must give exactly `capacity` seats and a gap-free waitlist."""

import threading

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from registrations import services
from registrations.models import Registration
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _run_at_once(jobs):
    """Start every job at the same moment; return the exceptions raised."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait(timeout=30)
            job()
        except Exception as exc:  # collected and asserted empty by the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _register(session, user):
    def job():
        services.registration_create(
            offering=session, user=user, name=user.get_full_name(), email=user.email, language="nb", answers={}
        )

    return job


def _assert_seats(session, *, confirmed, waitlisted):
    statuses = list(Registration.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count("confirmed") == confirmed
    assert statuses.count("waitlisted") == waitlisted
    positions = sorted(
        Registration.objects.filter(session=session, status="waitlisted")
        .with_waitlist_position()
        .values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, waitlisted + 1))


def scenario_rush():
    session = SessionFactory(capacity=10)
    users = [UserFactory() for _ in range(40)]
    errors = _run_at_once([_register(session, user) for user in users])
    assert errors == []
    _assert_seats(session, confirmed=10, waitlisted=30)


def scenario_cancels_and_registrations():
    session = SessionFactory(capacity=10)
    first = [UserFactory() for _ in range(20)]
    for user in first:
        _register(session, user)()
    seated = list(Registration.objects.filter(session=session, status="confirmed")[:5])
    newcomers = [UserFactory() for _ in range(10)]
    jobs = [lambda r=r: services.registration_cancel(registration=r) for r in seated]
    jobs += [_register(session, user) for user in newcomers]
    errors = _run_at_once(jobs)
    assert errors == []
    _assert_seats(session, confirmed=10, waitlisted=20 - 5 - 10 + 10)


def scenario_double_submit():
    session = SessionFactory(capacity=10)
    user = UserFactory()
    guest_jobs = [
        lambda: services.registration_create(
            offering=session, name="Gjest", email="Dobbel@Example.no", language="nb", answers={}
        )
        for _ in range(4)
    ]
    errors = _run_at_once([_register(session, user) for _ in range(8)] + guest_jobs)
    assert errors == []
    assert Registration.objects.filter(session=session, email__iexact=user.email).count() == 1
    assert Registration.objects.filter(session=session, email__iexact="dobbel@example.no").count() == 1


@pytest.mark.postgresql
def test_it_seats_exactly_capacity_from_40_simultaneous_registrations_postgresql():
    scenario_rush()


@pytest.mark.postgresql
def test_it_keeps_the_count_under_simultaneous_cancels_and_registrations_postgresql():
    scenario_cancels_and_registrations()


@pytest.mark.postgresql
def test_it_gives_one_registration_for_a_simultaneous_double_submit_postgresql():
    scenario_double_submit()


def test_it_seats_exactly_capacity_from_40_simultaneous_registrations():
    scenario_rush()


def test_it_keeps_the_count_under_simultaneous_cancels_and_registrations():
    scenario_cancels_and_registrations()


def test_it_gives_one_registration_for_a_simultaneous_double_submit():
    scenario_double_submit()
