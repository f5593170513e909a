"""Erasure: when registrations erases a person (registrations.signals.person_erased), what
following holds about them goes too. An office erasing a registrant of its own offerings
(`organisation` given) erases only that office's registrations: a person's follows are not
the office's data, so they stay."""

from __future__ import annotations

from following.services import followers_erase
from registrations.signals import person_erased


def _person_erased(sender, *, email: str = "", user=None, organisation=None, **kwargs) -> None:
    if organisation is not None:
        return
    followers_erase(email=email, user=user)


def connect_receivers() -> None:
    person_erased.connect(_person_erased, dispatch_uid="following_person_erased")
