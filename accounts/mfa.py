"""allauth.mfa's adapter: authenticator secrets are encrypted in the database.

allauth stores a TOTP secret and the seed of the recovery codes as they are unless an adapter
encrypts them; whoever could read the table (a backup, a staff user's admin) could then make
the person's codes. Here they are sealed (accounts/sealing.py: Fernet under a key derived
from SECRET_KEY, with SECRET_KEY_FALLBACKS for opening after a rotation).
"""

from __future__ import annotations

from allauth.mfa.adapter import DefaultMFAAdapter

from accounts.sealing import open_sealed_text, seal_text

PURPOSE = "authenticator secrets"


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return seal_text(text, purpose=PURPOSE)

    def decrypt(self, encrypted_text: str) -> str:
        return open_sealed_text(encrypted_text, purpose=PURPOSE)
