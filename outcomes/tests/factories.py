"""Factories for the outcomes app: answers to the survey, and a course that has ended with a
registration whose attendance the test chooses."""

from dataclasses import dataclass
from datetime import timedelta

import factory
from django.utils import timezone

from outcomes.models import Feedback
from registrations.models import JoinLink, Registration
from registrations.tests.factories import RegistrationFactory
from webinars.models import Course, Session
from webinars.tests.factories import CourseFactory, SessionFactory


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    registration = factory.SubFactory(RegistrationFactory)
    session = factory.LazyAttribute(lambda o: o.registration.offering.sessions.first())
    offering = factory.LazyAttribute(lambda o: o.session.offering)
    rating = 4


@dataclass
class EndedCourse:
    course: Course
    sessions: list[Session]
    registration: Registration


def ended_course(*, sessions: int = 4, attended: int = 3, name: str = "Åse Ørnulf Særheim", **kwargs) -> EndedCourse:
    """A course of `sessions` 90-minute sessions a week apart, the last one ended yesterday, and
    a confirmed registration that joined the first `attended` of them."""
    course = CourseFactory(**kwargs)
    last_start = (timezone.now() - timedelta(days=1, hours=2)).replace(second=0, microsecond=0)
    made = [
        SessionFactory(
            organisation=course.organisation,
            offering=course.offering,
            position=i,
            title=f"Del {i + 1}",
            starts_at=last_start - timedelta(days=7 * (sessions - 1 - i)),
            ends_at=last_start - timedelta(days=7 * (sessions - 1 - i)) + timedelta(minutes=90),
        )
        for i in range(sessions)
    ]
    registration = RegistrationFactory(offering=course.offering, name=name, email="ase@example.no")
    for i, session in enumerate(made):
        JoinLink.objects.create(
            registration=registration,
            session=session,
            first_joined_at=session.starts_at if i < attended else None,
        )
    return EndedCourse(course=course, sessions=made, registration=registration)
