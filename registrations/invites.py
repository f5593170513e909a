"""The invite rules: which emails carry a calendar invite, with which iTIP method, and
which older invite a newer one supersedes.

A newer calendar email for the same registration and calendar object replaces an older one
still pending: `invites_supersede` marks it skipped when the newer row is written (the
outbox's `enqueue` calls it), and `invite_superseded` re-checks the same rule when a row
is built, so a retried old REQUEST never overwrites a newer state a calendar already has.
The invite itself is built by registrations/ics.py.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from registrations import ics
from registrations.models import Notification, Registration
from webinars.models import Offering

# Kinds whose email carries an iTIP object (REQUEST or CANCEL) for the registration's sessions.
INVITE_KINDS = frozenset(
    {
        Notification.Kind.CONFIRMED,
        Notification.Kind.PROMOTED,
        Notification.Kind.RESCHEDULED,
        Notification.Kind.UPDATED,
        Notification.Kind.CANCELLED,
        Notification.Kind.SESSION_CANCELLED,
    }
)


def invite_method(notification: Notification) -> str | None:
    """Which iTIP method the email carries, or None for an email without an invite."""
    kind = notification.kind
    payload = notification.payload or {}
    if kind in (
        Notification.Kind.CONFIRMED,
        Notification.Kind.PROMOTED,
        Notification.Kind.RESCHEDULED,
        Notification.Kind.UPDATED,
    ):
        return ics.REQUEST
    if kind == Notification.Kind.CANCELLED:
        # Only someone who had a seat (and so an invite) needs the CANCEL.
        return ics.CANCEL if payload.get("was", Registration.Status.CONFIRMED) == "confirmed" else None
    if kind == Notification.Kind.SESSION_CANCELLED:
        return ics.CANCEL if payload.get("invite", True) else None
    if kind == Notification.Kind.WAITLISTED and payload.get("demoted"):
        return ics.CANCEL
    return None


def superseded_filter(*, registration_ids, session_id: int | None) -> Q:
    """Invite rows of these registrations whose calendar object a new invite about
    `session_id` replaces: the same session's, and for a webinar (one session) the rows
    about all of its sessions (session None), which are the same calendar object. A new
    invite about every session (`session_id` None) replaces them all."""
    condition = Q(registration_id__in=registration_ids, kind__in=INVITE_KINDS)
    if session_id is None:
        return condition
    one_session = Q(session__isnull=True, registration__offering__kind=Offering.Kind.WEBINAR)
    return condition & (Q(session_id=session_id) | one_session)


def invites_supersede(*, registration_ids, session_id: int | None = None) -> int:
    """Skip the pending invite emails a newer one replaces. A row a sweeper holds under a
    live lease is left to it (it is being sent); one whose lease expired is skipped."""
    now = timezone.now()
    return (
        Notification.objects.filter(
            superseded_filter(registration_ids=registration_ids, session_id=session_id),
            state=Notification.State.PENDING,
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(state=Notification.State.SKIPPED, last_error="superseded", claimed_until=None)
    )


def invite_superseded(notification: Notification) -> bool:
    """At send time: has a newer invite row (one not skipped) replaced this one?"""
    return (
        Notification.objects.filter(
            superseded_filter(registration_ids=[notification.registration_id], session_id=notification.session_id),
            id__gt=notification.pk,
        )
        .exclude(state=Notification.State.SKIPPED)
        .exists()
    )
