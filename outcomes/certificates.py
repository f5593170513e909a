"""Who may have a course certificate (kursbevis), and issuing one.

A participant qualifies when the course is over (every session not cancelled has ended) and
they joined (`JoinLink.first_joined_at`) at least the course's `certificate_threshold` per cent
of those sessions. Cancelled sessions count for nobody. The certificate states the hours of
the sessions the person attended, the course's first and last day, and the office
(issued by `outcomes.services.certificate_issue`).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field

from django.utils import timezone

from registrations.models import Registration
from webinars.models import Session, Status

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


@dataclass
class Attendance:
    total: int = 0
    attended: list[Session] = field(default_factory=list)
    live: list[Session] = field(default_factory=list)
    over: bool = False
    threshold: int = 75

    @property
    def share(self) -> int:
        return round(100 * len(self.attended) / self.total) if self.total else 0

    @property
    def qualifies(self) -> bool:
        # Whole numbers: attended/total ≥ threshold/100 without rounding either side.
        return self.over and self.total > 0 and 100 * len(self.attended) >= self.threshold * self.total


def course_attendance(registration: Registration) -> Attendance:
    """From the registration's join links and its offering's sessions: prefetched on lists
    ("Mine påmeldinger"), read here otherwise."""
    offering = registration.offering
    if not offering.is_course or registration.erased_at or registration.status != Registration.Status.CONFIRMED:
        return Attendance(threshold=offering.certificate_threshold)
    if offering.status == Status.CANCELLED:
        return Attendance(threshold=offering.certificate_threshold)
    live = sorted(
        (s for s in offering.sessions.all() if s.status != Status.CANCELLED), key=lambda s: (s.starts_at, s.pk)
    )
    joined = {link.session_id for link in registration.join_links.all() if link.first_joined_at}
    now = timezone.now()
    return Attendance(
        total=len(live),
        attended=[s for s in live if s.pk in joined],
        live=live,
        over=bool(live) and all(s.ends_at <= now for s in live),
        threshold=offering.certificate_threshold,
    )
