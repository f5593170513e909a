"""Reactions to scheduling changes in the lower apps (see webinars/signals.py).

The signals are sent inside the scheduling service's transaction, so the promotions
and join links written here commit or roll back together with the change.
"""

from django.dispatch import receiver

from registrations import services
from webinars import signals


@receiver(signals.capacity_changed, dispatch_uid="registrations.capacity_changed")
def on_capacity_changed(sender, offering, old_capacity=None, **kwargs) -> None:
    services.waitlist_promote(offering=offering)


@receiver(signals.course_sessions_changed, dispatch_uid="registrations.course_sessions_changed")
def on_course_sessions_changed(sender, course, added=(), removed=(), **kwargs) -> None:
    services.course_sessions_joinlinks_update(course=course, added=list(added), removed=list(removed))
