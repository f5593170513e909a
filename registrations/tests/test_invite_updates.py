"""Edits to what an invite shows (title, texts, time zone) reach every confirmed
registrant's calendar as an updated REQUEST: same UID, higher SEQUENCE."""

from datetime import timedelta

import pytest

from accounts.tests.factories import UserFactory
from courses import services as course_services
from registrations import services
from registrations.models import Registration
from registrations.tests.mailkit import assert_itip, deliver, html_of, invite_of, text_of
from webinars import services as session_services
from webinars.tests.factories import SessionFactory, course_with_sessions

pytestmark = pytest.mark.django_db


def register(session_or_course, email, language="nb"):
    user = UserFactory(email=email)
    return services.registration_create(
        offering=session_or_course.offering,
        user=user,
        name=user.display_name,
        email=email,
        language=language,
        answers={},
    )


def by_recipient(messages):
    return {m["To"].addresses[0].addr_spec: m for m in messages}


def test_it_sends_an_updated_invite_to_each_confirmed_registrant_when_the_title_changes(office_a):
    session = SessionFactory(organisation=office_a, title="Låtskriving", capacity=2)
    register(session, "en@example.no")
    register(session, "to@example.no")
    waiting = register(session, "venter@example.no")
    leaving = register(session, "slutter@example.no")
    assert waiting.status == leaving.status == Registration.Status.WAITLISTED
    services.registration_cancel(registration=leaving)
    invites = by_recipient(deliver())
    before = {address: invite_of(invites[address])[2]["events"][0] for address in ("en@example.no", "to@example.no")}

    session_services.session_update(session=session, title="Låtskriving og avtaler")
    messages = by_recipient(deliver())

    assert sorted(messages) == ["en@example.no", "to@example.no"]
    for address, message in messages.items():
        assert message["Subject"] == "Oppdatert: Låtskriving og avtaler"
        assert "Låtskriving og avtaler" in text_of(message) and "Låtskriving og avtaler" in html_of(message)
        method, calendar, parsed = invite_of(message)
        assert method == "REQUEST"
        assert_itip(method, calendar, parsed)
        [event] = parsed["events"]
        [vevent] = calendar.walk("VEVENT")
        assert event["uid"] == str(vevent["UID"]) == before[address]["uid"]
        assert event["sequence"] > before[address]["sequence"]
        assert event["summary"] == str(vevent["SUMMARY"]) == "Låtskriving og avtaler"
        assert event["start_unix"] == int(session.starts_at.timestamp())


def test_a_new_time_zone_sends_an_update_too(office_a):
    session = SessionFactory(organisation=office_a)
    register(session, "en@example.no")
    [first] = deliver()

    session_services.session_update(session=session, timezone="America/New_York")
    [update] = deliver()

    assert invite_of(update)[2]["events"][0]["sequence"] > invite_of(first)[2]["events"][0]["sequence"]
    assert "(America/New York)" in text_of(update)


@pytest.mark.parametrize("changes", [{"summary": "Ny ingress"}, {"description": "Ny beskrivelse"}])
def test_wording_the_invite_does_not_show_sends_nothing(office_a, changes):
    session = SessionFactory(organisation=office_a)
    register(session, "en@example.no")
    deliver()

    session_services.session_update(session=session, **changes)
    assert deliver() == []


def test_it_writes_the_update_in_the_registrants_language(office_a):
    session = SessionFactory(organisation=office_a)
    register(session, "en@example.no", language="en")
    deliver()

    session_services.session_update(session=session, title="Royalties explained")
    [update] = deliver()

    assert update["Subject"] == "Updated: Royalties explained"
    assert "has updated “Royalties explained”" in text_of(update)


def test_an_edit_that_changes_nothing_shown_sends_nothing(office_a):
    session = SessionFactory(organisation=office_a, title="Uendret", capacity=10)
    register(session, "en@example.no")
    deliver()

    session_services.session_update(session=session, title="Uendret", capacity=20, join_opens_minutes=30)

    assert deliver() == []
    session.refresh_from_db()
    assert session.revision == 0


def test_a_new_title_and_a_new_time_make_one_rescheduled_email(office_a):
    session = SessionFactory(organisation=office_a)
    register(session, "en@example.no")
    deliver()

    new_start = session.starts_at + timedelta(days=1)
    session_services.session_update(
        session=session, title="Flyttet og omdøpt", starts_at=new_start, ends_at=new_start + timedelta(hours=1)
    )
    [update] = deliver()

    assert update["Subject"] == "Nytt tidspunkt: Flyttet og omdøpt"
    [event] = invite_of(update)[2]["events"]
    assert event["summary"] == "Flyttet og omdøpt" and event["start_unix"] == int(new_start.timestamp())


def test_a_cancelled_session_sends_no_update(office_a):
    session = SessionFactory(organisation=office_a)
    register(session, "en@example.no")
    session_services.session_cancel(session=session)
    deliver()

    session_services.session_update(session=session, title="Avlyst likevel")

    assert deliver() == []


def test_a_course_sessions_new_title_reaches_course_registrants_for_that_session_only(office_a):
    course = course_with_sessions(3, organisation=office_a)
    registration = register(course, "kurs@example.no")
    register(course, "kurs2@example.no")
    sessions = list(course.offering.sessions.order_by("position"))
    before = [m for m in deliver() if m["To"].addresses[0].addr_spec == "kurs@example.no"]
    assert len(before) == 3, "one invite per session"

    session_services.session_update(session=sessions[1], title="Kontrakter, del 2")
    messages = by_recipient(deliver())

    assert sorted(messages) == ["kurs2@example.no", "kurs@example.no"]
    method, calendar, parsed = invite_of(messages["kurs@example.no"])
    assert_itip(method, calendar, parsed)
    [event] = parsed["events"]
    [old] = invite_of(before[1])[2]["events"]
    assert event["uid"] == old["uid"] == f"reg{registration.pk}-s{sessions[1].pk}@127.0.0.1"
    assert event["sequence"] > old["sequence"]
    assert event["summary"] == f"{course.title} – Kontrakter, del 2"


def test_a_course_title_change_updates_every_session_of_the_course(office_a):
    course = course_with_sessions(2, organisation=office_a, capacity=1)
    register(course, "kurs@example.no")
    waiting = register(course, "venter@example.no")
    assert waiting.status == Registration.Status.WAITLISTED
    before = [invite_of(m)[2]["events"][0] for m in deliver() if m["To"].addresses[0].addr_spec == "kurs@example.no"]
    sessions = list(course.offering.sessions.order_by("position"))

    course_services.course_update(course=course, title="Låtskriving for viderekomne")
    updates = deliver()

    assert len(updates) == 2, "one updated invite per session"
    new_events = []
    for update, session in zip(updates, sessions, strict=True):
        assert update["To"].addresses[0].addr_spec == "kurs@example.no"
        assert update["Subject"].strip() == f"Oppdatert: Låtskriving for viderekomne – {session.title}"
        method, calendar, parsed = invite_of(update)
        assert method == "REQUEST"
        assert_itip(method, calendar, parsed)
        [new] = parsed["events"]
        assert new["summary"] == f"Låtskriving for viderekomne – {session.title}"
        new_events.append(new)
    assert [e["uid"] for e in new_events] == [e["uid"] for e in before]
    for old, new in zip(before, new_events, strict=True):
        assert new["sequence"] > old["sequence"]
        assert "Låtskriving for viderekomne" in new["description"]


def test_a_course_edit_without_a_new_title_sends_nothing(office_a):
    course = course_with_sessions(2, organisation=office_a)
    register(course, "kurs@example.no")
    deliver()

    course_services.course_update(course=course, summary="Ny ingress", capacity=30)

    assert deliver() == []
