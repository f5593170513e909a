"""Public, non-personal iCalendar for sessions: the single-session download and the
office and catalogue subscription feeds (the "Add to calendar" links are in calendar_links.py).

Nothing here may carry a personal join link or the stream URL: events point at the
session's public page. Personal calendars (invites, the personal feed) live in
registrations/ics.py and reuse `calendar_new` and `event_base` from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch
from icalendar import Calendar, Event

from webinars.models import Session, Status

PRODID = "-//Musikkhjemmekontoret//Webinarer//NB"


def uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "musikkhjemmekontoret.no"


def clean_text(value: str, limit: int = 500) -> str:
    # Control characters other than newline have no place in a calendar property.
    return "".join(ch for ch in str(value) if ch == "\n" or ch >= " ")[:limit]


def session_page_url(session: Session) -> str:
    try:
        return settings.SITE_URL + session.get_absolute_url()
    except NoReverseMatch:  # the catalogue's page is not routed (tests of lower layers)
        return settings.SITE_URL + f"/webinarer/{session.slug}/"


def calendar_new(*, method: str | None = None, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", clean_text(name, 200))
        # Subscribed feeds: ask clients to refresh a few times a day.
        calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT6H")
    return calendar


def event_base(session: Session, *, uid: str, sequence: int, stamp: datetime | None = None) -> Event:
    """The properties every event of a session has; times in UTC."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("sequence", sequence)
    event.add("summary", clean_text(session.full_title, 200))
    cancelled = session.status == Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def public_event(session: Session, *, stamp: datetime | None = None) -> Event:
    url = session_page_url(session)
    event = event_base(session, uid=f"session{session.pk}@{uid_domain()}", sequence=session.revision, stamp=stamp)
    office = session.organisation
    parts = [clean_text(session.summary), office.short_name or office.name, url]
    description = "\n\n".join(part for part in parts if part)
    event.add("description", description)
    event.add("url", url)
    event.add("location", url)
    return event


def sessions_calendar(sessions: Iterable[Session], *, name: str | None = None, method: str | None = None) -> bytes:
    """A calendar of public events (the session's organisation must be loaded or loadable)."""
    calendar = calendar_new(method=method, name=name)
    stamp = datetime.now(UTC)
    for session in sessions:
        calendar.add_component(public_event(session, stamp=stamp))
    return calendar.to_ical()
