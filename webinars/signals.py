"""Signals the scheduling services send so that higher apps (registrations: invites,
reminders, waitlist promotion) can react without webinars or courses importing them.

They are sent inside the service's transaction, so a receiver's writes (outbox rows)
commit or roll back together with the change itself.
"""

from django.dispatch import Signal

# sender=Session; kwargs: session, old_starts_at, old_ends_at
session_rescheduled = Signal()
# sender=Session; kwargs: session
session_cancelled = Signal()
# sender=Course; kwargs: course
course_cancelled = Signal()
# sender=Session or Course; kwargs: offering, old_capacity (None = unlimited)
capacity_changed = Signal()
# sender=Course; kwargs: course, added (list of Session), removed (list of Session)
course_sessions_changed = Signal()
# sender=Session; kwargs: session, changed (set of field names an invite or its email shows:
# title, summary, description, timezone). Not sent for a change of time (session_rescheduled
# carries the new details too) or capacity (capacity_changed).
session_details_changed = Signal()
# sender=Course; kwargs: course, changed (set of field names; the title is in every invite)
course_details_changed = Signal()
