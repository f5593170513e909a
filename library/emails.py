"""The recording follow-up email: "thank you for coming" or "here is what you missed".

Registered with the one message builder in registrations/emails.py (see apps.py).
It links to the recording's page on our site, never to the video itself.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import get_random_string

from library.models import Resource


def build_recording_message(notification) -> EmailMultiAlternatives | None:
    resource_id = (notification.payload or {}).get("resource_id")
    resource = Resource.objects.published().select_related("organisation", "session").filter(pk=resource_id).first()
    if resource is None:  # unpublished or deleted since: nothing to point at
        return None
    registration = notification.registration
    context = {
        "resource": resource,
        "session": resource.session or notification.session,
        "attended": bool(notification.payload.get("attended")),
        "name": registration.name if registration else "",
        "url": f"{settings.SITE_URL}{resource.get_absolute_url()}",
        "PLATFORM_NAME": settings.PLATFORM_NAME,
    }
    with translation.override(notification.language or "nb"):
        subject = " ".join(render_to_string("library/email/recording_subject.txt", context).split())
        text = render_to_string("library/email/recording.txt", context)
        html = render_to_string("library/email/recording.html", context)
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=f"{settings.PLATFORM_NAME} <{settings.DEFAULT_FROM_EMAIL}>",
        to=[notification.to_email],
        headers={"Message-ID": f"<{get_random_string(24)}@{domain}>"},
    )
    email.attach_alternative(html, "text/html")
    return email
