"""The recording follow-up email: "thank you for coming" or "here is what you missed".

Built through the one message builder (registrations/emails.py; registered in apps.py) from
library/templates/library/email/recording-subject.txt, -body.txt and -body.html. It links
to the recording's page on our site, which checks access, rather than to the video itself.
"""

from __future__ import annotations

from django.conf import settings

from library.models import Resource
from registrations.emails import PlatformEmail, batch_cached, header_text, render_email
from registrations.models import Notification


def _published_resource(resource_id) -> Resource | None:
    return Resource.objects.published().select_related("organisation", "session").filter(pk=resource_id).first()


def build_recording_message(notification: Notification) -> PlatformEmail | None:
    resource_id = (notification.payload or {}).get("resource_id")
    # One recording goes to every registrant of its session: looked up once per batch.
    resource = batch_cached(("recording", resource_id), lambda: _published_resource(resource_id))
    if resource is None:  # unpublished or deleted since: nothing to point at
        return None
    registration = notification.registration
    name = header_text(registration.name, 150) if registration else ""
    context = {
        "resource": resource,
        "session": resource.session or notification.session,
        "attended": bool(notification.payload.get("attended")),
        "name": name,
        "url": f"{settings.SITE_URL}{resource.get_absolute_url()}",
        "PLATFORM_NAME": settings.PLATFORM_NAME,
    }
    return render_email(
        notification, template="library/email/recording", context=context, office=resource.organisation, to_name=name
    )
