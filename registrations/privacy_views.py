"""A guest's "slett opplysningene mine": asked from the registration's page or any email's
footer (the manage token), confirmed by a link sent to the address (registrations/erasure_links.py),
then carried out by the erasure service (registrations/erasure.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from accounts.ids import whole_number
from registrations.erasure import person_erase
from registrations.erasure_links import erasure_token_open
from registrations.models import Notification, PrivacyRecord, Registration
from registrations.outbox import enqueue, notification_new
from webinars.models import Offering, Status


@never_cache
def registration_erase(request, manage_token):
    registration = get_object_or_404(Registration.objects.not_erased(), manage_token=manage_token)
    if request.method == "POST":
        with transaction.atomic():
            enqueue(notification_new(kind=Notification.Kind.ERASURE, registration=registration))
        return render(request, "registrations/erasure.html", {"state": "sent", "email": registration.email})
    # GET explains and asks: a link fetched by a mail scanner sends nothing.
    return render(request, "registrations/erasure.html", {"state": "ask", "email": registration.email})


@never_cache
def erasure_confirm(request, token):
    email = erasure_token_open(token)
    if email is None:
        return render(request, "registrations/erasure.html", {"state": "expired"}, status=410)
    if request.method == "POST":
        person_erase(email=email, kind=PrivacyRecord.Kind.GUEST_ERASED)
        return render(request, "registrations/erasure.html", {"state": "done"})
    return render(request, "registrations/erasure.html", {"state": "confirm", "email": email})


def privacy_notice(request):
    """The privacy notice (Bokmål and English), linked from the forms, the site's footer and
    every email's footer. Its periods are the retention settings in force. Reached from an
    offering's registration form (`?tilbud=<id>`), it begins with that offering: the office
    that is its controller, how to reach it, and the office's own note. An offering that is
    not public, or a malformed id, gives the general notice."""
    offering = None
    offering_id = whole_number(request.GET.get("tilbud", ""))
    if offering_id is not None:
        offering = (
            Offering.objects.filter(status__in=[Status.PUBLISHED, Status.CANCELLED])
            .select_related("organisation")
            .filter(pk=offering_id)
            .first()
        )
    retention = {
        "registration_days": settings.RETENTION_REGISTRATION_DAYS,
        "outbox_sent_days": settings.RETENTION_OUTBOX_SENT_DAYS,
        "outbox_failed_days": settings.RETENTION_OUTBOX_FAILED_DAYS,
        "pending_days": settings.RETENTION_PENDING_REGISTRATION_DAYS,
        "unverified_days": settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS,
        "export_records_days": settings.RETENTION_EXPORT_RECORDS_DAYS,
        "privacy_records_days": settings.RETENTION_PRIVACY_RECORDS_DAYS,
    }
    return render(request, "registrations/privacy.html", {"retention": retention, "offering": offering})
