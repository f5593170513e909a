"""Organiser messages: one email per chosen registrant, through the outbox."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from registrations.models import JoinLink, Message, Notification, Registration
from registrations.outbox import enqueue, notification_new
from webinars.models import Offering


def message_recipients(*, offering: Offering, audience: str) -> QuerySet[Registration]:
    """The registrations an audience means: confirmed, waitlisted, or those who joined."""
    registrations = Registration.objects.filter(offering=offering).not_erased()
    if audience == Message.Audience.CONFIRMED:
        return registrations.filter(status=Registration.Status.CONFIRMED)
    if audience == Message.Audience.WAITLISTED:
        return registrations.filter(status=Registration.Status.WAITLISTED)
    if audience == Message.Audience.ATTENDED:
        joined = JoinLink.objects.filter(registration=OuterRef("pk"), first_joined_at__isnull=False)
        return registrations.exclude(status=Registration.Status.CANCELLED).filter(Exists(joined))
    return registrations.none()


def message_send(*, offering: Offering, author, audience: str, subject: str, body: str) -> Message:
    """Write the message and one outbox row per recipient (one per email address)."""
    with transaction.atomic():
        message = Message.objects.create(
            author=author, audience=audience, subject=subject, body=body, offering=offering
        )
        seen: set[str] = set()
        rows = []
        for registration in (
            message_recipients(offering=offering, audience=audience).order_by("id").only("id", "email", "language")
        ):
            key = registration.email.lower()
            if key in seen:
                continue
            seen.add(key)
            rows.append(notification_new(kind=Notification.Kind.MESSAGE, registration=registration, message=message))
        enqueue(*rows, supersede=False)
        if not rows:
            message.sent_at = timezone.now()
            message.save(update_fields=["sent_at"])
    return message


@dataclass
class Progress:
    total: int
    sent: int
    pending: int
    failed: int
    skipped: int

    @property
    def done(self) -> bool:
        return self.pending == 0


def message_progress(message: Message) -> Progress:
    counts = message.notifications.aggregate(
        total=Count("id"),
        sent=Count("id", filter=Q(state=Notification.State.SENT)),
        pending=Count("id", filter=Q(state=Notification.State.PENDING)),
        failed=Count("id", filter=Q(state=Notification.State.FAILED)),
        skipped=Count("id", filter=Q(state=Notification.State.SKIPPED)),
    )
    progress = Progress(**counts)
    if progress.done and message.sent_at is None and progress.total:
        Message.objects.filter(pk=message.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return progress


def failed_deliveries(*, offering: Offering) -> QuerySet[Notification]:
    """Emails to this offering's registrants that could not be delivered, newest first."""
    return (
        Notification.objects.filter(registration__offering=offering, state=Notification.State.FAILED)
        .select_related("registration")
        .order_by("-created_at")
    )
