"""Reactions to scheduling changes in the lower apps (see webinars/signals.py).

The signals are sent inside the scheduling service's transaction, so the promotions
and join links written here commit or roll back together with the change.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from accounts.models import User
from registrations import erasure, services
from registrations.models import PrivacyRecord
from webinars import signals


@receiver(signals.capacity_changed, dispatch_uid="registrations.capacity_changed")
def on_capacity_changed(sender, offering, old_capacity=None, **kwargs) -> None:
    services.waitlist_promote(offering=offering)


@receiver(signals.offering_sessions_changed, dispatch_uid="registrations.offering_sessions_changed")
def on_offering_sessions_changed(sender, offering, added=(), removed=(), **kwargs) -> None:
    services.offering_sessions_joinlinks_update(offering=offering, added=list(added), removed=list(removed))


@receiver(pre_delete, sender=User, dispatch_uid="registrations.user_deleted")
def on_user_deleted(sender, instance, **kwargs) -> None:
    """Deleting an account, by its owner or in the admin, erases the person's registrations:
    future ones are cancelled (CANCEL invites, waitlist promotion) and all are anonymised.
    The admin's own log names the user by str(user); it is renamed to the id."""
    erasure.person_erase(email=instance.email, user=instance, kind=PrivacyRecord.Kind.ACCOUNT_DELETED)
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(instance.pk)).update(
        object_repr=f"#{instance.pk}"
    )
