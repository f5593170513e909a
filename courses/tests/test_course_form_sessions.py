"""The course form's sessions: rows typed in or generated as a series, edited, then created
through the session and course services; bad input gives a clear message and creates nothing."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from registrations.models import JoinLink, Notification
from registrations.tests.factories import RegistrationFactory
from webinars.models import Course, Offering, Session, Status
from webinars.tests.factories import course_with_sessions

pytestmark = pytest.mark.django_db

TUESDAY = date(2027, 2, 2)  # a Tuesday in winter time (UTC+1)


def course_data(office, **overrides) -> dict:
    data = {
        "organisation": office.pk,
        "title": "Låtskriverkurs",
        "slug": "",
        "summary": "Fire kvelder om låtskriving.",
        "language": "nb",
        "capacity": "20",
        "okter-TOTAL_FORMS": "0",
        "okter-INITIAL_FORMS": "0",
        "felles-stream_url": "",
        "serie-first_on": TUESDAY.isoformat(),
        "serie-starts_time": "18:00",
        "serie-ends_time": "19:30",
        "serie-interval": "7",
        "serie-every_days": "",
        "serie-count": "4",
        "serie-title": "Økt",
    }
    data.update(overrides)
    return data


def rows(*items: tuple[str, str, str, str]) -> dict:
    data = {"okter-TOTAL_FORMS": str(len(items)), "okter-INITIAL_FORMS": "0"}
    for i, (day, start, end, title) in enumerate(items):
        data.update({f"okter-{i}-starts_on": day, f"okter-{i}-starts_time": start, f"okter-{i}-ends_time": end})
        data[f"okter-{i}-title"] = title
    return data


def weekly(n: int = 4) -> tuple:
    return tuple(((TUESDAY + timedelta(days=7 * i)).isoformat(), "18:00", "19:30", f"Økt {i + 1}") for i in range(n))


def test_it_generates_a_weekly_series_as_rows_without_saving(client, organiser_a, office_a):
    client.force_login(organiser_a)
    response = client.post("/arbeidsrom/kurs/ny/", course_data(office_a, action="generate"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lagt til: hver tirsdag kl. 18:00, 4 ganger." in html
    for i, day in enumerate(["2027-02-02", "2027-02-09", "2027-02-16", "2027-02-23"]):
        assert f'name="okter-{i}-starts_on" id="id_okter-{i}-starts_on" value="{day}"' in html
        assert f'name="okter-{i}-title" id="id_okter-{i}-title" value="Økt {i + 1}"' in html
    assert 'name="okter-TOTAL_FORMS" value="4"' in html
    assert 'value="Låtskriverkurs"' in html  # what was typed stays
    assert 'id="error-summary"' not in html  # generating is not saving
    assert not Course.objects.exists() and not Session.objects.exists()


def test_generating_again_adds_after_the_rows_there_are_and_a_custom_interval(client, organiser_a, office_a):
    client.force_login(organiser_a)
    data = course_data(
        office_a, action="generate", **rows(*weekly(2)), **{"serie-interval": "custom", "serie-every_days": "3"}
    )
    data["serie-count"] = "2"
    html = client.post("/arbeidsrom/kurs/ny/", data).content.decode()
    assert 'name="okter-TOTAL_FORMS" value="4"' in html
    assert 'id="id_okter-3-starts_on" value="2027-02-05"' in html and 'value="Økt 4"' in html
    assert "hver 3. dag kl. 18:00, 2 ganger" in html


def test_it_saves_the_course_with_its_sessions_through_the_services(client, organiser_a, office_a):
    client.force_login(organiser_a)
    data = course_data(office_a, action="save", **rows(*weekly(4)), **{"felles-stream_url": "https://zoom.us/j/42"})
    response = client.post("/arbeidsrom/kurs/ny/", data)
    course = Course.objects.get()
    assert response["Location"] == f"/arbeidsrom/kurs/{course.pk}/"
    sessions = list(course.offering.sessions.order_by("position"))
    assert [s.title for s in sessions] == ["Økt 1", "Økt 2", "Økt 3", "Økt 4"]
    assert sessions[0].starts_at == datetime(2027, 2, 2, 17, 0, tzinfo=UTC)  # 18:00 in Oslo, winter
    assert sessions[3].ends_at == datetime(2027, 2, 23, 18, 30, tzinfo=UTC)
    assert {s.status for s in sessions} == {Status.DRAFT} and course.status == Status.DRAFT
    assert {s.stream_url for s in sessions} == {"https://zoom.us/j/42"}
    assert {s.timezone for s in sessions} == {"Europe/Oslo"}
    assert Offering.objects.count() == 1  # the sessions' own offerings went when they joined
    preview = client.get(f"/arbeidsrom/kurs/{course.pk}/").content.decode()
    assert f'action="/arbeidsrom/kurs/{course.pk}/publiser/"' in preview


def test_rows_can_be_edited_and_removed_before_saving(client, organiser_a, office_a):
    client.force_login(organiser_a)
    data = course_data(office_a, action="save", **rows(*weekly(4)))
    data["okter-1-title"] = "Gjestekveld"
    data["okter-2-DELETE"] = "on"
    data["okter-3-starts_time"] = "19:00"
    data["okter-3-ends_time"] = "20:30"
    client.post("/arbeidsrom/kurs/ny/", data)
    sessions = list(Course.objects.get().offering.sessions.order_by("position"))
    assert [s.title for s in sessions] == ["Økt 1", "Gjestekveld", "Økt 4"]
    assert sessions[2].starts_at == datetime(2027, 2, 23, 18, 0, tzinfo=UTC)


def test_add_row_adds_an_empty_row_and_keeps_the_rest(client, organiser_a, office_a):
    client.force_login(organiser_a)
    data = course_data(office_a, action="add_row", **rows(*weekly(1)))
    html = client.post("/arbeidsrom/kurs/ny/", data).content.decode()
    assert 'name="okter-TOTAL_FORMS" value="2"' in html and 'id="id_okter-1-starts_on" value=""' in html
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"okter-0-ends_time": "17:00"}, "Økt 1: Slutter kl.</a>: Slutttidspunktet må være etter starttidspunktet."),
        (
            {"okter-1-starts_on": "2027-03-28", "okter-1-starts_time": "02:30", "okter-1-ends_time": "04:00"},
            "Klokkeslettet 02:30 finnes ikke den 28. mars 2027 i Europe/Oslo",
        ),
        ({"okter-1-title": ""}, "Økt 2: Tittel</a>: Feltet er påkrevet."),
        ({"okter-1-starts_on": "2027-02-02"}, "To økter starter på samme tidspunkt."),
        ({"okter-0-starts_on": "i morgen"}, "Økt 1: Dato</a>"),
        ({"felles-stream_url": "javascript:alert(1)"}, "Strømmelenke for øktene</a>"),
        ({"okter-TOTAL_FORMS": "1000"}, "send inn maks 52 skjemaer."),
        ({"title": ""}, "Tittel</a>: Feltet er påkrevet."),
    ],
)
def test_bad_rows_give_a_clear_message_and_create_nothing(client, organiser_a, office_a, overrides, message):
    client.force_login(organiser_a)
    data = course_data(office_a, action="save", **rows(*weekly(2)))
    data.update(overrides)
    response = client.post("/arbeidsrom/kurs/ny/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert message in html
    assert not Course.objects.exists() and not Session.objects.exists() and not Offering.objects.exists()


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"serie-interval": "custom", "serie-every_days": ""}, "Skriv hvor mange dager det skal gå mellom øktene."),
        ({"serie-count": "53"}, "Antall økter</a>"),
        ({"serie-count": "0"}, "Antall økter</a>"),
        ({"serie-first_on": ""}, "Første dato</a>: Feltet er påkrevet."),
        ({"serie-interval": "3"}, "Hvor ofte</a>"),
    ],
)
def test_a_bad_series_says_why_and_adds_no_rows(client, organiser_a, office_a, overrides, message):
    client.force_login(organiser_a)
    html = client.post("/arbeidsrom/kurs/ny/", course_data(office_a, action="generate", **overrides)).content.decode()
    assert message in html
    assert 'name="okter-TOTAL_FORMS" value="0"' in html
    assert not Course.objects.exists()


def test_a_series_never_makes_more_than_the_limit(client, organiser_a, office_a):
    client.force_login(organiser_a)
    data = course_data(office_a, action="generate", **rows(*weekly(50)))
    html = client.post("/arbeidsrom/kurs/ny/", data).content.decode()
    assert 'name="okter-TOTAL_FORMS" value="52"' in html
    assert "høyst 52 nye økter" in html


def test_sessions_added_to_a_published_course_reach_its_registrants(client, organiser_a, office_a):
    course = course_with_sessions(1, organisation=office_a)
    registration = RegistrationFactory(offering=course.offering)
    day = (timezone.now() + timedelta(days=30)).date()
    client.force_login(organiser_a)
    data = rows((day.isoformat(), "18:00", "19:30", "Ekstrakveld"))
    data.update({"action": "save", "felles-stream_url": ""})
    response = client.post(f"/arbeidsrom/kurs/{course.pk}/okter/", data)
    assert response.status_code == 302
    added = Session.objects.get(title="Ekstrakveld")
    assert added.offering_id == course.offering_id and added.status == Status.PUBLISHED
    assert JoinLink.objects.filter(registration=registration, session=added).exists()
    assert Notification.objects.filter(registration=registration, session=added, kind="rescheduled").exists()


def test_other_offices_cannot_add_sessions(client, organiser_b, office_a):
    course = course_with_sessions(1, organisation=office_a)
    client.force_login(organiser_b)
    data = rows(("2027-02-02", "18:00", "19:30", "Inntrenger"))
    data["action"] = "save"
    assert client.post(f"/arbeidsrom/kurs/{course.pk}/okter/", data).status_code == 404
    assert not Session.objects.filter(title="Inntrenger").exists()
