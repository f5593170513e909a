"""Wall-clock time in an IANA zone ↔ UTC.

Organisers enter a local date and time in the session's zone. Twice a year that is
not a one-to-one mapping: in the spring-forward hour a local time does not exist, in
the fall-back hour it exists twice. zoneinfo silently picks an offset in both cases,
so the checks below make the problem visible and let the organiser decide.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

DEFAULT_ZONE = "Europe/Oslo"

# Shown first in the zone picker; the rest follow alphabetically.
COMMON_ZONES = [
    "Europe/Oslo",
    "Europe/Stockholm",
    "Europe/Copenhagen",
    "Europe/Helsinki",
    "Atlantic/Reykjavik",
    "Europe/London",
    "Europe/Berlin",
    "UTC",
]


class NonExistentTime(ValueError):
    pass


class AmbiguousTime(ValueError):
    pass


@lru_cache(maxsize=64)
def get_zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def is_valid_zone(name: str) -> bool:
    try:
        get_zone(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


# The zone picker offers the continent/city names only: the database also holds legacy
# aliases ("W-SU", "Zulu", "US/Pacific", "Etc/GMT+1") that name the same clocks less clearly.
PICKER_AREAS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


@lru_cache(maxsize=1)
def picker_zones() -> list[str]:
    """The zones an organiser can pick: the common ones first, then the others by name."""
    named = {z for z in zoneinfo.available_timezones() if z.split("/", 1)[0] in PICKER_AREAS and "/" in z}
    return COMMON_ZONES + sorted(named - set(COMMON_ZONES))


@lru_cache(maxsize=1)
def _picker_lookup() -> dict[str, str]:
    return {z.casefold(): z for z in picker_zones()}


def picker_zone(text: str) -> str | None:
    """The zone an organiser typed, as the picker spells it: case and spaces for underscores
    do not matter ("europe/oslo", "America/New York"). None when it is not one of the list."""
    return _picker_lookup().get(text.strip().replace(" ", "_").casefold())


def exists(day: date, clock: time, zone_name: str) -> bool:
    naive = datetime.combine(day, clock)
    back = naive.replace(tzinfo=get_zone(zone_name)).astimezone(UTC).astimezone(get_zone(zone_name))
    return back.replace(tzinfo=None) == naive


def local_to_utc(day: date, clock: time, zone_name: str, fold: int | None = None) -> datetime:
    """The UTC instant of a wall-clock time. `fold` 0 = first occurrence (summer time),
    1 = second (winter time); needed only when the time is ambiguous."""
    if not exists(day, clock, zone_name):
        raise NonExistentTime
    local = datetime.combine(day, clock, tzinfo=get_zone(zone_name))
    if local.utcoffset() != local.replace(fold=1).utcoffset():
        if fold is None:
            raise AmbiguousTime
        local = local.replace(fold=fold)
    return local.astimezone(UTC)


def utc_to_local(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(get_zone(zone_name))


def zone_label(zone_name: str):
    """How a zone is named next to a time: "norsk tid" for Oslo, the IANA name otherwise."""
    if zone_name == "Europe/Oslo":
        return _("norsk tid")
    if zone_name == "UTC":
        return "UTC"
    return zone_name.replace("_", " ")
