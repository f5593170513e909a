"""Links that add a session to Google Calendar or Outlook/Office 365.

They carry the title, times and a link to the session page, never the stream URL:
registrants reach the stream through their personal join link.
"""

from __future__ import annotations

from datetime import UTC
from urllib.parse import urlencode

from webinars.models import Session


def _details(session: Session, page_url: str) -> str:
    parts = [session.summary, page_url]
    return "\n\n".join(p for p in parts if p)


def google_calendar_url(session: Session, page_url: str) -> str:
    fmt = "%Y%m%dT%H%M%SZ"
    dates = f"{session.starts_at.astimezone(UTC):{fmt}}/{session.ends_at.astimezone(UTC):{fmt}}"
    query = {
        "action": "TEMPLATE",
        "text": session.full_title,
        "dates": dates,
        "details": _details(session, page_url),
        "location": page_url,
        "ctz": session.timezone,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(session: Session, page_url: str) -> str:
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": session.full_title,
        "startdt": f"{session.starts_at.astimezone(UTC):{fmt}}",
        "enddt": f"{session.ends_at.astimezone(UTC):{fmt}}",
        "body": _details(session, page_url),
        "location": page_url,
    }
    return "https://outlook.office.com/calendar/0/deeplink/compose?" + urlencode(query)
