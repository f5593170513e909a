"""Saving a course's sessions page keeps the sessions it cannot offer as choices (issue 11,
item 9): a cancelled session stays in its course, and its registrants hear about the
cancellation once."""

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import MembershipFactory
from courses import services
from registrations.models import JoinLink, Notification
from registrations.tests.factories import RegistrationFactory
from webinars.models import Status
from webinars.services import session_cancel
from webinars.tests.factories import SessionFactory, course_with_sessions

pytestmark = pytest.mark.django_db


def _course_with_a_cancelled_session(office):
    course = course_with_sessions(3, organisation=office)
    first, second, third = course.offering.sessions_in_order()
    registration = RegistrationFactory(offering=course.offering)
    JoinLink.objects.bulk_create(JoinLink(registration=registration, session=s) for s in (first, second, third))
    session_cancel(session=second)
    return course, (first, second, third), registration


def _cancellations(registration, session) -> int:
    return Notification.objects.filter(
        registration=registration, session=session, kind=Notification.Kind.SESSION_CANCELLED
    ).count()


def test_saving_the_page_keeps_a_cancelled_session_and_tells_nobody_again(client, organiser_a, office_a):
    course, (first, second, third), registration = _course_with_a_cancelled_session(office_a)
    told = _cancellations(registration, second)
    client.force_login(organiser_a)
    page = client.get(f"/arbeidsrom/kurs/{course.pk}/okter/").content.decode()
    assert second.title in page and "Avlyste økter blir i kurset." in page
    # What the browser sends: the cancelled session's box is disabled, so it is not in the form.
    response = client.post(
        f"/arbeidsrom/kurs/{course.pk}/okter/",
        {"session": [first.pk, third.pk], f"position_{first.pk}": "1", f"position_{third.pk}": "2"},
    )
    assert response.status_code == 302
    assert list(course.offering.sessions_in_order()) == [first, second, third]
    second.refresh_from_db()
    assert second.status == Status.CANCELLED and second.offering_id == course.offering_id
    assert _cancellations(registration, second) == told
    assert not JoinLink.objects.filter(session__in=[first, third], revoked_at__isnull=False).exists()


def test_a_tampered_form_cannot_take_a_cancelled_session_out(client, organiser_a, office_a):
    course, (first, second, third), _registration = _course_with_a_cancelled_session(office_a)
    client.force_login(organiser_a)
    client.post(f"/arbeidsrom/kurs/{course.pk}/okter/", {"session": [first.pk], f"position_{second.pk}": "9"})
    assert list(course.offering.sessions_in_order()) == [first, second]


def test_the_service_keeps_cancelled_sessions_in_their_place_by_date(office_a):
    course, (first, second, third), _registration = _course_with_a_cancelled_session(office_a)
    services.course_sessions_set(course=course, sessions=[third, first])
    assert list(course.offering.sessions_in_order()) == [second, third, first]


def test_a_cancelled_webinar_cannot_join_a_course(office_a):
    course = course_with_sessions(1, organisation=office_a)
    cancelled = SessionFactory(organisation=office_a, status=Status.CANCELLED)
    with pytest.raises(ValidationError):
        services.course_sessions_set(course=course, sessions=[*course.offering.sessions.all(), cancelled])


def test_a_course_moved_to_another_office_keeps_its_sessions(client, organiser_a, office_a, office_b):
    MembershipFactory(user=organiser_a, organisation=office_b)
    course = course_with_sessions(2, organisation=office_a)
    first, second = course.offering.sessions_in_order()
    services.course_update(course=course, organisation=office_b)
    client.force_login(organiser_a)
    client.post(f"/arbeidsrom/kurs/{course.pk}/okter/", {"session": [first.pk, second.pk]})
    assert list(course.offering.sessions_in_order()) == [first, second]
