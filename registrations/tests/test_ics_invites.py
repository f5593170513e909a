"""Calendar invites as Gmail, Outlook, Apple Calendar and Thunderbird read them (RFC 5546)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses import services as course_services
from registrations import services
from registrations.models import Notification, Registration
from registrations.tests.mailkit import assert_itip, deliver, events_of, invite_of, mime_shape, text_of, whole
from webinars import services as session_services
from webinars.tests.factories import STREAM_URL, SessionFactory, course_with_sessions

pytestmark = pytest.mark.django_db


def register(session_or_course, user):
    return services.registration_create(
        offering=session_or_course.offering,
        user=user,
        name=user.display_name,
        email=user.email,
        language="nb",
        answers={},
    )


def test_it_sends_a_request_with_the_calendar_in_both_places(participant, office_a):
    session = SessionFactory(organisation=office_a, title="Låtskriving og avtaler")
    registration = register(session, participant)

    [message] = deliver()

    assert mime_shape(message) == [
        "multipart/mixed",
        [["multipart/alternative", ["text/plain", "text/html", "text/calendar"]], "application/ics"],
    ]
    alternative = [p for p in message.walk() if p.get_content_type() == "text/calendar"][0]
    assert alternative["Content-Type"].replace('"', "").replace(" ", "") == (
        "text/calendar;charset=utf-8;method=REQUEST"
    )
    method, calendar, parsed = invite_of(message)
    assert method == "REQUEST"
    assert_itip(method, calendar, parsed)
    [event] = parsed["events"]
    assert event["uid"] == f"reg{registration.pk}-s{session.pk}@127.0.0.1"
    assert event["summary"] == "Låtskriving og avtaler"
    assert event["attendee"] == {"value": "mailto:participant@example.no", "cn": "Kari Deltaker"}
    assert event["organizer"]["value"] == "mailto:ikke-svar@musikkhjemmekontoret.no"
    assert event["organizer"]["cn"] == "Musikkontor A"
    assert event["start_unix"] == int(session.starts_at.timestamp())
    link = registration.join_links.get()
    assert event["url"] == f"http://127.0.0.1:8000/join/{link.token}/"
    assert link.token in event["description"]
    assert STREAM_URL not in whole(message)


def test_it_updates_the_same_event_with_a_higher_sequence_on_reschedule(participant, office_a):
    session = SessionFactory(organisation=office_a)
    register(session, participant)
    [first] = deliver()
    _, _, before = invite_of(first)

    new_start = session.starts_at + timedelta(days=1, hours=2)
    session_services.session_reschedule(session=session, starts_at=new_start, ends_at=new_start + timedelta(hours=1))
    [update] = deliver()

    method, calendar, after = invite_of(update)
    assert method == "REQUEST"
    assert_itip(method, calendar, after)
    assert after["events"][0]["uid"] == before["events"][0]["uid"]
    assert after["events"][0]["sequence"] > before["events"][0]["sequence"]
    assert after["events"][0]["start_unix"] == int(new_start.timestamp())
    assert update["Subject"].startswith("Nytt tidspunkt")


def test_it_sends_cancel_when_the_participant_cancels(participant, office_a):
    session = SessionFactory(organisation=office_a)
    registration = register(session, participant)
    [invite] = deliver()
    _, _, request = invite_of(invite)

    services.registration_cancel(registration=registration)
    messages = deliver()

    cancel = next(m for m in messages if m["To"].addresses[0].addr_spec == participant.email)
    method, calendar, parsed = invite_of(cancel)
    assert method == "CANCEL"
    assert_itip(method, calendar, parsed)
    assert parsed["events"][0]["uid"] == request["events"][0]["uid"]
    assert parsed["events"][0]["sequence"] > request["events"][0]["sequence"]
    assert parsed["events"][0]["status"] == "CANCELLED"


def test_it_sends_cancel_to_every_confirmed_attendee_when_the_session_is_cancelled(participant, office_a):
    from accounts.tests.factories import UserFactory

    session = SessionFactory(organisation=office_a, capacity=1)
    register(session, participant)
    waiting = register(session, UserFactory(email="venter@example.no"))
    assert waiting.status == Registration.Status.WAITLISTED
    deliver()

    session_services.session_cancel(session=session)
    messages = {m["To"].addresses[0].addr_spec: m for m in deliver()}

    method, calendar, parsed = invite_of(messages["participant@example.no"])
    assert method == "CANCEL"
    assert_itip(method, calendar, parsed)
    # The waitlist hears the news, without an invite (they never had one).
    assert messages["venter@example.no"]["Subject"].startswith("Avlyst")
    assert mime_shape(messages["venter@example.no"]) == ["multipart/alternative", ["text/plain", "text/html"]]


def test_a_course_puts_every_session_in_the_calendar_and_changes_reach_the_right_one(participant, office_a):
    course = course_with_sessions(3, organisation=office_a)
    registration = register(course, participant)
    confirmations = deliver()

    # One email per session, each one iTIP message with one UID (RFC 5546): Outlook and
    # Thunderbird import only the first event of a message that holds several.
    sessions = list(course.offering.sessions.order_by("position"))
    assert len(confirmations) == 3
    events = []
    for confirmation, session in zip(confirmations, sessions, strict=True):
        method, calendar, parsed = invite_of(confirmation)
        assert method == "REQUEST"
        assert_itip(method, calendar, parsed)
        [event] = parsed["events"]
        assert event["summary"] == f"{course.title} – {session.title}"
        assert confirmation["Subject"].strip() == f"Du er påmeldt: {course.title} – {session.title}"
        assert "Kurset har 3 deler" in text_of(confirmation)
        events.append(event)
    uids = [e["uid"] for e in events]
    assert uids == [f"reg{registration.pk}-s{s.pk}@127.0.0.1" for s in sessions]
    assert len(set(uids)) == 3

    second = sessions[1]
    new_start = second.starts_at + timedelta(hours=3)
    session_services.session_reschedule(session=second, starts_at=new_start, ends_at=new_start + timedelta(hours=1))
    [update] = deliver()

    method, calendar, parsed_update = invite_of(update)
    assert_itip(method, calendar, parsed_update)
    [event] = parsed_update["events"]
    assert event["uid"] == uids[1]
    assert event["sequence"] > events[1]["sequence"]

    course_services.course_cancel(course=course)
    cancels = deliver()
    assert len(cancels) == 3
    cancelled_uids = []
    for cancel in cancels:
        method, calendar, parsed_cancel = invite_of(cancel)
        assert method == "CANCEL"
        assert_itip(method, calendar, parsed_cancel)
        [cancelled] = parsed_cancel["events"]
        assert cancelled["sequence"] > event["sequence"]
        cancelled_uids.append(cancelled["uid"])
    assert cancelled_uids == uids


def test_a_waitlisted_course_registrant_who_cancels_gets_one_email_without_invites(participant, office_a):
    course = course_with_sessions(3, organisation=office_a, capacity=0)
    registration = register(course, participant)
    assert registration.status == Registration.Status.WAITLISTED
    deliver()

    services.registration_cancel(registration=registration)
    [message] = deliver()

    assert mime_shape(message) == ["multipart/alternative", ["text/plain", "text/html"]]


def test_a_session_added_to_a_course_reaches_the_attendees_calendar(participant, office_a):
    course = course_with_sessions(2, organisation=office_a)
    registration = register(course, participant)
    deliver()
    extra = SessionFactory(organisation=office_a, starts_at=timezone.now() + timedelta(days=40), capacity=None)

    course_services.course_sessions_set(course=course, sessions=[*course.sessions.all(), extra])
    [message] = deliver()

    method, calendar, parsed = invite_of(message)
    assert method == "REQUEST"
    assert_itip(method, calendar, parsed)
    assert [e["uid"] for e in parsed["events"]] == [f"reg{registration.pk}-s{extra.pk}@127.0.0.1"]
    assert registration.join_links.get(session=extra).token in parsed["events"][0]["url"]


def test_a_newer_invite_supersedes_a_pending_one(participant, office_a):
    session = SessionFactory(organisation=office_a)
    register(session, participant)  # the confirmation is not delivered yet
    new_start = session.starts_at + timedelta(hours=5)
    session_services.session_reschedule(session=session, starts_at=new_start, ends_at=new_start + timedelta(hours=1))

    messages = deliver()

    assert len(messages) == 1, "calendars get exactly the latest state, once"
    _, calendar, parsed = invite_of(messages[0])
    assert parsed["events"][0]["start_unix"] == int(new_start.timestamp())
    states = dict(Notification.objects.filter(kind__in=["confirmed", "rescheduled"]).values_list("kind", "state"))
    assert states == {"confirmed": "skipped", "rescheduled": "sent"}


def test_sequence_strictly_increases_across_every_change(participant, office_a):
    session = SessionFactory(organisation=office_a)
    register(session, participant)
    sequences = []
    for hours in (2, 4, 6):
        sequences.append(invite_of(deliver()[-1])[2]["events"][0]["sequence"])
        start = session.starts_at + timedelta(hours=hours)
        session_services.session_reschedule(session=session, starts_at=start, ends_at=start + timedelta(hours=1))
    sequences.append(invite_of(deliver()[-1])[2]["events"][0]["sequence"])
    session_services.session_cancel(session=session)
    sequences.append(invite_of(deliver()[-1])[2]["events"][0]["sequence"])

    assert sequences == sorted(set(sequences)), sequences


def test_every_event_time_is_utc_in_the_raw_text(participant, office_a):
    session = SessionFactory(organisation=office_a)
    register(session, participant)
    [message] = deliver()
    _, calendar, _ = invite_of(message)
    raw = calendar.to_ical().decode()
    [event] = events_of(calendar)
    assert f"DTSTART:{event.decoded('DTSTART'):%Y%m%dT%H%M%S}Z" in raw
    assert "TZID" not in raw
