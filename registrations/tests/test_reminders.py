"""Reminders: computed per registration and session, moved, dropped, at most once."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from registrations import reminders, services
from registrations.models import Notification
from registrations.tests.mailkit import deliver, text_of
from webinars import services as session_services
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def register(session, user):
    return services.registration_create(
        offering=session.offering, user=user, name=user.display_name, email=user.email, language="nb", answers={}
    )


def reminder_rows(registration):
    return dict(
        Notification.objects.filter(registration=registration, kind="reminder").values_list("reminder_offset", "due_at")
    )


def fall_due(**filters):
    """Time passes: the matching reminders are due now."""
    Notification.objects.filter(kind="reminder", **filters).update(due_at=timezone.now() - timedelta(seconds=1))


def test_it_creates_both_default_reminders_for_an_early_registration(participant, office_a):
    session = SessionFactory(organisation=office_a)
    registration = register(session, participant)
    assert reminder_rows(registration) == {
        1440: session.starts_at - timedelta(hours=24),
        60: session.starts_at - timedelta(hours=1),
    }


def test_a_late_registration_skips_offsets_already_passed(participant, office_a):
    session = SessionFactory(organisation=office_a, starts_at=timezone.now() + timedelta(hours=2))
    registration = register(session, participant)
    assert set(reminder_rows(registration)) == {60}


def test_a_registration_an_hour_before_gets_no_reminder_at_all(participant, office_a):
    session = SessionFactory(organisation=office_a, starts_at=timezone.now() + timedelta(minutes=50))
    registration = register(session, participant)
    assert reminder_rows(registration) == {}


def test_reschedule_moves_pending_reminders_keeps_sent_ones_and_sends_one_update(participant, office_a):
    session = SessionFactory(organisation=office_a)
    registration = register(session, participant)
    deliver()  # the confirmation
    fall_due(registration=registration, reminder_offset=1440)
    [sent_reminder] = deliver()
    assert sent_reminder["Subject"].strip().startswith("Påminnelse")

    new_start = session.starts_at + timedelta(days=2)
    session_services.session_reschedule(session=session, starts_at=new_start, ends_at=new_start + timedelta(hours=1))

    rows = {n.reminder_offset: n for n in Notification.objects.filter(kind="reminder")}
    assert rows[1440].state == "sent", "a sent reminder stays sent (never twice per offset)"
    assert rows[60].state == "pending" and rows[60].due_at == new_start - timedelta(hours=1)
    messages = deliver()
    assert [m["Subject"].strip().split(":")[0] for m in messages] == ["Nytt tidspunkt"]


def test_a_cancelled_registration_gets_no_reminder(participant, office_a):
    session = SessionFactory(organisation=office_a)
    registration = register(session, participant)
    services.registration_cancel(registration=registration)
    Notification.objects.filter(kind="reminder").update(due_at=timezone.now())  # if any were left

    subjects = [m["Subject"].strip() for m in deliver()]

    assert not any(s.startswith("Påminnelse") for s in subjects)
    assert not Notification.objects.filter(kind="reminder", state="pending").exists()


def test_a_cancelled_session_sends_no_reminder(participant, office_a):
    session = SessionFactory(organisation=office_a)
    register(session, participant)
    session_services.session_cancel(session=session)
    fall_due()
    assert not any(m["Subject"].strip().startswith("Påminnelse") for m in deliver())


def test_the_dst_week_keeps_24_hours_and_shows_the_local_time(participant, office_a):
    # Summer time ends in Oslo on Sunday 31 October 2027: Monday's 10:00 is 09:00 UTC.
    oslo = ZoneInfo("Europe/Oslo")
    starts_at = datetime(2027, 11, 1, 10, 0, tzinfo=oslo)
    session = SessionFactory(organisation=office_a, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1))
    registration = register(session, participant)

    rows = reminder_rows(registration)
    assert rows[1440] == datetime(2027, 10, 31, 9, 0, tzinfo=UTC)  # 24 real hours, across the change
    assert rows[60] == datetime(2027, 11, 1, 8, 0, tzinfo=UTC)

    deliver()
    fall_due(registration=registration, reminder_offset=1440)
    [reminder] = deliver()
    assert "mandag 1. november 2027 kl. 10:00–11:00 (norsk tid)" in text_of(reminder)


def test_the_database_refuses_a_second_reminder_for_the_same_offset(participant, office_a):
    session = SessionFactory(organisation=office_a)
    registration = register(session, participant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            kind="reminder", to_email=participant.email, registration=registration, session=session, reminder_offset=60
        )
    assert reminders.reminders_schedule(registration=registration) == 2  # attempted, nothing added
    assert Notification.objects.filter(kind="reminder").count() == 2


def test_one_click_unsubscribe_stops_reminders_but_keeps_the_seat(client, participant, office_a):
    session = SessionFactory(organisation=office_a)
    registration = register(session, participant)

    response = client.post(
        f"/paminnelser/avslutt/{registration.manage_token}/",
        {"List-Unsubscribe": "One-Click"},
        enforce_csrf_checks=True,
    )

    assert response.status_code == 200
    assert "Du får ikke flere påminnelser" in response.content.decode()
    fall_due()
    new_start = session.starts_at + timedelta(days=1)
    session_services.session_reschedule(session=session, starts_at=new_start, ends_at=new_start + timedelta(hours=1))
    assert not any(m["Subject"].strip().startswith("Påminnelse") for m in deliver())
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_the_organiser_sets_offsets_in_hours_and_days(client, organiser_a, participant, office_a):
    session = SessionFactory(organisation=office_a)
    registration = register(session, participant)
    client.force_login(organiser_a)

    response = client.post(
        f"/arbeidsrom/webinarer/{session.pk}/paminnelser/",
        {"amount_0": "2", "unit_0": "days", "amount_1": "30", "unit_1": "minutes", "amount_2": "", "unit_2": "hours"},
    )

    assert response.status_code == 302
    session.offering.refresh_from_db()
    assert session.offering.reminder_offsets == [2880, 30]
    assert set(reminder_rows(registration)) == {2880, 30}
    page = client.get(f"/arbeidsrom/webinarer/{session.pk}/paminnelser/").content.decode()
    assert "Påmeldte får påminnelse 2 døgn, 30 minutter før start." in page
    client.cookies["django_language"] = "en"
    page = client.get(f"/arbeidsrom/webinarer/{session.pk}/paminnelser/").content.decode()
    assert "Registrants get a reminder 2 days, 30 minutes before the start." in page


def test_another_office_cannot_see_the_reminder_settings(client, organiser_b, office_a):
    session = SessionFactory(organisation=office_a)
    client.force_login(organiser_b)
    assert client.get(f"/arbeidsrom/webinarer/{session.pk}/paminnelser/").status_code == 404
