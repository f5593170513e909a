"""Sessions are entered in local time in their zone, stored in UTC, and the two DST
traps (the hour that does not exist in spring, the hour that exists twice in autumn)
are refused or resolved by the organiser."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from webinars.models import Session
from webinars.services import session_duplicate
from webinars.tests.factories import SessionFactory
from webinars.zones import AmbiguousTime, NonExistentTime, local_to_utc, utc_to_local

pytestmark = pytest.mark.django_db


def form_data(office, **overrides) -> dict:
    data = {
        "organisation": office.pk,
        "title": "Webinar om tid",
        "slug": "",
        "summary": "",
        "description": "",
        "timezone": "Europe/Oslo",
        "starts_on": "2027-01-14",
        "starts_time": "10:00",
        "starts_fold": "",
        "ends_on": "",
        "ends_time": "11:00",
        "ends_fold": "",
        "language": "nb",
        "stream_url": "https://zoom.us/j/1234567890",
        "join_opens_minutes": "15",
        "capacity": "",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "speakers": "",
    }
    data.update(overrides)
    return data


def test_it_refuses_the_nonexistent_spring_forward_time(client, organiser_a, office_a):
    client.force_login(organiser_a)
    response = client.post(
        "/arbeidsrom/webinarer/ny/", form_data(office_a, starts_on="2027-03-28", starts_time="02:30", ends_time="04:00")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Klokkeslettet 02:30 finnes ikke den 28. mars 2027 i Europe/Oslo" in html
    assert not Session.objects.exists()


def test_the_time_change_errors_write_the_date_in_the_pages_language(client, organiser_a, office_a):
    client.force_login(organiser_a)
    client.cookies["django_language"] = "en"
    data = form_data(office_a, starts_on="2027-03-28", starts_time="02:30", ends_time="04:00")
    html = client.post("/arbeidsrom/webinarer/ny/", data).content.decode()
    assert "The time 02:30 does not exist on 28 March 2027 in Europe/Oslo" in html


def test_it_asks_which_occurrence_of_the_ambiguous_fall_back_time(client, organiser_a, office_a):
    client.force_login(organiser_a)
    data = form_data(office_a, starts_on="2026-10-25", starts_time="02:30", ends_time="04:00")
    html = client.post("/arbeidsrom/webinarer/ny/", data).content.decode()
    assert "Klokkeslettet 02:30 finnes to ganger den 25. oktober 2026 i Europe/Oslo" in html
    assert not Session.objects.exists()

    client.post("/arbeidsrom/webinarer/ny/", {**data, "starts_fold": "1", "title": "Vintertid"})
    winter = Session.objects.get(title="Vintertid")
    assert winter.starts_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET

    client.post("/arbeidsrom/webinarer/ny/", {**data, "starts_fold": "0", "title": "Sommertid"})
    summer = Session.objects.get(title="Sommertid")
    assert summer.starts_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST


def test_a_session_across_the_october_change_keeps_its_real_duration(client, organiser_a, office_a):
    client.force_login(organiser_a)
    # 01:00 CEST to 04:00 CET: the clock shows three hours, four pass.
    client.post(
        "/arbeidsrom/webinarer/ny/", form_data(office_a, starts_on="2026-10-25", starts_time="01:00", ends_time="04:00")
    )
    session = Session.objects.get()
    assert session.duration == timedelta(hours=4)
    html = client.get(f"/arbeidsrom/webinarer/{session.pk}/").content.decode()
    assert "kl. 01:00–04:00 (norsk tid)" in html


def test_a_weekly_copy_across_the_october_change_keeps_wall_time_and_duration(office_a):
    # Tuesday 20 October 2026, 10:00–11:30 summer time.
    session = SessionFactory(
        organisation=office_a,
        starts_at=datetime(2026, 10, 20, 8, 0, tzinfo=UTC),
        ends_at=datetime(2026, 10, 20, 9, 30, tzinfo=UTC),
    )
    copy = session_duplicate(session=session, starts_at=local_to_utc(date(2026, 10, 27), time(10, 0), "Europe/Oslo"))
    assert copy.starts_at == datetime(2026, 10, 27, 9, 0, tzinfo=UTC)  # 10:00 winter time
    assert copy.duration == timedelta(minutes=90)


def test_the_duplicate_form_keeps_the_local_time_on_the_new_date(client, organiser_a, office_a):
    session = SessionFactory(
        organisation=office_a,
        starts_at=datetime(2026, 10, 20, 8, 0, tzinfo=UTC),
        ends_at=datetime(2026, 10, 20, 9, 30, tzinfo=UTC),
    )
    client.force_login(organiser_a)
    client.post(f"/arbeidsrom/webinarer/{session.pk}/dupliser/", {"title": "Neste uke", "starts_on": "2026-10-27"})
    copy = Session.objects.get(title="Neste uke")
    assert copy.starts_at == datetime(2026, 10, 27, 9, 0, tzinfo=UTC)
    assert copy.duration == timedelta(minutes=90)


@pytest.mark.parametrize(
    "zone,day,clock",
    [
        ("Europe/Oslo", "2027-01-14", "10:00"),
        ("Europe/Oslo", "2027-07-01", "19:45"),
        ("America/New_York", "2027-03-14", "12:15"),
        ("Australia/Sydney", "2027-04-04", "09:00"),
    ],
)
def test_stored_utc_round_trips_to_the_entered_local_time(client, organiser_a, office_a, zone, day, clock):
    client.force_login(organiser_a)
    client.post(
        "/arbeidsrom/webinarer/ny/",
        form_data(office_a, timezone=zone, starts_on=day, starts_time=clock, ends_time="23:00"),
    )
    session = Session.objects.get()
    assert session.starts_at.utcoffset() == timedelta(0)
    html = client.get(f"/arbeidsrom/webinarer/{session.pk}/endre/").content.decode()
    assert f'name="starts_on" value="{day}"' in html
    assert f'name="starts_time" value="{clock}"' in html


def test_the_zone_helpers_name_both_traps():
    with pytest.raises(NonExistentTime):
        local_to_utc(date(2027, 3, 28), time(2, 30), "Europe/Oslo")
    with pytest.raises(AmbiguousTime):
        local_to_utc(date(2026, 10, 25), time(2, 30), "Europe/Oslo")
    assert local_to_utc(date(2026, 10, 25), time(3, 30), "Europe/Oslo") == datetime(2026, 10, 25, 2, 30, tzinfo=UTC)


def test_it_shows_the_fall_back_choice_only_for_an_ambiguous_time(client, organiser_a, office_a):
    client.force_login(organiser_a)
    blank = client.get("/arbeidsrom/webinarer/ny/").content.decode()
    assert '<select name="starts_fold"' not in blank and '<select name="ends_fold"' not in blank
    assert '<input type="hidden" name="starts_fold"' in blank

    # A plain time that fails for another reason still does not ask about the clocks.
    html = client.post("/arbeidsrom/webinarer/ny/", form_data(office_a, title="")).content.decode()
    assert '<select name="starts_fold"' not in html

    data = form_data(office_a, starts_on="2026-10-25", starts_time="02:30", ends_time="04:00")
    html = client.post("/arbeidsrom/webinarer/ny/", data).content.decode()
    assert '<select name="starts_fold"' in html and '<select name="ends_fold"' not in html


def test_the_zone_field_defaults_to_oslo_and_lists_common_zones_first_without_legacy_names(
    client, organiser_a, office_a
):
    client.force_login(organiser_a)
    html = client.get("/arbeidsrom/webinarer/ny/").content.decode()
    assert 'name="timezone" value="Europe/Oslo"' in html
    assert 'list="id_timezone-list"' in html and '<datalist id="id_timezone-list">' in html
    options = html.split('<datalist id="id_timezone-list">', 1)[1].split("</datalist>", 1)[0]
    assert options.startswith('<option value="Europe/Oslo">norsk tid</option><option value="Europe/Stockholm">')
    assert 'value="America/New_York"' in options
    for legacy in ("W-SU", "Zulu", "US/Pacific", "Etc/GMT+1", "GB"):
        assert f'value="{legacy}"' not in options


def test_the_zone_can_be_typed_in_any_case_and_with_spaces(client, organiser_a, office_a):
    client.force_login(organiser_a)
    client.post("/arbeidsrom/webinarer/ny/", form_data(office_a, timezone="america/new york"))
    assert Session.objects.get().timezone == "America/New_York"


def test_a_session_keeps_a_legacy_zone_it_already_has(client, organiser_a, office_a):
    # At 10:00 there, three days ahead: a start late in the evening there would end after
    # midnight, which the one-day form cannot say (the test failed between 20:00 and 21:00 UTC).
    starts_at = local_to_utc(date.today() + timedelta(days=3), time(10, 0), "W-SU")
    session = SessionFactory(
        organisation=office_a, timezone="W-SU", starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
    )
    client.force_login(organiser_a)
    form = client.get(f"/arbeidsrom/webinarer/{session.pk}/endre/").content.decode()
    assert 'name="timezone" value="W-SU"' in form
    local = utc_to_local(session.starts_at, "W-SU")
    data = form_data(
        office_a,
        title=session.title,
        slug=session.slug,
        timezone="W-SU",
        starts_on=local.date().isoformat(),
        starts_time=local.strftime("%H:%M"),
        ends_time=(local + (session.ends_at - session.starts_at)).strftime("%H:%M"),
    )
    response = client.post(f"/arbeidsrom/webinarer/{session.pk}/endre/", data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.timezone == "W-SU"
