"""Erasing a person: on account deletion (by the person or an admin) and when a guest
confirms "slett opplysningene mine" by email.

First their future registrations are cancelled through the normal service
(`registration_cancel`): the calendar gets its CANCEL, a freed seat goes to the next on the
waitlist, reminders are dropped. Then every registration with their account or address is
anonymised (registrations/anonymise.py) and their account emails in the outbox are blanked.
What is left are anonymous counts. What happened is recorded in PrivacyRecord, in numbers.

A speaker is not a registrant: their name and presentation are the office's published
programme. When a speaker asks to be forgotten, an organiser erases them (`speaker_erase`):
their rows go from the office's sessions, which stay as they are otherwise, and the offerings'
messages lose their name.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from registrations import services
from registrations.anonymise import erasure_complete, messages_redact, notifications_blank, registrations_anonymise
from registrations.models import Message, Notification, PrivacyRecord, Registration
from registrations.signals import person_erased
from webinars.models import Course, Session, Speaker


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
        account = [user.display_name, user.email] if user is not None else []
        anonymised = registrations_anonymise(registration_ids=ids, now=now, also_redact=[email, *account])
        if user is not None and organisation is None:
            # An organiser who leaves: the messages they wrote stay the office's, unsigned.
            authored = Message.objects.filter(author=user).values_list("offering_id", flat=True)
            messages_redact(offering_ids=authored, texts=account)
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


def speaker_erase(*, speaker: Speaker) -> dict:
    """Erase a speaker who asked to be forgotten: every speaker row with the same name on the
    sessions of the same office (a person who spoke twice is forgotten twice), and their name in
    the messages of those sessions' offerings. The sessions keep everything else. Returns the
    counts it recorded."""
    name = speaker.name
    organisation_id = speaker.session.organisation_id
    with transaction.atomic():
        rows = Speaker.objects.filter(session__organisation_id=organisation_id, name__iexact=name)
        offering_ids = set(rows.values_list("session__offering_id", flat=True))
        # post_delete, sent for each row, empties the catalogue's cache of the pages that showed them.
        deleted, _ = rows.delete()
        counts = {"speakers": deleted, "messages": messages_redact(offering_ids=offering_ids, texts=[name])}
        PrivacyRecord.objects.create(kind=PrivacyRecord.Kind.SPEAKER_ERASED, counts=counts)
    return counts


def speaker_mentions(*, organisation_id: int, name: str) -> list[str]:
    """The titles of the office's webinars and courses whose own texts (title, summary,
    description) still name `name`: texts an organiser wrote for the public, which only they
    should rewrite."""
    words = name.split()
    if not words:
        return []
    needle = " ".join(words)
    text = Q(title__icontains=needle) | Q(summary__icontains=needle) | Q(description__icontains=needle)
    titles = list(Session.objects.filter(text, organisation_id=organisation_id).values_list("title", flat=True))
    titles += Course.objects.filter(text, organisation_id=organisation_id).values_list("title", flat=True)
    return sorted(set(titles))
