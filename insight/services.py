from __future__ import annotations

from accounts.models import Organisation


def organisation_county_question_set(*, organisation: Organisation, asks_county: bool) -> None:
    """Turn the registration form's county question on or off for an office's offerings."""
    organisation.asks_county = asks_county
    organisation.save(update_fields=["asks_county"])
