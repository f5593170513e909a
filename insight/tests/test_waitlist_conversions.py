"""A waitlist conversion is recorded by the real flows: the automatic promotion when a seat is
given back, and an organiser's promotion (Registration.promoted_at, docs/insight.md)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import MembershipFactory, UserFactory
from registrations import services
from registrations.models import Registration
from webinars.models import Offering
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _register(offering, user):
    return services.registration_create(
        offering=offering, user=user, name=user.display_name, email=user.email, language="nb", answers={}
    )


def test_promotions_count_as_waitlist_conversions(client):
    session = SessionFactory(starts_at=timezone.now() + timedelta(days=2))
    Offering.objects.filter(pk=session.offering_id).update(capacity=1)
    offering = Offering.objects.get(pk=session.offering_id)
    first, second, third = (_register(offering, UserFactory()) for _ in range(3))
    assert [first.status, second.status, third.status] == ["confirmed", "waitlisted", "waitlisted"]
    services.registration_cancel(registration=first)  # the seat goes to the second
    services.registration_promote(registration=third)  # an organiser's override
    promoted = Registration.objects.filter(promoted_at__isnull=False)
    assert set(promoted.values_list("pk", flat=True)) == {second.pk, third.pk}
    organiser = MembershipFactory(organisation=offering.organisation).user
    client.force_login(organiser)
    today = timezone.localdate()
    response = client.get(
        f"/arbeidsrom/innsikt/?periode=egen&fra={today:%Y-%m-%d}&til={today + timedelta(days=5):%Y-%m-%d}"
    )
    total = response.context["figures"].total
    assert (total.registrations, total.conversions, total.cancellations, total.confirmed) == (3, 2, 1, 2)
    assert total.attendance_rate is None  # not started yet
