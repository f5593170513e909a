"""Extra per-offering columns on the dashboards, filled by apps that know more about an
offering than its registrations. The feedback ratings of issue 16 (app `outcomes`, below
insight in the layers, so insight may import it) are to be returned from here: one
`ExtraColumn` with the average rating per offering, in one grouped query."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ExtraColumn:
    key: str
    label: str
    values: dict = field(default_factory=dict)  # offering id → value shown (missing: "–")


def offering_extra_columns(*, offering_ids: list[int]) -> list[ExtraColumn]:
    """The extra columns for these offerings, in a fixed number of queries. None yet."""
    return []
