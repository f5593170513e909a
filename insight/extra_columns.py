"""Extra per-offering columns on the dashboards, filled by apps that know more about an
offering than its registrations: the feedback after its sessions (app `outcomes`, below
insight in the layers), one grouped query for every offering shown."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from outcomes.summary import feedback_by_offering


@dataclass
class ExtraColumn:
    key: str
    label: str
    values: dict = field(default_factory=dict)  # offering id → value shown (missing: "–")


def offering_extra_columns(*, offering_ids: list[int]) -> list[ExtraColumn]:
    """The extra columns for these offerings, in one query: the average rating (1–5) of the
    feedback after their sessions and how many answered, "4,3 (12)"."""
    feedback = feedback_by_offering(offering_ids)
    values = {
        offering_id: f"{number_format(figures['average'], 1)} ({figures['count']})"
        for offering_id, figures in feedback.items()
    }
    return [ExtraColumn(key="feedback", label=_("Tilbakemelding (snitt 1–5, antall svar)"), values=values)]
