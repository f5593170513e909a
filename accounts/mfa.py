"""allauth.mfa's adapter: authenticator secrets are encrypted in the database.

allauth stores a TOTP secret and the seed of the recovery codes as they are unless an adapter
encrypts them; whoever could read the table (a backup, a staff user's admin) could then make
the person's codes. Here they are encrypted with Fernet under a key derived from SECRET_KEY
(and SECRET_KEY_FALLBACKS for decrypting after a rotation).
"""

from __future__ import annotations

import base64

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac


def _fernet(secret: str) -> Fernet:
    key = salted_hmac("accounts.mfa", "authenticator secrets", secret=secret, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


class MFAAdapter(DefaultMFAAdapter):
    def _cipher(self) -> MultiFernet:
        return MultiFernet([_fernet(settings.SECRET_KEY), *map(_fernet, settings.SECRET_KEY_FALLBACKS)])

    def encrypt(self, text: str) -> str:
        return self._cipher().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return self._cipher().decrypt(encrypted_text.encode()).decode()
