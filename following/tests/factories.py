import factory
from django.utils import timezone

from following.models import Follow, Follower


class FollowerFactory(factory.django.DjangoModelFactory):
    """A confirmed guest follower."""

    class Meta:
        model = Follower

    email = factory.Sequence(lambda n: f"folger{n}@example.no")
    language = "nb"
    consent_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    follower = factory.SubFactory(FollowerFactory)
