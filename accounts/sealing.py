"""Sealed secrets: Fernet under a key derived from SECRET_KEY for one purpose.

What must rest in the database but must not be readable there (an authenticator's secret,
an account email's one-time link while it waits in the outbox) is sealed with a key derived
from SECRET_KEY and the purpose, so a key for one purpose opens nothing else. Opening also
tries SECRET_KEY_FALLBACKS, so a rotation does not lose what was sealed before it, and may
be given a maximum age: Fernet tokens carry the time they were made.
"""

from __future__ import annotations

import base64
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

__all__ = ["InvalidToken", "open_sealed", "open_sealed_text", "seal", "seal_text"]


def _fernet(purpose: str, secret: str) -> Fernet:
    key = salted_hmac("accounts.sealing", purpose, secret=secret, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _cipher(purpose: str) -> MultiFernet:
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([_fernet(purpose, secret) for secret in secrets])


def seal_text(text: str, *, purpose: str) -> str:
    return _cipher(purpose).encrypt(text.encode()).decode()


def open_sealed_text(token: str, *, purpose: str, max_age: int | None = None) -> str:
    """The text sealed for `purpose`; raises InvalidToken when it was not, or is older than
    `max_age` seconds."""
    return _cipher(purpose).decrypt(token.encode(), ttl=max_age).decode()


def seal(data: dict, *, purpose: str) -> str:
    return seal_text(json.dumps(data, ensure_ascii=False), purpose=purpose)


def open_sealed(token: str, *, purpose: str, max_age: int | None = None) -> dict:
    return json.loads(open_sealed_text(token, purpose=purpose, max_age=max_age))
