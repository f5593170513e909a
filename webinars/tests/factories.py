from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import OrganisationFactory
from webinars.models import Audience, Session, Speaker, Status, Topic


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


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Webinar nummer {n}")
    slug = factory.Sequence(lambda n: f"webinar-{n}")
    summary = "Et webinar for musikkfeltet."
    description = "Om **strømming** og inntekter."
    starts_at = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    stream_url = factory.Sequence(lambda n: f"https://zoom.us/j/98{n:07d}?pwd=hemmelig{n}")
    status = Status.PUBLISHED

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(extracted)

    @factory.post_generation
    def audiences(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.audiences.set(extracted)


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    session = factory.SubFactory(SessionFactory)
    name = factory.Sequence(lambda n: f"Foredragsholder {n}")
    bio = "Artist og låtskriver."
