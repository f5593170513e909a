"""Helpers for the email, invite, reminder and delivery tests: run the outbox, read what
a mail client and a calendar would read (parsed MIME, icalendar and ical.js)."""

from __future__ import annotations

import email
import json
import subprocess
from email import policy
from email.message import EmailMessage
from pathlib import Path

import icalendar
from django.core import mail

from registrations.delivery import outbox_sweep

ROOT = Path(__file__).resolve().parents[2]
ICALJS_SCRIPT = Path(__file__).with_name("icaljs_parse.mjs")


def deliver() -> list[EmailMessage]:
    """Run the sweeper (locmem backend under pytest) and return the new emails, parsed."""
    before = len(mail.outbox)
    outbox_sweep()
    return [parse(message) for message in mail.outbox[before:]]


def parse(message) -> EmailMessage:
    raw = message.message().as_bytes(linesep="\r\n")
    return email.message_from_bytes(raw, policy=policy.default)


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def whole(message: EmailMessage) -> str:
    """Every decoded text part and header: for "appears nowhere" assertions."""
    parts = [f"{k}: {v}" for k, v in message.items()]
    for part in message.walk():
        if part.get_content_maintype() == "multipart":
            continue
        payload = part.get_payload(decode=True) or b""
        parts.append(payload.decode("utf-8", "replace"))
    return "\n".join(parts)


def calendar_parts(message: EmailMessage) -> tuple[EmailMessage | None, EmailMessage | None]:
    """(the text/calendar alternative, the .ics attachment)."""
    alternative = attachment = None
    for part in message.walk():
        if part.get_content_type() == "text/calendar" and part.get_filename() is None:
            alternative = part
        elif part.get_filename() == "invite.ics":
            attachment = part
    return alternative, attachment


def icaljs(data: bytes) -> dict:
    result = subprocess.run(
        ["node", str(ICALJS_SCRIPT)], input=data, capture_output=True, check=True, cwd=ROOT, timeout=30
    )
    return json.loads(result.stdout)


def both_parsers(data: bytes) -> tuple[icalendar.Calendar, dict]:
    """Parse with icalendar and with ical.js; both must accept it."""
    return icalendar.Calendar.from_ical(data), icaljs(data)


def invite_of(message: EmailMessage) -> tuple[str, icalendar.Calendar, dict]:
    """The iTIP method from the Content-Type, and the calendar as both parsers read it.

    Checks on the way that the alternative and the attachment carry the same calendar.
    """
    alternative, attachment = calendar_parts(message)
    assert alternative is not None and attachment is not None
    data = alternative.get_payload(decode=True)
    assert data == attachment.get_payload(decode=True)
    assert alternative.get_content_charset() == "utf-8"
    calendar, parsed = both_parsers(data)
    assert_one_uid(calendar, parsed)
    assert_one_uid(*both_parsers(attachment.get_payload(decode=True)))
    return alternative.get_param("method"), calendar, parsed


def assert_one_uid(calendar: icalendar.Calendar, parsed: dict) -> None:
    """RFC 5546: every component of one iTIP message shares one UID; Outlook and Thunderbird
    import only the first event of a message holding several. We send exactly one event."""
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    assert len(uids) == 1, f"one iTIP message must hold one UID, not {sorted(uids)}"
    assert len(parsed["events"]) == 1 and parsed["events"][0]["uid"] in uids


def events_of(calendar: icalendar.Calendar) -> list:
    return [c for c in calendar.walk("VEVENT")]


def assert_itip(method: str, calendar: icalendar.Calendar, parsed: dict) -> None:
    """RFC 5546 rules for what we send: METHOD agrees, required properties, UTC times."""
    assert calendar["METHOD"] == method == parsed["method"]
    assert calendar["VERSION"] == "2.0" and calendar.get("PRODID")
    assert parsed["events"], "an iTIP object without events"
    assert_one_uid(calendar, parsed)
    for event, js in zip(events_of(calendar), parsed["events"], strict=True):
        for name in ("UID", "DTSTAMP", "DTSTART", "SEQUENCE", "ORGANIZER", "SUMMARY"):
            assert name in event, f"{name} missing for {method}"
        assert "ATTENDEE" in event
        assert js["uid"] == str(event["UID"])
        assert js["sequence"] == int(event["SEQUENCE"])
        assert js["start_utc"] and js["end_utc"], "times must be in UTC"
        assert event.decoded("DTSTART").utcoffset().total_seconds() == 0
        assert js["organizer"]["value"].lower().startswith("mailto:")
        assert js["attendee"]["value"].lower().startswith("mailto:")
        if method == "CANCEL":
            assert str(event["STATUS"]) == "CANCELLED" and js["status"] == "CANCELLED"
        else:
            assert "DTEND" in event
            assert js["status"] == "CONFIRMED"


def mime_shape(message: EmailMessage) -> list:
    """The content-type tree, e.g. ["multipart/mixed", ["multipart/alternative", [...]], ...]."""

    def walk(part):
        if part.is_multipart():
            return [part.get_content_type(), [walk(p) for p in part.iter_parts()]]
        return part.get_content_type()

    return walk(message)
