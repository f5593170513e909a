"""The one message builder: every email is a subject, a text body and an HTML body."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.crypto import get_random_string

from registrations.models import Notification


def _message_id() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]
    return f"<{get_random_string(24)}@{domain}>"


def build_message(notification: Notification) -> EmailMultiAlternatives | None:
    if notification.kind == Notification.Kind.ACCOUNT:
        payload = notification.payload
        email = EmailMultiAlternatives(
            subject=payload["subject"],
            body=payload["text"],
            from_email=f"{settings.PLATFORM_NAME} <{settings.DEFAULT_FROM_EMAIL}>",
            to=[notification.to_email],
            headers={"Message-ID": _message_id()},
        )
        if payload.get("html"):
            email.attach_alternative(payload["html"], "text/html")
        return email
    raise ValueError(f"No email builder for notification kind {notification.kind!r}")
