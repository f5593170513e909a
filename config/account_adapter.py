"""django-allauth adapter: account emails go through the outbox like every other email.

It lives in the project package because it joins `accounts` (below) with the outbox
in `registrations` (above); no app may import one above it.

allauth names the site in its emails ("Hei fra Musikkhjemmekontoret!", "en konto på …"):
the name is PLATFORM_NAME and the domain comes from SITE_URL, never from the request's
Host header or an empty sites table. Every link in an account email (verification, password
reset, unknown account) is SITE_URL plus its path too: allauth builds them with
request.build_absolute_uri, which trusts the Host header the request arrived with. The email
is written in the person's language (their preferred language when they have an account, else
the page's), and the outbox builder puts its text into the platform's email layout, text and
HTML (registrations/email_kinds.py).

The rendered email holds one-time links (verification, password reset): it waits in the
outbox sealed (accounts/sealing.py), opens only within ACCOUNT_EMAIL_MAX_AGE, and its
payload is wiped once the row is sent, skipped or failed (registrations/delivery.py).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.addresses import validate_deliverable_address
from registrations.email_kinds import account_payload
from registrations.models import Notification
from registrations.outbox import enqueue, notification_new

EMAIL_MAX_LENGTH = 254


@dataclass(frozen=True)
class PlatformSite:
    """What allauth's templates read of `current_site`."""

    name: str
    domain: str


def platform_site() -> PlatformSite:
    return PlatformSite(name=settings.PLATFORM_NAME, domain=urlsplit(settings.SITE_URL).netloc)


# The links allauth puts into its emails' contexts (verification, password reset, unknown
# account, account already exists), each built by allauth from the request.
LINK_KEYS = ("activate_url", "password_reset_url", "signup_url")


def site_link(url: str) -> str:
    """An email link on the canonical address: SITE_URL plus the link's path and query,
    whatever host the request that built it named."""
    parts = urlsplit(url)
    return settings.SITE_URL.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "preferred_language", "") or (get_language() or "nb")[:2]
        language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        ctx = {"email": email, **context, "current_site": platform_site()}
        # One place for every flow: some build their link through this adapter, others
        # (the unknown-account email) straight from the request.
        for key in LINK_KEYS:
            if ctx.get(key):
                ctx[key] = site_link(str(ctx[key]))
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        enqueue(
            notification_new(
                kind=Notification.Kind.ACCOUNT,
                to_email=email,
                language=language,
                payload=account_payload(subject=str(message.subject), text=message.body),
            )
        )

    def clean_email(self, email: str) -> str:
        # allauth's forms take addresses of up to 320 characters; an account's, the outbox's and
        # allauth's own columns hold 254 (PostgreSQL refused the longer one with an error).
        if len(email) > EMAIL_MAX_LENGTH:
            raise forms.ValidationError(
                _("E-postadressen kan ha høyst %(max)d tegn.") % {"max": EMAIL_MAX_LENGTH}, code="max_length"
            )
        # Every allauth form that takes an address it will write to (sign-up, add or change an
        # address, password reset): an international one only where it can be sent
        # (accounts/addresses.py), even on a form whose field still has Django's validator.
        validate_deliverable_address(email)
        return super().clean_email(email)
