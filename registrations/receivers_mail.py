"""Emails, invites and reminders in reaction to scheduling changes (webinars/signals.py).

The signals are sent inside the scheduling service's transaction, so the outbox rows
written here commit or roll back with the change. Fan-out is done in bulk (one UPDATE to
bump the registrations' calendar revision, then per 2,000 registrations one UPDATE that
supersedes older pending invites and one batched INSERT, both by `outbox.enqueue`) so that
a session with thousands of registrants is rescheduled in a handful of queries.
"""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.dispatch import receiver

from registrations import reminders
from registrations.models import Notification, Registration
from registrations.outbox import enqueue, notification_new
from webinars import signals
from webinars.models import Offering, Session, Status

BATCH = 2000


def invites_fanout(
    *,
    registrations: QuerySet[Registration],
    kind: str,
    session: Session | None,
    payload: dict | None = None,
    bump: bool = True,
) -> int:
    """One email per registration (of `kind`, about `session` or all its sessions).

    Bumps each registration's revision (so the invite's SEQUENCE grows even if the
    offering's revision did not); `enqueue` skips older pending invites for the same
    calendar object, which this one replaces.
    """
    if bump:
        Registration.objects.filter(pk__in=registrations.values("pk")).update(revision=F("revision") + 1)
    count = 0
    batch: list[Notification] = []
    for registration in registrations.only("id", "offering_id", "email", "language").iterator(chunk_size=BATCH):
        batch.append(notification_new(kind=kind, registration=registration, session=session, payload=payload))
        if len(batch) >= BATCH:
            enqueue(*batch)
            count += len(batch)
            batch = []
    enqueue(*batch)
    return count + len(batch)


def _registrations_of(session: Session) -> QuerySet[Registration]:
    return Registration.objects.filter(offering_id=session.offering_id)


@receiver(signals.session_rescheduled, dispatch_uid="registrations.mail.session_rescheduled")
def on_session_rescheduled(sender, session: Session, old_starts_at=None, old_ends_at=None, **kwargs) -> None:
    confirmed = _registrations_of(session).filter(status=Registration.Status.CONFIRMED)
    invites_fanout(
        registrations=confirmed,
        kind=Notification.Kind.RESCHEDULED,
        session=session,
        payload={"old_starts_at": old_starts_at.isoformat() if old_starts_at else None},
    )
    reminders.reminders_reschedule(session=session)


@receiver(signals.session_details_changed, dispatch_uid="registrations.mail.session_details_changed")
def on_session_details_changed(sender, session: Session, changed=frozenset(), **kwargs) -> None:
    # A cancelled session's calendars already hold a CANCEL; an update would only be noise.
    if session.status == Status.CANCELLED:
        return
    invites_fanout(
        registrations=_registrations_of(session).filter(status=Registration.Status.CONFIRMED),
        kind=Notification.Kind.UPDATED,
        session=session,
        payload={"changed": sorted(changed)},
    )


@receiver(signals.offering_details_changed, dispatch_uid="registrations.mail.offering_details_changed")
def on_offering_details_changed(sender, offering: Offering, changed=frozenset(), **kwargs) -> None:
    if offering.status == Status.CANCELLED:
        return
    # session=None: the course's title is in the invite of each of its sessions.
    invites_fanout(
        registrations=Registration.objects.filter(offering=offering, status=Registration.Status.CONFIRMED),
        kind=Notification.Kind.UPDATED,
        session=None,
        payload={"changed": sorted(changed)},
    )


def _cancellation_fanout(registrations, *, session: Session | None) -> None:
    """The cancellation email: with the CANCEL invite for those who hold a seat, and without
    one for the waitlist, who hear the news too but never had an invite."""
    invites_fanout(
        registrations=registrations.filter(status=Registration.Status.CONFIRMED),
        kind=Notification.Kind.SESSION_CANCELLED,
        session=session,
        payload={"invite": True},
    )
    invites_fanout(
        registrations=registrations.filter(status=Registration.Status.WAITLISTED),
        kind=Notification.Kind.SESSION_CANCELLED,
        session=session,
        payload={"invite": False},
        bump=False,
    )


@receiver(signals.session_cancelled, dispatch_uid="registrations.mail.session_cancelled")
def on_session_cancelled(sender, session: Session, **kwargs) -> None:
    """One session of a course was cancelled; the course goes on."""
    _cancellation_fanout(_registrations_of(session), session=session)
    reminders.reminders_drop_for_session(session=session)


@receiver(signals.offering_cancelled, dispatch_uid="registrations.mail.offering_cancelled")
def on_offering_cancelled(sender, offering: Offering, **kwargs) -> None:
    _cancellation_fanout(Registration.objects.filter(offering=offering), session=None)
    Notification.objects.filter(
        registration__offering=offering,
        kind__in=[Notification.Kind.REMINDER, Notification.Kind.FOLLOWUP],
        state=Notification.State.PENDING,
    ).delete()


@receiver(signals.offering_sessions_changed, dispatch_uid="registrations.mail.offering_sessions_changed")
def on_offering_sessions_changed(sender, offering: Offering, added=(), removed=(), **kwargs) -> None:
    # registrations.receivers (connected first) has already given everyone join links
    # for the added sessions and revoked those of the removed ones.
    confirmed = Registration.objects.filter(offering=offering, status=Registration.Status.CONFIRMED)
    for session in removed:
        invites_fanout(
            registrations=confirmed,
            kind=Notification.Kind.SESSION_CANCELLED,
            session=session,
            payload={"invite": True, "removed": True},
        )
        Notification.objects.filter(
            registration__offering=offering,
            session=session,
            kind__in=[Notification.Kind.REMINDER, Notification.Kind.FOLLOWUP],
            state=Notification.State.PENDING,
        ).delete()
    for session in added:
        invites_fanout(
            registrations=confirmed,
            kind=Notification.Kind.RESCHEDULED,
            session=session,
            payload={"change": "added"},
        )
        reminders.reminders_fill(session=session)
        reminders.followups_schedule(registrations=list(confirmed), sessions=[session])
