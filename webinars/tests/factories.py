from dataclasses import dataclass
from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import OrganisationFactory
from webinars.models import Audience, Course, Offering, Session, Speaker, Status, Topic, default_reminder_offsets


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Tema {n}")
    slug = factory.Sequence(lambda n: f"tema-{n}")


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Målgruppe {n}")
    slug = factory.Sequence(lambda n: f"malgruppe-{n}")


# Every factory-made session streams here: tests assert it never reaches a page, an email or an invite.
STREAM_URL = "https://zoom.us/j/987654321?pwd=hemmelig-stroemmelenke"


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    kind = Offering.Kind.WEBINAR
    organisation = factory.SubFactory(OrganisationFactory)
    status = Status.PUBLISHED


def own_offering(kind: str) -> factory.SubFactory:
    """The offering a factory-made webinar or course gets, with the registration settings
    given to that factory (its Params: status, capacity, window, reminder offsets)."""
    return factory.SubFactory(
        OfferingFactory,
        kind=kind,
        organisation=factory.SelfAttribute("..organisation"),
        **{
            name: factory.SelfAttribute(f"..{name}")
            for name in ("status", "capacity", "registration_opens_at", "registration_closes_at", "reminder_offsets")
        },
    )


class SessionFactory(factory.django.DjangoModelFactory):
    """A published webinar three days ahead: a session with an offering of its own, which
    takes the registration settings given here (capacity, window, reminder offsets)."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    class Params:
        capacity = None
        registration_opens_at = None
        registration_closes_at = None
        reminder_offsets = factory.LazyFunction(default_reminder_offsets)

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Webinar nummer {n}")
    slug = factory.Sequence(lambda n: f"webinar-{n}")
    summary = "Et webinar for musikkfeltet."
    description = "Om **strømming** og inntekter."
    starts_at = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    stream_url = STREAM_URL
    status = Status.PUBLISHED
    offering = own_offering(Offering.Kind.WEBINAR)

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(extracted)

    @factory.post_generation
    def audiences(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.audiences.set(extracted)


class CourseFactory(factory.django.DjangoModelFactory):
    """A published course without sessions (see `course_with_sessions` and `add_to_course`)."""

    class Meta:
        model = Course
        skip_postgeneration_save = True

    class Params:
        status = Status.PUBLISHED
        capacity = None
        registration_opens_at = None
        registration_closes_at = None
        reminder_offsets = factory.LazyFunction(default_reminder_offsets)

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Kurs nummer {n}")
    slug = factory.Sequence(lambda n: f"kurs-{n}")
    summary = "Et kurs i flere deler."
    offering = own_offering(Offering.Kind.COURSE)


def add_to_course(course: Course, *sessions: Session, position: int | None = None) -> None:
    """Put existing sessions under the course's offering, in this order (the rows a test
    needs; course_sessions_set is the organisers' way, with its checks and emails)."""
    start = course.offering.sessions.count() if position is None else position
    for position, session in enumerate(sessions, start=start):  # noqa: B020 - the start is the parameter
        standalone = session.offering
        session.offering = course.offering
        session.position = position
        session.save(update_fields=["offering", "position"])
        if standalone.pk != course.offering_id and not standalone.sessions.exists():
            standalone.delete()


def course_with_sessions(n: int = 3, **kwargs) -> Course:
    """A course with `n` sessions a week apart, the first a week ahead."""
    course = CourseFactory(**kwargs)
    for i in range(n):
        SessionFactory(
            organisation=course.organisation,
            offering=course.offering,
            position=i,
            starts_at=timezone.now() + timedelta(days=7 + i * 7),
        )
    return course


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    session = factory.SubFactory(SessionFactory)
    name = factory.Sequence(lambda n: f"Foredragsholder {n}")
    bio = "Artist og låtskriver."


@dataclass
class CourseSession:
    course: Course
    session: Session


def course_session(*, course: Course | None = None, session: Session | None = None, position=None, **kwargs):
    """A session in a course, either given or made (`course__title=…`, `session__title=…`)."""
    course = course or CourseFactory(**{k[8:]: v for k, v in kwargs.items() if k.startswith("course__")})
    made = {k[9:]: v for k, v in kwargs.items() if k.startswith("session__")}
    session = session or SessionFactory(**{"organisation": course.organisation, **made})
    add_to_course(course, session, position=position)
    session.refresh_from_db()
    return CourseSession(course=course, session=session)
