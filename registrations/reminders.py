"""Reminder rows per (registration, session, offset). Completed by the invites issue."""

from __future__ import annotations


def reminders_schedule(*, registration) -> None:
    """Create the reminder rows for a confirmed registration (skipping passed offsets)."""


def reminders_drop(*, registration) -> None:
    """Drop the pending reminder rows of a registration that is no longer confirmed."""
