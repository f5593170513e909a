"""Factories for the registration tests (sessions and courses ready for registration)."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import OrganisationFactory
from courses.models import Course, CourseSession
from registrations.models import Question, Registration
from webinars.models import Session, Status

STREAM_URL = "https://zoom.us/j/987654321?pwd=hemmelig-stroemmelenke"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Webinar om strømming {n}")
    slug = factory.Sequence(lambda n: f"webinar-{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    stream_url = STREAM_URL
    status = Status.PUBLISHED
    capacity = 10


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Kurs i låtskriving {n}")
    slug = factory.Sequence(lambda n: f"kurs-{n}")
    status = Status.PUBLISHED
    capacity = 10


def course_with_sessions(n: int = 3, **kwargs) -> Course:
    course = CourseFactory(**kwargs)
    for i in range(n):
        session = SessionFactory(
            organisation=course.organisation,
            starts_at=timezone.now() + timedelta(days=7 + i * 7),
            capacity=None,
        )
        CourseSession.objects.create(course=course, session=session, position=i)
    return course


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    name = factory.Sequence(lambda n: f"Deltaker {n}")
    email = factory.Sequence(lambda n: f"deltaker{n}@example.no")
    status = Registration.Status.CONFIRMED


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    label = factory.Sequence(lambda n: f"Spørsmål {n}")
    label_en = factory.Sequence(lambda n: f"Question {n}")
    kind = Question.Kind.TEXT


# The kinds the registration workflows write; reminders and follow-ups belong to the invites work.
WORKFLOW_KINDS = ["optin", "confirmed", "waitlisted", "promoted", "cancelled"]


def workflow_kinds(registration) -> list[str]:
    from registrations.models import Notification

    return list(
        Notification.objects.filter(registration=registration, kind__in=WORKFLOW_KINDS)
        .order_by("id")
        .values_list("kind", flat=True)
    )
