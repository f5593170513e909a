"""Every number and date an organiser types is bounded (issue 11, item 6): the form shows an
error instead of a 500 and writes nothing, and the model's validation refuses the same values
when a service is called without a form."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registrations.tests.factories import JoinLinkFactory, RegistrationFactory
from webinars.models import Course, Offering, Session
from webinars.services import offering_update, session_create
from webinars.tests.factories import AudienceFactory, CourseFactory, SessionFactory, TopicFactory
from webinars.tests.test_timezones import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _choices():
    # crispy shows a list field's error beside its choices, so there must be some.
    TopicFactory()
    AudienceFactory()


THIRTY_DIGITS = "1" * 30
OUT_OF_RANGE = "Velg en dato mellom år 2000 og 2100."

SESSION_FORM_CASES = [
    ({"registration_opens_at": "0001-01-01T00:00"}, OUT_OF_RANGE),
    ({"registration_closes_at": "9999-12-31T23:59"}, OUT_OF_RANGE),
    ({"starts_on": "9999-12-31", "timezone": "Pacific/Honolulu"}, OUT_OF_RANGE),
    ({"starts_on": "0001-01-01", "timezone": "Pacific/Kiritimati"}, OUT_OF_RANGE),
    ({"ends_on": "9999-12-31"}, OUT_OF_RANGE),
    ({"cohosts": THIRTY_DIGITS}, "er ikke en gyldig verdi"),
    ({"topics": THIRTY_DIGITS}, "er ikke en gyldig verdi"),
    ({"audiences": "-" + THIRTY_DIGITS}, "er ikke en gyldig verdi"),
    ({"join_opens_minutes": "99999999999999"}, "Deltakerlenken kan åpne fra 0 til 1440 minutter før start."),
    ({"join_opens_minutes": "1441"}, "Deltakerlenken kan åpne fra 0 til 1440 minutter før start."),
    ({"capacity": "99999999999999999999"}, "mindre enn eller lik 100000"),
]


@pytest.mark.parametrize(("overrides", "error"), SESSION_FORM_CASES)
def test_the_session_form_refuses_what_no_calendar_or_column_holds(client, organiser_a, office_a, overrides, error):
    client.force_login(organiser_a)
    response = client.post("/arbeidsrom/webinarer/ny/", form_data(office_a, **overrides))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Session.objects.exists()
    assert not Offering.objects.exists()


@pytest.mark.parametrize(("overrides", "error"), SESSION_FORM_CASES)
def test_the_session_edit_form_refuses_them_too(client, organiser_a, office_a, overrides, error):
    session = SessionFactory(organisation=office_a, title="Uendret")
    client.force_login(organiser_a)
    response = client.post(f"/arbeidsrom/webinarer/{session.pk}/endre/", form_data(office_a, **overrides))
    assert response.status_code == 200
    assert error in response.content.decode()
    session.refresh_from_db()
    assert session.title == "Uendret"


def test_the_largest_join_window_and_the_ends_of_the_date_range_are_accepted(client, organiser_a, office_a):
    client.force_login(organiser_a)
    data = form_data(
        office_a,
        join_opens_minutes="1440",
        starts_on="2100-12-30",
        registration_opens_at="2000-01-01T00:00",
        capacity="100000",
    )
    assert client.post("/arbeidsrom/webinarer/ny/", data).status_code == 302
    session = Session.objects.get()
    assert session.join_opens_minutes == 1440
    assert session.offering.capacity == 100000


@pytest.mark.parametrize(
    "overrides",
    [
        {"registration_opens_at": "0001-01-01T00:00"},
        {"registration_closes_at": "9999-12-31T00:00"},
        {"capacity": "1" + "0" * 25},
        {"topics": THIRTY_DIGITS},
    ],
)
def test_the_course_form_refuses_them(client, organiser_a, office_a, overrides):
    client.force_login(organiser_a)
    data = {"organisation": office_a.pk, "title": "Nytt kurs", "slug": "", "language": "nb", **overrides}
    response = client.post("/arbeidsrom/kurs/ny/", data)
    assert response.status_code == 200
    assert not Course.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_reschedule_and_duplicate_refuse_an_extreme_date(client, organiser_a, office_a, day):
    session = SessionFactory(organisation=office_a)
    client.force_login(organiser_a)
    response = client.post(
        f"/arbeidsrom/webinarer/{session.pk}/flytt/", {"starts_on": day, "starts_time": "10:00", "ends_time": "11:00"}
    )
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    response = client.post(f"/arbeidsrom/webinarer/{session.pk}/dupliser/", {"title": "Kopi", "starts_on": day})
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    assert Session.objects.count() == 1


def test_the_model_refuses_a_join_window_beyond_a_day(office_a):
    start = datetime(2030, 5, 1, 10, tzinfo=UTC)
    with pytest.raises(ValidationError) as caught:
        session_create(
            organisation=office_a,
            title="For tidlig",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            join_opens_minutes=99_999_999_999_999,
        )
    assert "join_opens_minutes" in caught.value.message_dict
    assert not Session.objects.exists()


def test_the_model_refuses_dates_and_capacities_out_of_range(office_a):
    start = datetime(2101, 1, 2, 10, tzinfo=UTC)
    with pytest.raises(ValidationError) as caught:
        session_create(organisation=office_a, title="Langt fram", starts_at=start, ends_at=start + timedelta(hours=1))
    assert set(caught.value.message_dict) >= {"starts_at", "ends_at"}
    session = SessionFactory(organisation=office_a)
    with pytest.raises(ValidationError) as caught:
        offering_update(offering=session.offering, capacity=10**12)
    assert "capacity" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        offering_update(offering=session.offering, registration_opens_at=datetime(1, 1, 1, tzinfo=UTC))
    assert "registration_opens_at" in caught.value.message_dict


def test_a_row_written_before_the_bound_never_opens_its_join_link_early_or_fails(client):
    session = SessionFactory(starts_at=timezone.now() + timedelta(days=3))
    Session.objects.filter(pk=session.pk).update(join_opens_minutes=99_999_999_999_999)
    link = JoinLinkFactory(registration=RegistrationFactory(session=session), session=session)
    response = client.get(f"/join/{link.token}/")
    assert response.status_code == 200  # the "opens at" page, not the stream, not a 500
    assert "Lenken åpner" in response.content.decode()


def test_course_capacity_is_bounded_in_the_model(office_a):
    course = CourseFactory(organisation=office_a)
    with pytest.raises(ValidationError):
        offering_update(offering=course.offering, capacity=100_001)


@pytest.mark.parametrize("value", ["²", "9" * 5000, "-1", " 1", "1.0", "١"])
def test_course_sessions_and_registration_actions_take_only_plain_numbers(client, organiser_a, office_a, value):
    course = CourseFactory(organisation=office_a)
    session = SessionFactory(organisation=office_a)
    client.force_login(organiser_a)
    response = client.post(
        f"/arbeidsrom/kurs/{course.pk}/okter/", {"session": [value, str(session.pk)], f"position_{session.pk}": value}
    )
    assert response.status_code == 302
    assert list(course.offering.sessions.all()) == [session]
    registration = RegistrationFactory(session=SessionFactory(organisation=office_a))
    response = client.post(
        f"/arbeidsrom/webinarer/{registration.offering.sessions.get().pk}/pameldinger/",
        {"registration": value, "action": "cancel"},
    )
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == registration.Status.CONFIRMED
