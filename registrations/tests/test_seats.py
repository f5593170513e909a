"""Seats: the offering's seats-taken count always equals its confirmed registrations, and the
waitlist is numbered 1..n without gaps, whatever order registrations, opt-ins, cancellations,
organiser promotions and capacity changes come in. A rule-based hypothesis test drives the
real services against a model of what each should do; plain tests cover promotion refusals
and a cancellation's seat."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accounts.tests.factories import UserFactory
from registrations import services
from registrations.models import Notification, Registration
from registrations.tests.factories import RegistrationFactory, workflow_kinds
from webinars.models import Offering, Session
from webinars.services import session_cancel, session_update
from webinars.tests.factories import SessionFactory

CONFIRMED = Registration.Status.CONFIRMED
WAITLISTED = Registration.Status.WAITLISTED
PENDING = Registration.Status.PENDING
CANCELLED = Registration.Status.CANCELLED


def seats_of(offering_id: int) -> tuple[int, int | None]:
    return Offering.objects.values_list("seats_taken", "capacity").get(pk=offering_id)


def waitlist_of(offering_id: int) -> list[tuple[int, int]]:
    """(position, id) of the offering's waitlisted registrations, in position order."""
    return sorted(
        Registration.objects.filter(offering_id=offering_id, status=WAITLISTED)
        .with_waitlist_position()
        .values_list("waitlist_position", "id")
    )


class SeatMachine(RuleBasedStateMachine):
    """One webinar per run. The model: each registration's status and the waitlist's order
    (first come, first served), kept beside what the services write. Each rule calls a
    real service and checks its answer against the model."""

    def __init__(self):
        super().__init__()
        # Each run in a savepoint of the test's transaction, rolled back in teardown.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.session: Session | None = None
        self.capacity: int | None = None
        self.status: dict[int, str] = {}  # registration id -> status
        self.queue: list[int] = []  # waitlisted registration ids, first in line first
        self.people: dict[int, tuple[object, str]] = {}  # registration id -> (user or None, email)
        self.arrivals = 0

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # The model

    def _confirmed(self) -> int:
        return sum(status == CONFIRMED for status in self.status.values())

    def _seat_free(self) -> bool:
        return self.capacity is None or self._confirmed() < self.capacity

    def _fill_from_queue(self) -> None:
        while self.queue and self._seat_free():
            self.status[self.queue.pop(0)] = CONFIRMED

    def _ids_with(self, *statuses: str) -> list[int]:
        return sorted(pk for pk, status in self.status.items() if status in statuses)

    def _has(self, *statuses: str) -> bool:
        return any(status in statuses for status in self.status.values())

    def _register(self, *, user, email: str):
        return services.registration_create(
            offering=self.session.offering, user=user, name="Deltaker", email=email, language="nb", answers={}
        )

    # The rules

    @initialize(capacity=st.integers(min_value=0, max_value=3))
    def create_webinar(self, capacity):
        self.session = SessionFactory(capacity=capacity)
        self.capacity = capacity

    @rule(count=st.integers(min_value=1, max_value=3))
    def members_register(self, count):
        # Several at a time, so that waitlists form often enough to be worked on.
        for _ in range(count):
            self.arrivals += 1
            user = UserFactory(email=f"medlem{self.arrivals}@example.no")
            expected = CONFIRMED if self._seat_free() else WAITLISTED
            registration = self._register(user=user, email=user.email)
            assert registration.status == expected
            self.status[registration.pk] = expected
            self.people[registration.pk] = (user, user.email)
            if expected == WAITLISTED:
                self.queue.append(registration.pk)

    @rule()
    def a_guest_registers(self):
        self.arrivals += 1
        email = f"gjest{self.arrivals}@example.no"
        registration = self._register(user=None, email=email)
        assert registration.status == PENDING
        self.status[registration.pk] = PENDING
        self.people[registration.pk] = (None, email)

    @precondition(lambda self: self._has(PENDING, CONFIRMED, WAITLISTED))
    @rule(data=st.data())
    def someone_registers_again(self, data):
        # The same address in other letters: the registration already there, unchanged.
        pk = data.draw(st.sampled_from(self._ids_with(PENDING, CONFIRMED, WAITLISTED)), label="active")
        user, email = self.people[pk]
        assert self._register(user=user, email=email.upper()).pk == pk

    @precondition(lambda self: self._has(PENDING))
    @rule(data=st.data())
    def a_guest_follows_the_optin_link(self, data):
        pk = data.draw(st.sampled_from(self._ids_with(PENDING)), label="pending")
        expected = CONFIRMED if self._seat_free() else WAITLISTED
        token = Registration.objects.values_list("optin_token", flat=True).get(pk=pk)
        assert services.registration_confirm_optin(token=token).status == expected
        self.status[pk] = expected
        if expected == WAITLISTED:
            self.queue.append(pk)

    @precondition(lambda self: self._has(PENDING, CONFIRMED, WAITLISTED))
    @rule(data=st.data(), by_organiser=st.booleans())
    def someone_cancels(self, data, by_organiser):
        pk = data.draw(st.sampled_from(self._ids_with(PENDING, CONFIRMED, WAITLISTED)), label="active")
        assert services.registration_cancel(registration=Registration(pk=pk), by_organiser=by_organiser).status == (
            CANCELLED
        )
        was, self.status[pk] = self.status[pk], CANCELLED
        if was == WAITLISTED:
            self.queue.remove(pk)
        if was == CONFIRMED:
            self._fill_from_queue()

    @precondition(lambda self: bool(self.queue))
    @rule(data=st.data())
    def the_organiser_promotes(self, data):
        # The organiser's override: a seat even beyond the capacity, for anyone in line.
        pk = data.draw(st.sampled_from(self.queue), label="waitlisted")
        assert services.registration_promote(registration=Registration(pk=pk)).status == CONFIRMED
        self.queue.remove(pk)
        self.status[pk] = CONFIRMED

    # -1 stands for no limit: kept rarer than the small numbers that make a waitlist.
    @rule(capacity=st.integers(min_value=-1, max_value=4))
    def the_organiser_changes_the_capacity(self, capacity):
        # The organiser's edit form: fewer seats than are taken is refused, more fill the waitlist.
        capacity = None if capacity < 0 else capacity
        seats_before = seats_of(self.session.offering_id)
        if capacity is not None and capacity < self._confirmed():
            with pytest.raises(ValidationError) as exc:
                session_update(session=self.session, capacity=capacity)
            assert "capacity" in exc.value.message_dict
            assert seats_of(self.session.offering_id) == seats_before
            return
        session_update(session=self.session, capacity=capacity)
        self.capacity = capacity
        self._fill_from_queue()

    # Checked after every step: two reads, the offering's row and its registrations.

    @invariant()
    def seats_match_the_registrations(self):
        if self.session is None:
            return
        seats_taken, capacity = seats_of(self.session.offering_id)
        rows = list(
            Registration.objects.filter(offering_id=self.session.offering_id)
            .with_waitlist_position()
            .values_list("id", "status", "waitlist_position")
        )
        confirmed = sum(status == CONFIRMED for _, status, _ in rows)
        assert seats_taken == confirmed == self._confirmed()
        assert capacity == self.capacity
        assert {pk: status for pk, status, _ in rows} == self.status
        # The waitlist is numbered 1..n without gaps, in arrival order.
        waitlist = sorted((position, pk) for pk, status, position in rows if status == WAITLISTED)
        assert [position for position, _ in waitlist] == list(range(1, len(waitlist) + 1))
        assert [pk for _, pk in waitlist] == self.queue
        # Automatic promotion leaves no seat free while someone waits.
        if waitlist:
            assert capacity is not None and seats_taken >= capacity


# 200 interleavings; a run is up to 20 steps. No deadline: a step is a few database
# round trips, and a 2-core machine running other suites beside this one is slow at times.
SEAT_SETTINGS = settings(
    max_examples=200,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.mark.django_db
def test_seats_taken_equals_the_confirmed_registrations_in_any_interleaving():
    run_state_machine_as_test(SeatMachine, settings=SEAT_SETTINGS)


# Promotion refused


def _waitlisted_in_full_webinar(**session_kwargs):
    session = SessionFactory(capacity=1, **session_kwargs)
    seated = RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status=WAITLISTED, waitlisted_at=timezone.now())
    return session, seated, waiting


def _snapshot(session, waiting):
    offering = Offering.objects.get(pk=session.offering_id)
    registration = Registration.objects.get(pk=waiting.pk)
    return (
        offering.seats_taken,
        offering.revision,
        registration.status,
        registration.revision,
        registration.confirmed_at,
        Notification.objects.count(),
    )


@pytest.mark.django_db
def test_promotion_on_a_cancelled_offering_is_refused_and_changes_nothing():
    session, _, waiting = _waitlisted_in_full_webinar()
    session_cancel(session=session)
    before = _snapshot(session, waiting)
    with pytest.raises(services.PromotionRefused) as exc:
        services.registration_promote(registration=waiting)
    assert str(exc.value) == "Arrangementet er avlyst, så ingen kan få plass."
    assert _snapshot(session, waiting) == before
    assert Notification.objects.filter(kind=Notification.Kind.PROMOTED).count() == 0


@pytest.mark.django_db
def test_promotion_on_an_ended_offering_is_refused_and_changes_nothing():
    session, _, waiting = _waitlisted_in_full_webinar()
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    before = _snapshot(session, waiting)
    with pytest.raises(services.PromotionRefused) as exc:
        services.registration_promote(registration=waiting)
    assert str(exc.value) == "Arrangementet er over, så ingen kan få plass."
    assert _snapshot(session, waiting) == before
    assert Notification.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("ended", [False, True], ids=["cancelled", "ended"])
def test_the_organiser_page_says_why_a_promotion_is_refused(client, organiser_a, office_a, ended):
    session, _, waiting = _waitlisted_in_full_webinar(organisation=office_a)
    if ended:
        Session.objects.filter(pk=session.pk).update(
            starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
        )
        reason = "Arrangementet er over, så ingen kan få plass."
    else:
        session_cancel(session=session)
        reason = "Arrangementet er avlyst, så ingen kan få plass."
    notifications = Notification.objects.count()
    client.force_login(organiser_a)
    url = f"/arbeidsrom/webinarer/{session.pk}/pameldinger/"
    response = client.post(url, {"action": "promote", "registration": waiting.pk}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<div class="alert alert-danger" role="status">{reason}</div>' in page
    assert "har fått plass" not in page
    assert Registration.objects.get(pk=waiting.pk).status == WAITLISTED
    assert Offering.objects.get(pk=session.offering_id).seats_taken == 1
    assert Notification.objects.count() == notifications


# A cancellation's seat


def _register(session, user):
    return services.registration_create(
        offering=session.offering, user=user, name=user.get_full_name(), email=user.email, language="nb", answers={}
    )


@pytest.mark.django_db
def test_a_cancellation_gives_the_seat_to_the_first_in_line():
    session = SessionFactory(capacity=2)
    seated, other, first, second = (_register(session, UserFactory()) for _ in range(4))
    assert [r.status for r in (seated, other, first, second)] == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]
    assert seats_of(session.offering_id) == (2, 2)

    services.registration_cancel(registration=seated)

    assert seats_of(session.offering_id) == (2, 2)  # given back and taken again
    assert Registration.objects.get(pk=first.pk).status == CONFIRMED
    assert workflow_kinds(first) == [Notification.Kind.WAITLISTED, Notification.Kind.PROMOTED]
    assert waitlist_of(session.offering_id) == [(1, second.pk)]


@pytest.mark.django_db
def test_a_cancellation_with_nobody_waiting_frees_the_seat():
    session = SessionFactory(capacity=2)
    seated = _register(session, UserFactory())
    assert seats_of(session.offering_id) == (1, 2)
    services.registration_cancel(registration=seated)
    assert seats_of(session.offering_id) == (0, 2)
    # Twice is harmless: the seat is not given back again.
    services.registration_cancel(registration=seated)
    assert seats_of(session.offering_id) == (0, 2)


@pytest.mark.django_db
def test_leaving_the_waitlist_keeps_the_seats_and_closes_the_gap():
    session = SessionFactory(capacity=1)
    _, first, second, third = (_register(session, UserFactory()) for _ in range(4))
    services.registration_cancel(registration=second)
    assert seats_of(session.offering_id) == (1, 1)
    assert waitlist_of(session.offering_id) == [(1, first.pk), (2, third.pk)]
    assert workflow_kinds(first) == [Notification.Kind.WAITLISTED]


@pytest.mark.django_db
def test_an_offering_found_full_still_gives_a_seat_that_comes_free():
    # Once this process has found an offering full it locks the row first instead of trying
    # the seat UPDATE (one statement for the usual waitlist place); a seat that comes free is
    # still taken, by the UPDATE under the lock.
    session = SessionFactory(capacity=1)
    seated, waiting = _register(session, UserFactory()), _register(session, UserFactory())
    assert [seated.status, waiting.status] == [CONFIRMED, WAITLISTED]
    # The waitlist is empty after the cancellation's promotion; the capacity is raised by a
    # queryset update (no signals, nothing else notices).
    services.registration_cancel(registration=seated)
    assert Registration.objects.get(pk=waiting.pk).status == CONFIRMED
    Offering.objects.filter(pk=session.offering_id).update(capacity=2)
    person = UserFactory()
    with CaptureQueriesContext(connection) as run:
        seated_again = _register(session, person)
    assert seated_again.status == CONFIRMED
    # Found full before: the row is locked first, then the seat is taken by the UPDATE.
    on_offering = [q["sql"].split()[0] for q in run.captured_queries if '"webinars_offering"' in q["sql"]]
    assert on_offering[-2:] == ["SELECT", "UPDATE"]
    assert on_offering.count("UPDATE") == 1
    assert seats_of(session.offering_id) == (2, 2)
    # Learnt: the next one tries the seat UPDATE first again, and finds the offering full.
    person = UserFactory()
    with CaptureQueriesContext(connection) as run:
        last = _register(session, person)
    on_offering = [q["sql"].split()[0] for q in run.captured_queries if '"webinars_offering"' in q["sql"]]
    assert on_offering[-2:] == ["UPDATE", "SELECT"]
    assert last.status == WAITLISTED
    assert seats_of(session.offering_id) == (2, 2)
    assert waitlist_of(session.offering_id) == [(1, last.pk)]
