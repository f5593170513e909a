"""Erasing a person: on account deletion (by the person or an admin) and when a guest
confirms "slett opplysningene mine" by email.

First their future registrations are cancelled through the normal service
(`registration_cancel`): the calendar gets its CANCEL, a freed seat goes to the next on the
waitlist, reminders are dropped. Then every registration with their account or address is
anonymised (registrations/anonymise.py) and their account emails in the outbox are blanked.
What is left are anonymous counts. What happened is recorded in PrivacyRecord, in numbers.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from registrations import services
from registrations.anonymise import erasure_complete, notifications_blank, registrations_anonymise
from registrations.models import Notification, PrivacyRecord, Registration
from registrations.signals import person_erased


def _of_person(*, email: str, user) -> Q:
    match = Q(pk__in=[])
    if email:
        match |= Q(email__iexact=email)
    if user is not None:
        match |= Q(user=user)
    return match


def person_erase(*, email: str, user=None, kind: str, organisation=None) -> dict:
    """Erase everything the registrations side holds about a person (an address, and an
    account if given). Safe to run twice. Returns the counts it recorded.

    With `organisation`, only that office's registrations: an organiser erasing a registrant
    on request acts as the controller of their own offerings only."""
    email = (email or "").strip()
    match = _of_person(email=email, user=user)
    if organisation is not None:
        match &= Q(offering__organisation=organisation)
    cancelled = 0
    active = (
        Registration.objects.filter(match)
        .active()
        .not_erased()
        .select_related("offering")
        .prefetch_related("offering__sessions")
    )
    for registration in active:
        if registration.is_current:
            services.registration_cancel(registration=registration)
            cancelled += 1
    now = timezone.now()
    with transaction.atomic():
        ids = list(Registration.objects.filter(match).not_erased().values_list("pk", flat=True))
        anonymised = registrations_anonymise(registration_ids=ids, now=now)
        account_emails = 0
        if email and organisation is None:
            account_emails = notifications_blank(
                Notification.objects.filter(registration__isnull=True, to_email__iexact=email)
            )
        counts = {"registrations": anonymised, "cancelled": cancelled, "account_emails": account_emails}
        PrivacyRecord.objects.create(kind=kind, created_at=now, counts=counts)
        person_erased.send(sender=Registration, email=email, user=user, organisation=organisation)
    erasure_complete()
    return counts
