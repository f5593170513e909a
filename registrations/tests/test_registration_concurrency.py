"""Real concurrency: threads, each with its own database connection, hit the services at
once. The seat UPDATE must give exactly `capacity` seats, a gap-free waitlist and a seats-taken
count equal to the confirmed registrations. The suite runs these on SQLite and on PostgreSQL."""

import threading

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from registrations import services
from registrations.models import Registration
from webinars.models import Offering
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


def _register(offering, user):
    def job():
        services.registration_create(
            offering=offering, user=user, name=user.get_full_name(), email=user.email, language="nb", answers={}
        )

    return job


def _assert_seats(offering, *, confirmed, waitlisted):
    statuses = list(Registration.objects.filter(offering=offering).values_list("status", flat=True))
    assert statuses.count("confirmed") == confirmed
    assert statuses.count("waitlisted") == waitlisted
    positions = sorted(
        Registration.objects.filter(offering=offering, status="waitlisted")
        .with_waitlist_position()
        .values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, waitlisted + 1))
    assert Offering.objects.get(pk=offering.pk).seats_taken == confirmed


def test_it_seats_exactly_capacity_from_40_simultaneous_registrations():
    offering = SessionFactory(capacity=10).offering
    users = [UserFactory() for _ in range(40)]
    errors = _run_at_once([_register(offering, user) for user in users])
    assert errors == []
    _assert_seats(offering, confirmed=10, waitlisted=30)


def test_it_keeps_the_count_under_simultaneous_cancels_and_registrations():
    offering = SessionFactory(capacity=10).offering
    for user in [UserFactory() for _ in range(20)]:
        _register(offering, user)()
    _assert_seats(offering, confirmed=10, waitlisted=10)
    seated = list(Registration.objects.filter(offering=offering, status="confirmed")[:5])
    newcomers = [UserFactory() for _ in range(10)]
    jobs = [lambda r=r: services.registration_cancel(registration=r) for r in seated]
    jobs += [_register(offering, user) for user in newcomers]
    errors = _run_at_once(jobs)
    assert errors == []
    # Each cancel gives its seat to the first in line; the newcomers join the waitlist's end.
    _assert_seats(offering, confirmed=10, waitlisted=10 - 5 + 10)


def test_it_gives_one_registration_for_a_simultaneous_double_submit():
    offering = SessionFactory(capacity=10).offering
    user = UserFactory()
    guest_jobs = [
        lambda: services.registration_create(
            offering=offering, name="Gjest", email="Dobbel@Example.no", language="nb", answers={}
        )
        for _ in range(4)
    ]
    errors = _run_at_once([_register(offering, user) for _ in range(8)] + guest_jobs)
    assert errors == []
    assert Registration.objects.filter(offering=offering, email__iexact=user.email).count() == 1
    assert Registration.objects.filter(offering=offering, email__iexact="dobbel@example.no").count() == 1
    # The signed-in user's one seat; the guest's is decided by the opt-in link.
    assert Offering.objects.get(pk=offering.pk).seats_taken == 1
