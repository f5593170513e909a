"""schema.org JSON-LD for the public session and course pages: what search engines and other
sites read of an offering. Only public facts: the location is the public page, never the
stream URL."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from accounts.models import Organisation
from webinars.models import Course, Session

SCHEMA = "https://schema.org/"
# What a page says of an offering (Offering.state_of), as schema.org says it.
AVAILABILITY = {"full": "SoldOut", "ended": "SoldOut", "cancelled": "Discontinued"}
# Inside <script> a title must not close the element or open a comment.
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _iso(moment: datetime, zone: str) -> str:
    """ISO 8601 with the offset of the zone the page shows the time in."""
    return moment.astimezone(ZoneInfo(zone)).isoformat()


def _organisation(office: Organisation) -> dict:
    url = settings.SITE_URL + reverse("organisation_detail", args=[office.slug])
    data = {"@type": "Organization", "name": office.name, "url": url}
    if office.website:
        data["sameAs"] = office.website
    return data


def event_status(session: Session) -> str:
    """Cancelled when the page says so (the session or its offering), rescheduled when it was
    moved, otherwise scheduled."""
    if session.state == "cancelled":
        return SCHEMA + "EventCancelled"
    if session.moved_from is not None:
        return SCHEMA + "EventRescheduled"
    return SCHEMA + "EventScheduled"


def _offer(offering, page_url: str, state: str) -> dict:
    availability = AVAILABILITY.get(state, "InStock")
    offer = {
        "@type": "Offer",
        "price": "0",
        "priceCurrency": "NOK",
        "url": page_url,
        "availability": SCHEMA + availability,
        "validFrom": _iso(offering.registration_opens_at or offering.created_at, "Europe/Oslo"),
    }
    if offering.capacity is not None:
        offer["inventoryLevel"] = {"@type": "QuantitativeValue", "value": offering.seats_left}
    return offer


def _virtual_location(page_url: str) -> dict:
    return {"@type": "VirtualLocation", "url": page_url}


def session_event(session: Session) -> dict:
    page_url = settings.SITE_URL + session.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": session.full_title,
        "description": session.summary or session.title,
        "url": page_url,
        "startDate": _iso(session.starts_at, session.timezone),
        "endDate": _iso(session.ends_at, session.timezone),
        "eventAttendanceMode": SCHEMA + "OnlineEventAttendanceMode",
        "eventStatus": event_status(session),
        "location": _virtual_location(page_url),
        "organizer": _organisation(session.organisation),
        "inLanguage": session.language,
        "isAccessibleForFree": True,
        "offers": _offer(session.offering, page_url, session.state),
    }
    if session.moved_from is not None:
        data["previousStartDate"] = _iso(session.moved_from, session.timezone)
    speakers = [{"@type": "Person", "name": s.name} for s in session.speakers.all()]
    if speakers:
        data["performer"] = speakers
    return data


def course_document(course: Course, sessions: list[Session]) -> dict:
    page_url = settings.SITE_URL + course.get_absolute_url()
    state = course.offering.state_from(sessions)
    instances = []
    for session in sessions:
        instance = {
            "@type": "CourseInstance",
            "name": session.title,
            "courseMode": "online",
            "startDate": _iso(session.starts_at, "Europe/Oslo"),
            "endDate": _iso(session.ends_at, "Europe/Oslo"),
            "eventAttendanceMode": SCHEMA + "OnlineEventAttendanceMode",
            "eventStatus": event_status(session),
            "location": _virtual_location(page_url),
            "organizer": _organisation(course.organisation),
            "courseSchedule": {
                "@type": "Schedule",
                "startDate": session.starts_at.astimezone(ZoneInfo("Europe/Oslo")).date().isoformat(),
                "endDate": session.ends_at.astimezone(ZoneInfo("Europe/Oslo")).date().isoformat(),
                "repeatCount": 1,
                "duration": f"PT{int(session.duration.total_seconds() // 60)}M",
                "scheduleTimezone": "Europe/Oslo",
            },
        }
        instances.append(instance)
    return {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "description": course.summary or course.title,
        "url": page_url,
        "inLanguage": course.language,
        "isAccessibleForFree": True,
        "provider": _organisation(course.organisation),
        "offers": [{**_offer(course.offering, page_url, state), "category": "Free"}],
        "hasCourseInstance": instances,
    }


def ld_json(document: dict) -> SafeString:
    """A `<script type="application/ld+json">` element: data, never run (the CSP's script-src
    does not apply to it), with `<`, `>` and `&` escaped so a title cannot close the element."""
    text = json.dumps(document, ensure_ascii=False).translate(JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
