"""Calendar invites (iTIP, RFC 5546) and the personal calendar feed.

One calendar object per (registration, session): UID `reg<registration>-s<session>@<domain>`
never changes, and SEQUENCE is `session.revision + offering.revision + registration.revision`.
All of these only grow, and every change a calendar must hear about bumps one of them, so
each update carries a higher SEQUENCE.

The organiser is the platform's no-reply address (with the office's name), and attendees
get RSVP=FALSE: replies would go nowhere. The text and URL carry the personal join link,
never the stream URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import quote

from django.conf import settings
from icalendar import Calendar, vCalAddress, vText

from accounts.addresses import UndeliverableAddress, address_for_mail
from registrations.models import Registration
from webinars.ics import calendar_new, clean_text, event_base, uid_domain
from webinars.models import Session

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def invite_uid(registration: Registration, session: Session) -> str:
    return f"reg{registration.pk}-s{session.pk}@{uid_domain()}"


def invite_sequence(registration: Registration, session: Session) -> int:
    return session.revision + registration.offering.revision + registration.revision


def _param_text(value: str) -> str:
    # A parameter value cannot hold a double quote; control characters are dropped too.
    return " ".join(clean_text(value, 150).replace('"', "'").split())


def mailto(address: str) -> str:
    """A calendar address is a URI, so ASCII (RFC 6068): the domain IDNA-encoded, any other
    non-ASCII letter (a local part's) percent-encoded as UTF-8."""
    try:
        address = address_for_mail(address)
    except UndeliverableAddress:
        pass  # a feed is still served; the email builder refuses such an address by itself
    return "mailto:" + "".join(ch if ch.isascii() else quote(ch) for ch in address)


def organizer_address(office) -> vCalAddress:
    organizer = vCalAddress(mailto(settings.DEFAULT_FROM_EMAIL))
    organizer.params["cn"] = vText(_param_text(office.name or office.short_name))
    return organizer


def attendee_address(registration: Registration, *, method: str) -> vCalAddress:
    attendee = vCalAddress(mailto(registration.email))
    attendee.params["cn"] = vText(_param_text(registration.name or registration.email))
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("DECLINED" if method == CANCEL else "ACCEPTED")
    attendee.params["rsvp"] = vText("FALSE")
    return attendee


def invite_event(
    registration: Registration,
    session: Session,
    *,
    method: str,
    join_url: str,
    description: str,
    office,
    stamp: datetime | None = None,
):
    event = event_base(
        session, uid=invite_uid(registration, session), sequence=invite_sequence(registration, session), stamp=stamp
    )
    if method == CANCEL:
        event["status"] = "CANCELLED"
    event.add("organizer", organizer_address(office))
    event.add("attendee", attendee_address(registration, method=method))
    event.add("description", clean_text(description, 2000))
    if method != CANCEL and join_url:
        event.add("url", join_url)
        event.add("location", join_url)
    return event


def invite_calendar(
    registration: Registration,
    session: Session,
    *,
    method: str,
    join_url: str,
    description: str,
    office,
) -> bytes:
    """One iTIP object: METHOD with the one VEVENT of one session (one UID, as RFC 5546
    requires of every component of a message). A course sends one per session."""
    calendar: Calendar = calendar_new(method=method)
    text = f"{description}\n\n{join_url}".strip() if join_url and method != CANCEL else description
    calendar.add_component(
        invite_event(
            registration,
            session,
            method=method,
            join_url=join_url,
            description=text,
            office=office,
            stamp=datetime.now(UTC),
        )
    )
    return calendar.to_ical()


def personal_feed_calendar(entries: Iterable[tuple[Registration, Session, str]], *, name: str) -> bytes:
    """The owner's subscription feed: each confirmed session with its personal join link.

    A different UID from the invites so that a calendar holding both never merges them.
    """
    calendar = calendar_new(name=name)
    stamp = datetime.now(UTC)
    for registration, session, join_url in entries:
        event = event_base(
            session,
            uid=f"feed-reg{registration.pk}-s{session.pk}@{uid_domain()}",
            sequence=invite_sequence(registration, session),
            stamp=stamp,
        )
        office = session.organisation
        event.add("description", clean_text(f"{session.summary}\n\n{office.short_name or office.name}\n\n{join_url}"))
        event.add("url", join_url)
        event.add("location", join_url)
        calendar.add_component(event)
    return calendar.to_ical()
