from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import OrganisationFactory
from library.models import Contributor, Resource
from webinars.tests.factories import SessionFactory


class PastSessionFactory(SessionFactory):
    """A webinar that ended yesterday (recordings attach to past sessions)."""

    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1, hours=1))


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
