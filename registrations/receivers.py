"""Reactions to scheduling changes in the lower apps (see webinars/signals.py).

The signals are sent inside the scheduling service's transaction, so the promotions
and join links written here commit or roll back together with the change.
"""

from allauth.account.signals import email_changed
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from accounts.models import User
from registrations import erasure, services
from registrations.models import Notification, PrivacyRecord, Registration
from webinars import signals


@receiver(signals.capacity_changed, dispatch_uid="registrations.capacity_changed")
def on_capacity_changed(sender, offering, old_capacity=None, **kwargs) -> None:
    services.waitlist_promote(offering=offering)


@receiver(signals.offering_sessions_changed, dispatch_uid="registrations.offering_sessions_changed")
def on_offering_sessions_changed(sender, offering, added=(), removed=(), **kwargs) -> None:
    services.offering_sessions_joinlinks_update(offering=offering, added=list(added), removed=list(removed))


@receiver(signals.offerings_shown, dispatch_uid="registrations.offerings_shown")
def on_offerings_shown(sender, offerings, user=None, **kwargs) -> None:
    """The waitlist's length of each full offering (one query, none when no offering is full)
    and the visitor's own active registration, matched by account or address as on "Mine
    påmeldinger", with its waitlist place (one query, only for a signed-in visitor)."""
    # Several sessions of one course on a page carry copies of one offering: set each copy.
    by_id: dict[int, list] = {}
    for offering in offerings:
        by_id.setdefault(offering.pk, []).append(offering)
    full = {offering.pk for offering in offerings if offering.seats_left == 0}
    if full:
        waiting = (
            Registration.objects.filter(offering__in=full, status=Registration.Status.WAITLISTED)
            .order_by()
            .values_list("offering")
            .annotate(n=Count("id"))
        )
        for offering_id, n in waiting:
            for offering in by_id[offering_id]:
                offering.waitlist_length = n
    if user is not None and user.is_authenticated:
        mine = (
            Registration.objects.active()
            .filter(Q(user=user) | Q(email__iexact=user.email), offering__in=list(by_id))
            .with_waitlist_position()
            .order_by("-created_at")
        )
        for registration in mine:  # the newest first, should an address have two
            for offering in by_id[registration.offering_id]:
                if offering.my_registration is None:
                    offering.my_registration = registration


@receiver(pre_delete, sender=User, dispatch_uid="registrations.user_deleted")
def on_user_deleted(sender, instance, **kwargs) -> None:
    """Deleting an account, by its owner or in the admin, erases the person's registrations:
    future ones are cancelled (CANCEL invites, waitlist promotion) and all are anonymised.
    The admin's own log names the user by str(user); it is renamed to the id."""
    erasure.person_erase(email=instance.email, user=instance, kind=PrivacyRecord.Kind.ACCOUNT_DELETED)
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(instance.pk)).update(
        object_repr=f"#{instance.pk}"
    )


@receiver(email_changed, dispatch_uid="registrations.email_changed")
def on_email_changed(sender, request, user, from_email_address, to_email_address, **kwargs) -> None:
    """A person who makes another (verified) address their primary one keeps their
    registrations under it: the account's registrations and the emails still waiting for them
    go to the new address, so reminders, invites and "Mine påmeldinger" follow the person and
    the old address is not kept with them."""
    if from_email_address is None:
        return
    old, new = from_email_address.email, to_email_address.email
    mine = Registration.objects.filter(user=user, email__iexact=old)
    Notification.objects.filter(registration__in=mine, state=Notification.State.PENDING, to_email__iexact=old).update(
        to_email=new
    )
    mine.update(email=new)
