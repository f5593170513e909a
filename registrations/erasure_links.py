"""The confirmation link in a guest's "slett opplysningene mine" email.

The link carries the address sealed (accounts/sealing.py: encrypted and dated), so nothing
is stored while the person decides, and the address is not readable in a URL, a log or a
browser's history. It works for ERASURE_LINK_MAX_AGE. Fernet's padding is dropped so the
token fits the token alphabet of registrations/urls.py.
"""

from __future__ import annotations

from accounts.sealing import InvalidToken, open_sealed_text, seal_text

ERASURE_PURPOSE = "registrations.erasure"
ERASURE_LINK_MAX_AGE = 24 * 3600


def erasure_token(email: str) -> str:
    return seal_text(email.strip().lower(), purpose=ERASURE_PURPOSE).rstrip("=")


def erasure_token_open(token: str) -> str | None:
    """The address a link was made for, or None when it is unknown or too old."""
    padded = token + "=" * (-len(token) % 4)
    try:
        return open_sealed_text(padded, purpose=ERASURE_PURPOSE, max_age=ERASURE_LINK_MAX_AGE)
    except (InvalidToken, ValueError):
        return None
