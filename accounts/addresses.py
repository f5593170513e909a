"""Email addresses as people type them, and as mail has to carry them.

An address is stored and shown as typed (`idn@bücher.example`, `åse@example.no`). Wherever one
is written into an email (a header, the SMTP envelope, a calendar invite) its domain is
IDNA-encoded (`idn@xn--bcher-kva.example`): IDNA 2008 with the UTS #46 mapping, what browsers
and mail servers use (Python's own "idna" codec is IDNA 2003, which turns `straße.de` into a
different domain, `strasse.de`).

A non-ASCII local part (`åse@…`) has no ASCII form: it can only travel as UTF-8, to an SMTP
server that offers SMTPUTF8 (RFC 6531). Forms accept such an address only when the configured
server does (`smtputf8_offered`, an EHLO probe, cached); elsewhere they say what to change.
Django's own validator refuses them all with its generic message, and its `sanitize_address`
would turn the local part into an encoded word, which is a different address: the platform
never lets it.
"""

from __future__ import annotations

import logging
import unicodedata

import idna
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.validators import validate_email
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# Backends that write the message themselves instead of sending it: they carry UTF-8 headers
# as they are, so they count as offering SMTPUTF8.
LOCAL_BACKENDS = frozenset(
    {
        "config.mail.EmlFileBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    }
)
PROBE_SECONDS = 3600  # how long the server's answer is trusted
PROBE_RETRY_SECONDS = 60  # after a failed probe: try again soon, and refuse meanwhile

NON_ASCII_LOCAL_PART = _(
    "Vår e-posttjener kan ikke sende til adresser med æ, ø, å eller andre tegn utenfor a–z foran @. "
    "Bruk en adresse med bare a–z, 0–9 og . _ - + foran @."
)
INVALID_ADDRESS = _("Skriv inn en gyldig e-postadresse, for eksempel navn@eksempel.no.")


class UndeliverableAddress(ValueError):
    """An address that cannot be written into an email (no IDNA form, or a non-ASCII local part
    where SMTPUTF8 is not available)."""


def address_split(address: str) -> tuple[str, str]:
    local, at, domain = address.strip().rpartition("@")
    if not at or not local or not domain:
        raise UndeliverableAddress(f"not an email address: {address!r}")
    return local, domain


def domain_ascii(domain: str) -> str:
    """The domain's ASCII form (A-labels), as DNS and SMTP know it."""
    if domain.isascii() and "xn--" not in domain.lower():
        return domain
    try:
        return idna.encode(domain, uts46=True, transitional=False).decode("ascii")
    except idna.IDNAError as exc:
        raise UndeliverableAddress(f"the domain {domain!r} has no IDNA form: {exc}") from exc


def address_for_mail(address: str) -> str:
    """`address` with its domain IDNA-encoded: what goes into headers, the envelope and invites.
    The local part is kept as it is (non-ASCII only where SMTPUTF8 carries it)."""
    local, domain = address_split(address)
    return f"{local}@{domain_ascii(domain)}"


def needs_smtputf8(address: str) -> bool:
    """True when the local part is not ASCII: only SMTPUTF8 can carry the address."""
    return not address.strip().rpartition("@")[0].isascii()


def smtputf8_offered() -> bool:
    """Whether the configured mail backend can carry a non-ASCII local part: a backend that
    writes files or memory can; Django's SMTP backend (or a subclass) can when its server lists
    SMTPUTF8 in its EHLO answer (asked once, then cached for an hour in the shared cache);
    any other backend is assumed not to."""
    backend = settings.EMAIL_BACKEND
    if backend in LOCAL_BACKENDS:
        return True
    try:
        backend_class = import_string(backend)
    except ImportError:
        return False
    if not (isinstance(backend_class, type) and issubclass(backend_class, SmtpBackend)):
        return False
    key = f"smtputf8:{backend}:{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    offered = cache.get(key)
    if offered is None:
        offered = _smtputf8_probe()
        cache.set(key, bool(offered), PROBE_SECONDS if offered is not None else PROBE_RETRY_SECONDS)
    return bool(offered)


def _smtputf8_probe() -> bool | None:
    """EHLO to the configured server; None when it could not be reached."""
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
        client = connection.connection
        client.ehlo_or_helo_if_needed()
        return client.has_extn("smtputf8")
    except Exception as exc:
        logger.warning("Could not ask the SMTP server whether it offers SMTPUTF8: %s", exc)
        return None
    finally:
        try:
            connection.close()
        except Exception:
            pass


def validate_address_shape(value: str) -> None:
    """Django's address syntax, with the domain checked in its IDNA form and a local part that
    may hold letters outside ASCII (RFC 6531), but no spaces or invisible characters."""
    try:
        local, domain = address_split(value)
        ascii_domain = domain_ascii(domain)
    except UndeliverableAddress:
        raise ValidationError(INVALID_ADDRESS, code="invalid")
    if any(unicodedata.category(ch)[0] in "CZ" for ch in local):
        raise ValidationError(INVALID_ADDRESS, code="invalid")
    # Each non-ASCII letter stands in as an ASCII one for Django's syntax check.
    ascii_local = "".join(ch if ch.isascii() else "a" for ch in local)
    try:
        validate_email(f"{ascii_local}@{ascii_domain}")
    except ValidationError:
        raise ValidationError(INVALID_ADDRESS, code="invalid")


def validate_deliverable_address(value: str) -> None:
    """An address the platform can send to: the shape above, and a non-ASCII local part only
    where the mail server offers SMTPUTF8."""
    validate_address_shape(value)
    if needs_smtputf8(value) and not smtputf8_offered():
        raise ValidationError(NON_ASCII_LOCAL_PART, code="smtputf8")


def address_field_prepare(field: forms.Field, *, deliverable: bool = True) -> forms.Field:
    """Make a form's email field (ours or allauth's) take international addresses: the
    validators above instead of Django's, and a text input with the email keyboard, because
    browsers refuse a non-ASCII local part in `type="email"` before the form is sent, so the
    person would never see the message that says what to change. `deliverable=False` (login)
    accepts any address's shape: an account may have been made while the server offered
    SMTPUTF8."""
    field.validators = [validate_deliverable_address if deliverable else validate_address_shape]
    field.widget.input_type = "text"
    field.widget.attrs.update({"inputmode": "email", "autocomplete": "email", "spellcheck": "false"})
    return field


class EmailAddressField(forms.EmailField):
    """An email field for an address the platform will send to (a guest's registration, an
    office's contact address, a user's address in the admin)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        address_field_prepare(self)
