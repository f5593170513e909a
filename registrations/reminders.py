"""Reminder rows per (registration, session, offset), and the follow-up after each session.

Reminders are ordinary outbox rows with a future `due_at`; the sweeper sends them when
they fall due (never Celery ETA/countdown, which Redis re-delivers after its visibility
timeout). The unique constraint `notification_reminder_once` makes "at most once per
(registration, session, offset)" a database guarantee: rows are inserted with
ON CONFLICT DO NOTHING, so scheduling twice, or after a reminder was sent, adds nothing.
A reminder opt-out leaves skipped rows behind for the same reason.

At send time the builder re-checks that the registration is still confirmed, the session
not cancelled and still in the future; anything else is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from registrations.models import Notification, Registration
from registrations.outbox import enqueue, notification_new
from webinars.models import Session, Status

# The follow-up goes out this long after a session ends.
FOLLOWUP_DELAY = timedelta(hours=2)
# Organisers may choose offsets up to four weeks before the start.
MAX_OFFSET_MINUTES = 28 * 24 * 60
OPTED_OUT = "opted out"


def offsets_clean(offsets) -> list[int]:
    """Positive whole minutes, largest first, without duplicates."""
    clean = set()
    for value in offsets or []:
        try:
            minutes = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < minutes <= MAX_OFFSET_MINUTES:
            clean.add(minutes)
    return sorted(clean, reverse=True)


def _sessions(registration: Registration) -> list[Session]:
    return list(Session.objects.filter(offering_id=registration.offering_id))


def _rows_for(registration: Registration, sessions: Iterable[Session], offsets: list[int], now: datetime):
    for session in sessions:
        if session.status == Status.CANCELLED or session.starts_at <= now:
            continue
        for minutes in offsets:
            due_at = session.starts_at - timedelta(minutes=minutes)
            if due_at <= now:
                continue  # no "tomorrow" reminder to someone who registers an hour before
            yield notification_new(
                kind=Notification.Kind.REMINDER,
                registration=registration,
                session=session,
                reminder_offset=minutes,
                due_at=due_at,
            )


def _followup_rows(registration: Registration, sessions: Iterable[Session]):
    for session in sessions:
        if session.status == Status.CANCELLED:
            continue
        yield notification_new(
            kind=Notification.Kind.FOLLOWUP,
            registration=registration,
            session=session,
            due_at=session.ends_at + FOLLOWUP_DELAY,
        )


def rows_for_new_registration(*, registration: Registration, offering, sessions: list[Session]) -> list[Notification]:
    """The reminder and follow-up rows of a registration confirmed in this transaction,
    unsaved, for the caller's single INSERT. Nothing to read first: a new registration has
    no rows yet and cannot have opted out. Content is rendered at send time by the builder."""
    now = timezone.now()
    rows = list(_rows_for(registration, sessions, offsets_clean(offering.reminder_offsets), now))
    rows.extend(_followup_rows(registration, sessions))
    return rows


def reminders_schedule(*, registration: Registration, sessions: Iterable[Session] | None = None) -> int:
    """Create the reminder rows (and the follow-ups) for a confirmed registration.

    Offsets already passed are skipped; rows that exist (pending, sent or opted out) stay
    as they are. One read (opt-out and existing follow-ups), one INSERT … ON CONFLICT DO
    NOTHING. Returns the number of reminder rows attempted.
    """
    if registration.status != Registration.Status.CONFIRMED:
        return 0
    now = timezone.now()
    sessions = list(sessions) if sessions is not None else _sessions(registration)
    opted_out = False
    followed_up = set()
    for kind, session_id in Notification.objects.filter(
        Q(kind=Notification.Kind.REMINDER, last_error=OPTED_OUT) | Q(kind=Notification.Kind.FOLLOWUP),
        registration=registration,
    ).values_list("kind", "session_id"):
        if kind == Notification.Kind.REMINDER:
            opted_out = True
        else:
            followed_up.add(session_id)
    offsets = [] if opted_out else offsets_clean(registration.offering.reminder_offsets)
    rows = list(_rows_for(registration, sessions, offsets, now))
    followups = [row for row in _followup_rows(registration, sessions) if row.session_id not in followed_up]
    # ON CONFLICT DO NOTHING: the unique constraint keeps existing reminder rows as they are.
    enqueue(*rows, *followups, supersede=False, ignore_conflicts=True)
    return len(rows)


def followups_schedule(*, registrations: list[Registration], sessions: Iterable[Session]) -> None:
    """One follow-up per (registration, session), due a little after the session ends."""
    sessions = [s for s in sessions if s.status != Status.CANCELLED]
    if not registrations or not sessions:
        return
    existing = set(
        Notification.objects.filter(
            kind=Notification.Kind.FOLLOWUP, registration__in=registrations, session__in=sessions
        ).values_list("registration_id", "session_id")
    )
    enqueue(
        *(
            row
            for registration in registrations
            for row in _followup_rows(registration, sessions)
            if (registration.pk, row.session_id) not in existing
        ),
        supersede=False,
    )


def _pending_scheduled() -> Q:
    return Q(kind__in=[Notification.Kind.REMINDER, Notification.Kind.FOLLOWUP], state=Notification.State.PENDING)


def reminders_drop(*, registration: Registration, sessions: Iterable[Session] | None = None) -> int:
    """Drop the pending reminder and follow-up rows of a registration no longer confirmed."""
    rows = Notification.objects.filter(_pending_scheduled(), registration=registration)
    if sessions is not None:
        rows = rows.filter(session__in=list(sessions))
    deleted, _ = rows.delete()
    return deleted


def reminders_drop_for_session(*, session: Session) -> int:
    deleted, _ = Notification.objects.filter(_pending_scheduled(), session=session).delete()
    return deleted


def confirmed_registrations_for(session: Session):
    """Confirmed registrations that include `session`: those of its offering."""
    return Registration.objects.filter(offering_id=session.offering_id, status=Registration.Status.CONFIRMED)


def reminders_reschedule(*, session: Session) -> None:
    """The session moved: move pending reminders and follow-ups; sent ones stay sent.

    A reminder whose new due time has already passed is skipped (it would arrive late
    and say the wrong thing); offsets that come back into the future get their rows.
    """
    now = timezone.now()
    pending = Notification.objects.filter(session=session, state=Notification.State.PENDING)
    with transaction.atomic():
        offsets = set(
            pending.filter(kind=Notification.Kind.REMINDER).values_list("reminder_offset", flat=True).distinct()
        )
        for minutes in offsets:
            due_at = session.starts_at - timedelta(minutes=minutes)
            rows = pending.filter(kind=Notification.Kind.REMINDER, reminder_offset=minutes)
            if due_at <= now:
                rows.update(state=Notification.State.SKIPPED, last_error="due time passed on reschedule")
            else:
                rows.update(due_at=due_at)
        pending.filter(kind=Notification.Kind.FOLLOWUP).update(due_at=session.ends_at + FOLLOWUP_DELAY)
        reminders_fill(session=session)


def reminders_fill(*, session: Session) -> None:
    """Insert the reminder rows every confirmed registration of `session` should have."""
    now = timezone.now()
    if session.status == Status.CANCELLED or session.starts_at <= now:
        return
    registrations = confirmed_registrations_for(session).select_related("offering")
    opted_out = set(
        Notification.objects.filter(kind=Notification.Kind.REMINDER, session=session, last_error=OPTED_OUT).values_list(
            "registration_id", flat=True
        )
    )
    batch: list[Notification] = []
    for registration in registrations.iterator(chunk_size=2000):
        if registration.pk in opted_out:
            continue
        offsets = offsets_clean(registration.offering.reminder_offsets)
        batch.extend(_rows_for(registration, [session], offsets, now))
        if len(batch) >= 2000:
            enqueue(*batch, supersede=False, ignore_conflicts=True)
            batch = []
    enqueue(*batch, supersede=False, ignore_conflicts=True)


def reminders_resync(*, offering) -> None:
    """The organiser changed the offsets: drop pending rows of removed offsets, add new ones."""
    offsets = offsets_clean(offering.reminder_offsets)
    sessions = list(offering.sessions.all())
    with transaction.atomic():
        Notification.objects.filter(
            kind=Notification.Kind.REMINDER, state=Notification.State.PENDING, session__in=sessions
        ).exclude(reminder_offset__in=offsets).delete()
        for session in sessions:
            reminders_fill(session=session)


def reminders_opt_out(*, registration: Registration) -> int:
    """Stop reminders for this registration: pending rows are skipped and missing ones
    are written as skipped, so the unique constraint keeps them from coming back."""
    now = timezone.now()
    with transaction.atomic():
        changed = Notification.objects.filter(
            registration=registration, kind=Notification.Kind.REMINDER, state=Notification.State.PENDING
        ).update(state=Notification.State.SKIPPED, last_error=OPTED_OUT, claimed_until=None)
        offsets = offsets_clean(registration.offering.reminder_offsets)
        blockers = list(_rows_for(registration, _sessions(registration), offsets, now))
        if not changed and not blockers:
            # Nothing to block: still remember the choice for offsets added later.
            blockers = [
                notification_new(
                    kind=Notification.Kind.REMINDER, registration=registration, session=s, reminder_offset=0
                )
                for s in _sessions(registration)
            ]
        for row in blockers:
            row.state = Notification.State.SKIPPED
            row.last_error = OPTED_OUT
        enqueue(*blockers, supersede=False, ignore_conflicts=True)
    return changed
