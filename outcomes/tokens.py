"""The signed values in this app's addresses.

- The survey link (`/tilbakemelding/<token>/`) carries the registration and the session,
  signed: it needs no sign-in and no stored secret, and nobody can make one for another
  registration. It stays valid for FEEDBACK_LINK_MAX_AGE.
- The certificate download (`/kursbevis/last-ned/<token>/`) carries the registration, signed,
  the same way; the registration must still qualify when it is used.
- The verification address (`/kursbevis/<code>/`) carries the certificate's random code and
  its signature: a code nobody issued is refused without a database query, and the random part
  (96 bits) cannot be guessed.

Each purpose has its own salt, so a value signed for one is refused by the others. An erased
registration's links stop working (the views check `erased_at`).
"""

from __future__ import annotations

import secrets

from django.core import signing

FEEDBACK_SALT = "outcomes.feedback"
DOWNLOAD_SALT = "outcomes.certificate.download"
CODE_SALT = "outcomes.certificate.code"
# Long enough for the person to answer after a busy week, short enough that an old email
# does not reopen a survey the office has long since read.
FEEDBACK_LINK_MAX_AGE = 60 * 60 * 24 * 60
CODE_SEPARATOR = "."  # not in the URL-safe base64 alphabet the random part and signature use


def feedback_token(registration_id: int, session_id: int) -> str:
    return signing.dumps([registration_id, session_id], salt=FEEDBACK_SALT)


def feedback_token_open(token: str) -> tuple[int, int] | None:
    try:
        registration_id, session_id = signing.loads(token, salt=FEEDBACK_SALT, max_age=FEEDBACK_LINK_MAX_AGE)
        return int(registration_id), int(session_id)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def download_token(registration_id: int) -> str:
    return signing.dumps(registration_id, salt=DOWNLOAD_SALT)


def download_token_open(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=DOWNLOAD_SALT))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def certificate_code_new() -> str:
    return signing.Signer(salt=CODE_SALT, sep=CODE_SEPARATOR).sign(secrets.token_urlsafe(12))


def certificate_code_genuine(code: str) -> bool:
    """Whether this code was signed here (it may still name no certificate)."""
    try:
        signing.Signer(salt=CODE_SALT, sep=CODE_SEPARATOR).unsign(code)
        return True
    except signing.BadSignature:
        return False
