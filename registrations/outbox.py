"""The outbox: the database is the queue for every email.

A change writes its Notification rows in the same transaction (`enqueue`, the one way a
row is written, applying the one superseding rule of registrations/invites.py). After
commit we nudge a Celery worker (`outbox_sweep` on the `mail` queue) as a fast path only;
the beat runs the same sweep every minute, so an email is never lost when the broker is
down and never depends on Celery ETA/countdown. Delivery (claim, send, retry) is in
registrations/delivery.py.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from registrations import tasks
from registrations.invites import INVITE_KINDS, invite_method, invites_supersede
from registrations.models import Notification, Registration
from webinars.models import Offering, Session

logger = logging.getLogger(__name__)


def notification_new(
    *,
    kind: str,
    registration=None,
    to_email: str | None = None,
    language: str | None = None,
    session=None,
    message=None,
    reminder_offset: int | None = None,
    payload: dict | None = None,
    due_at: datetime | None = None,
) -> Notification:
    """One outbox row, not yet written (see `enqueue`). The address and language default
    to the registration's."""
    if registration is not None:
        to_email = to_email or registration.email
        language = language or registration.language
    return Notification(
        kind=kind,
        to_email=to_email,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        registration=registration,
        session=session,
        message=message,
        reminder_offset=reminder_offset,
        payload=payload or {},
        due_at=due_at or timezone.now(),
    )


def enqueue(*notifications: Notification, supersede: bool = True, ignore_conflicts: bool = False) -> None:
    """Write outbox rows; call inside the transaction that causes the emails. The one way
    every email enters the outbox.

    An invite supersedes the older pending ones it replaces (`invites_supersede`), unless
    the caller knows there are none or has superseded them itself (`supersede=False`: rows
    of a registration created in this transaction, an invite fan-out). `ignore_conflicts`
    lets reminder rows that exist stay as they are (the unique constraint
    `notification_reminder_once`).
    """
    if not notifications:
        return
    if supersede:
        invites = {}
        for row in notifications:
            if row.registration_id is not None and row.kind in INVITE_KINDS:
                invites.setdefault(row.session_id, []).append(row.registration_id)
        for session_id, registration_ids in invites.items():
            invites_supersede(registration_ids=registration_ids, session_id=session_id)
    notifications = course_invites_split(list(notifications))
    Notification.objects.bulk_create(notifications, batch_size=1000, ignore_conflicts=ignore_conflicts)
    now = timezone.now()
    if any(row.due_at <= now for row in notifications):
        outbox_nudge_on_commit()


def course_invites_split(notifications: list[Notification]) -> list[Notification]:
    """An invite about every session of a course becomes one row per session.

    One iTIP message holds exactly one UID (RFC 5546; Outlook and Thunderbird import only
    the first event of a message holding several), and each session of a course is its own
    calendar object (`reg<registration>-s<session>`). So a course's confirmation, promotion,
    cancellation or update is one email per session, each superseded on its own
    (registrations/invites.py keys on registration and session). A row without an invite
    (a waitlisted person's cancellation) stays one email.
    """
    whole = [
        row
        for row in notifications
        if row.registration_id is not None
        and row.session_id is None
        and row.kind in INVITE_KINDS
        and invite_method(row) is not None
        and _maybe_course(row.registration)
    ]
    if not whole:
        return notifications
    whole_ids = {id(row) for row in whole}
    offering_ids = {row.registration.offering_id for row in whole}
    sessions: dict[int, list[Session]] = {}
    for session in Session.objects.filter(offering_id__in=offering_ids, offering__kind=Offering.Kind.COURSE).order_by(
        "position", "starts_at", "id"
    ):
        sessions.setdefault(session.offering_id, []).append(session)
    if not sessions:
        return notifications
    split: list[Notification] = []
    for row in notifications:
        parts = sessions.get(row.registration.offering_id) if id(row) in whole_ids else None
        if not parts:
            split.append(row)
            continue
        for session in parts:
            split.append(
                Notification(
                    kind=row.kind,
                    to_email=row.to_email,
                    language=row.language,
                    registration=row.registration,
                    session=session,
                    message=row.message,
                    reminder_offset=row.reminder_offset,
                    payload={**row.payload, "course_part": True},
                    due_at=row.due_at,
                )
            )
    return split


def _maybe_course(registration: Registration) -> bool:
    # A webinar's row (its offering already loaded, as on registering) costs no query.
    if Registration.offering.is_cached(registration):
        return registration.offering.is_course
    return True


def outbox_nudge_on_commit() -> None:
    # One nudge per transaction is enough, however many rows it wrote.
    pending = getattr(connection, "run_on_commit", [])
    if any(entry[1] is _nudge for entry in pending if len(entry) > 1):
        return
    transaction.on_commit(_nudge)


# Nudges are coalesced per process: at most one per NUDGE_SECONDS. Publishing to the
# broker costs about a millisecond of CPU per call, which a registration rush paid on
# every commit although one sweep delivers everything due. A commit inside the interval
# gets one trailing nudge at its end, so every commit is still followed by a sweep within
# about NUDGE_SECONDS; the beat's sweep stays the guarantee if the broker is away.
NUDGE_SECONDS = 1.0
_nudge_lock = threading.Lock()
_nudge_state: dict = {"last": float("-inf"), "timer": None}


def _nudge() -> None:
    with _nudge_lock:
        now = time.monotonic()
        wait = _nudge_state["last"] + NUDGE_SECONDS - now
        if wait > 0:
            if _nudge_state["timer"] is None:
                timer = threading.Timer(wait, _nudge_trailing)
                timer.daemon = True
                _nudge_state["timer"] = timer
                timer.start()
            return
        _nudge_state["last"] = now
    _nudge_send()


def _nudge_trailing() -> None:
    with _nudge_lock:
        _nudge_state["timer"] = None
        _nudge_state["last"] = time.monotonic()
    _nudge_send()


def _nudge_send() -> None:
    # Only a fast path: if the broker is down the sweeper delivers within a minute.
    try:
        tasks.outbox_sweep.apply_async(queue="mail", retry=False)
    except Exception as exc:  # kombu/redis raise many types; none may fail the request
        logger.warning("Could not nudge the mail worker (%s); the sweeper will deliver.", exc)
