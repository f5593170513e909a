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


@receiver(signals.offering_sessions_changed, dispatch_uid="registrations.offering_sessions_changed")
def on_offering_sessions_changed(sender, offering, added=(), removed=(), **kwargs) -> None:
    services.offering_sessions_joinlinks_update(offering=offering, added=list(added), removed=list(removed))
