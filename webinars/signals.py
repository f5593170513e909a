"""Signals the scheduling services send so that higher apps (registrations: invites,
reminders, waitlist promotion) can react without webinars or courses importing them.

They are sent inside the service's transaction, so a receiver's writes (outbox rows)
commit or roll back together with the change itself.
"""

from django.dispatch import Signal

# sender=Session; kwargs: session, old_starts_at, old_ends_at
session_rescheduled = Signal()
# sender=Session; kwargs: session, changed (set of field names an invite or its email shows:
# title, timezone). Not sent for a change of time (session_rescheduled carries the new
# details too).
session_details_changed = Signal()
# sender=Session; kwargs: session. One session of a course is cancelled; the course goes on.
session_cancelled = Signal()
# sender=Offering; kwargs: offering. The whole offering (a webinar, or a course) is cancelled.
offering_cancelled = Signal()
# sender=Offering; kwargs: offering, old_capacity (None = unlimited)
capacity_changed = Signal()
# sender=Offering; kwargs: offering, added (list of Session), removed (list of Session)
offering_sessions_changed = Signal()
# sender=Offering; kwargs: offering, changed (set of field names; a course's title is in every invite)
offering_details_changed = Signal()
