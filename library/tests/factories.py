from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import OrganisationFactory
from courses.models import Course, CourseSession
from library.models import Contributor, Resource
from registrations.models import JoinLink, Registration
from webinars.models import Audience, Session, Status, Topic


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"tema-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"malgruppe-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())


class SessionFactory(factory.django.DjangoModelFactory):
    """A published session that ended yesterday (recordings attach to past sessions)."""

    class Meta:
        model = Session

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Webinar nummer {n}")
    slug = factory.Sequence(lambda n: f"webinar-{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1, hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    stream_url = "https://zoom.us/j/123456789"
    status = Status.PUBLISHED


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Kurs nummer {n}")
    slug = factory.Sequence(lambda n: f"kurs-{n}")
    status = Status.PUBLISHED


class CourseSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseSession

    course = factory.SubFactory(CourseFactory)
    session = factory.SubFactory(SessionFactory)


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration, written straight to the ORM (the registration services are
    another app's business; here only the resulting rows matter)."""

    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    name = factory.Sequence(lambda n: f"Deltaker {n}")
    email = factory.Sequence(lambda n: f"deltaker{n}@example.no")
    status = Registration.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)


class JoinLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinLink

    registration = factory.SubFactory(RegistrationFactory)
    session = factory.LazyAttribute(lambda o: o.registration.session)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    kind = Resource.Kind.GUIDE
    title = factory.Sequence(lambda n: f"Ressurs nummer {n}")
    slug = factory.Sequence(lambda n: f"ressurs-{n}")
    summary = "En kort beskrivelse."
    body = "Innholdet i ressursen."
    organisation = factory.SubFactory(OrganisationFactory)
    status = Resource.Status.PUBLISHED
    visibility = Resource.Visibility.PUBLIC
    published_at = factory.LazyFunction(timezone.now)


class RecordingFactory(ResourceFactory):
    kind = Resource.Kind.RECORDING
    title = factory.Sequence(lambda n: f"Opptak nummer {n}")
    slug = factory.Sequence(lambda n: f"opptak-{n}")
    video_url = factory.Sequence(lambda n: f"https://www.youtube.com/watch?v=hemmelig{n:04d}")
    duration_minutes = 60
    rights_cleared = True


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    resource = factory.SubFactory(RecordingFactory)
    name = factory.Sequence(lambda n: f"Utøver {n}")
    role = Contributor.Role.PERFORMER
    consent = Contributor.Consent.GIVEN
