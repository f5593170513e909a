"""django-allauth adapter: account emails go through the outbox like every other email.

It lives in the project package because it joins `accounts` (below) with the outbox
in `registrations` (above); no app may import one above it.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import get_language

from registrations.models import Notification
from registrations.outbox import enqueue, notification_new


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = next((body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"), "")
        enqueue(
            notification_new(
                kind=Notification.Kind.ACCOUNT,
                to_email=email,
                language=(get_language() or "nb")[:2],
                payload={"subject": str(message.subject), "text": message.body, "html": html},
            )
        )
