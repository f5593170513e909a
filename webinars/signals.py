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
# sender=Offering; kwargs: offerings (a list), user (the signed-in visitor, or None). A page is
# about to show these offerings: receivers set what the catalogue cannot read itself, on each
# offering: `waitlist_length` (public: it may go into the shared cache) and `my_registration`
# (the visitor's own active registration, only when `user` is given; never cached). Sent by
# offerings_registrant_state below, which sets the defaults first.
offerings_shown = Signal()


def offerings_registrant_state(offerings, *, user=None) -> None:
    """Give each offering its waitlist length and, for a signed-in visitor, their own
    registration (registrations' receiver reads them in at most two queries for the lot)."""
    offerings = [o for o in offerings if o is not None]
    for offering in offerings:
        offering.waitlist_length = 0
        offering.my_registration = None
    if offerings:
        offerings_shown.send(sender=type(offerings[0]), offerings=offerings, user=user)
