"""Secret tokens that travel in URL paths never reach a log line.

A personal join link, a registration's manage and cancel links, an opt-in link, the reminder
opt-out, a personal calendar feed and allauth's password-reset and email-confirmation links
each carry a secret in their path: whoever reads it may join, cancel or take over an account.
Access logs (gunicorn, runserver) write every request's path and referrer, and Django logs the
path of every 404 and 500. `MaskSecretsFilter` sits on every log handler (settings.LOGGING,
gunicorn's handlers in platform/gunicorn.conf.py, Celery's in config/celery.py) and replaces
each such secret with MASK; the rest of the path stays, so a log still says which page it was.
Email addresses lose their local part the same way (an SMTP error, a query string).
"""

from __future__ import annotations

import logging
import re

MASK = "[masked]"

# A path separator, also URL-encoded (a path inside ?next=… or a referrer's query string).
_SEP = r"(?:/|%2[Ff])"
# What a secret may be made of: anything up to the next separator, query, fragment, space or quote.
_SECRET = r"(?:(?!%2[Ff])[^/?#&\s\"'])+"

# Paths whose next segment is a secret (the URL patterns in registrations/urls.py and allauth's).
_AFTER = [
    "join",
    "pamelding/bekreft",
    "pamelding/avmeld",
    "paminnelser/avslutt",
    "personvern/slett",
    "konto/password/reset/key",
    "konto/confirm-email",
    # outcomes: the survey after a session, a certificate's download, its verification address
    # (which shows the holder's name); "kursbevis/last-ned" before "kursbevis", which it starts with
    "tilbakemelding",
    "kursbevis/last-ned",
    "kursbevis",
    # following: a guest's opt-in, the manage page and the one-click unsubscribe
    "folg/bekreft",
    "folg/administrer",
    "folg/avmeld",
]
_SECRET_IN_PATH = re.compile(
    # /join/<token>/, /pamelding/bekreft/<token>/, …
    rf"({_SEP}(?:{'|'.join(p.replace('/', _SEP) for p in _AFTER)}){_SEP}){_SECRET}"
    # /pamelding/<manage_token>/, but not its fixed sub-pages
    rf"|({_SEP}pamelding{_SEP})(?!(?:sjekk-e-post|bekreft|avmeld)(?:{_SEP}|$))({_SECRET})"
    # /kalender/<token>.ics
    rf"|({_SEP}kalender{_SEP}){_SECRET}?(\.ics)"
)


def _replace(match: re.Match) -> str:
    if match.group(1) is not None:
        return match.group(1) + MASK
    if match.group(2) is not None:
        return match.group(2) + MASK
    return match.group(4) + MASK + match.group(5)


# An email address, also URL-encoded (a query string): the part before the @ is the person's.
_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+?(@|%40)([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")


def mask_secrets(text: str) -> str:
    """`text` with every secret URL path segment replaced by MASK, and every email address's
    local part too (issue 15: no personal data in the logs; the domain stays, which is what
    an operator needs to see a mail provider's trouble)."""
    return _ADDRESS.sub(lambda m: MASK + m.group(1) + m.group(2), _SECRET_IN_PATH.sub(_replace, text))


class MaskSecretsFilter(logging.Filter):
    """Masks secrets in a record's message and traceback before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
        return True
