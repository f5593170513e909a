"""Factories for the registrations app's models. Sessions, courses and offerings come from
webinars/tests/factories.py."""

import factory
from django.db.models import F
from django.utils import timezone

from registrations.models import JoinLink, Notification, Question, Registration
from webinars.models import Offering
from webinars.page_cache import catalogue_cache_bump
from webinars.tests.factories import SessionFactory


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration written straight to the ORM (the services are what the tests test).
    `session=` registers for that session's offering; a confirmed one takes a seat, as the
    services would, so the offering's seats taken stay true."""

    class Meta:
        model = Registration
        skip_postgeneration_save = True

    class Params:
        session = None

    offering = factory.LazyAttribute(lambda o: o.session.offering if o.session else SessionFactory().offering)
    name = factory.Sequence(lambda n: f"Deltaker {n}")
    email = factory.Sequence(lambda n: f"deltaker{n}@example.no")
    status = Registration.Status.CONFIRMED
    confirmed_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Registration.Status.CONFIRMED else None
    )

    @factory.post_generation
    def seat(obj, create, extracted, **kwargs):
        if create and obj.status == Registration.Status.CONFIRMED:
            Offering.objects.filter(pk=obj.offering_id).update(seats_taken=F("seats_taken") + 1)
            catalogue_cache_bump()  # as the services do: the seats left on catalogue pages changed


class JoinLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinLink

    registration = factory.SubFactory(RegistrationFactory)
    session = factory.LazyAttribute(lambda o: o.registration.offering.sessions.first())


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    label = factory.Sequence(lambda n: f"Spørsmål {n}")
    label_en = factory.Sequence(lambda n: f"Question {n}")
    kind = Question.Kind.TEXT


# The kinds the registration workflows write; reminders and follow-ups belong to the invites work.
WORKFLOW_KINDS = ["optin", "confirmed", "waitlisted", "promoted", "cancelled"]


def workflow_kinds(registration) -> list[str]:
    return list(
        Notification.objects.filter(registration=registration, kind__in=WORKFLOW_KINDS)
        .order_by("id")
        .values_list("kind", flat=True)
    )
