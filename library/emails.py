"""The recording follow-up email: "thank you for coming" or "here is what you missed".

Registered with the one message builder in registrations/emails.py (see apps.py) and
built from its pieces (addresses, Message-ID). It links to the recording's page on our
site, which checks access, rather than to the video itself.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from library.models import Resource


def build_recording_message(notification) -> EmailMultiAlternatives | None:
    from registrations.emails import from_address, header_text, message_id, to_address

    resource_id = (notification.payload or {}).get("resource_id")
    resource = Resource.objects.published().select_related("organisation", "session").filter(pk=resource_id).first()
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
    with translation.override(notification.language or "nb"):
        subject = header_text(render_to_string("library/email/recording_subject.txt", context), 250)
        text = render_to_string("library/email/recording.txt", context)
        html = render_to_string("library/email/recording.html", context)
    office = resource.organisation
    headers = {"Message-ID": message_id(notification), "Auto-Submitted": "auto-generated"}
    if office.contact_email:
        headers["Reply-To"] = to_address(office.short_name or office.name, office.contact_email)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_address(office),
        to=[to_address(name, notification.to_email)],
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    return email
