"""An organiser's workflow end to end in the browser: create a course with four generated
weekly sessions, publish it from the preview, set its reminders on the course's own page, and
cancel it from the confirmation page that says what will happen; the registrants get the
cancellation (parsed as a calendar reads it). axe-core checks each page on the way."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from registrations.models import Notification
from registrations.services import registration_create
from registrations.tests.mailkit import assert_itip, deliver, invite_of
from tests.browser import assert_accessible, log_in
from webinars.models import Course, Status
from webinars.zones import DEFAULT_ZONE, utc_to_local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def next_tuesday():
    today = utc_to_local(timezone.now(), DEFAULT_ZONE).date() + timedelta(days=14)
    return today + timedelta(days=(1 - today.weekday()) % 7)


def test_an_organiser_creates_publishes_reminds_and_cancels_a_course(page, live_server, organiser_a, office_a):
    first = next_tuesday()
    log_in(page, live_server, organiser_a.email)

    page.goto(live_server.url + "/arbeidsrom/kurs/ny/")
    assert_accessible(page)
    page.locator("#id_title").fill("Låtskriving på fire kvelder")
    page.locator("#id_summary").fill("Fra idé til ferdig låt.")
    page.locator("#id_capacity").fill("30")
    page.locator("#id_serie-first_on").fill(first.isoformat())
    page.locator("#id_serie-starts_time").fill("18:00")
    page.locator("#id_serie-ends_time").fill("19:30")
    page.locator("#id_serie-interval").select_option("7")
    page.locator("#id_serie-count").fill("4")
    with page.expect_navigation():
        page.get_by_role("button", name="Lag øktene").click()
    assert "Lagt til: hver tirsdag kl. 18:00, 4 ganger." in page.content()
    assert page.locator("#id_title").input_value() == "Låtskriving på fire kvelder"
    for i in range(4):
        assert page.locator(f"#id_okter-{i}-starts_on").input_value() == (first + timedelta(days=7 * i)).isoformat()
    assert_accessible(page)
    # Rows stay editable: the third evening gets a guest and a name of its own.
    page.locator("#id_okter-2-title").fill("Gjestekveld")
    page.locator("#id_felles-stream_url").fill("https://zoom.us/j/5550001111")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre kurset").click()

    course = Course.objects.get(title="Låtskriving på fire kvelder")
    sessions = list(course.offering.sessions.order_by("position"))
    assert [s.title for s in sessions] == ["Økt 1", "Økt 2", "Gjestekveld", "Økt 4"]
    assert page.url.endswith(f"/arbeidsrom/kurs/{course.pk}/")
    assert "Forhåndsvisning for arrangøren" in page.content()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Publiser").click()
    assert page.url.endswith(f"/arbeidsrom/kurs/{course.pk}/")
    assert "er publisert" in page.content()
    course.refresh_from_db()
    assert course.status == Status.PUBLISHED
    assert {s.status for s in course.offering.sessions.all()} == {Status.PUBLISHED}

    for n in range(2):
        user = UserFactory(email=f"kursdeltaker{n}@example.no")
        registration_create(
            offering=course.offering, user=user, name=f"Deltaker {n}", email=user.email, language="nb", answers={}
        )
    assert len(deliver()) == 8  # one invite per person and session

    page.goto(live_server.url + "/arbeidsrom/")
    page.get_by_role("link", name="Påmeldte, påminnelser og meldinger – Låtskriving på fire kvelder").click()
    page.wait_for_url(lambda url: url.endswith(f"/arbeidsrom/kurs/{course.pk}/oversikt/"))
    assert page.url.endswith(f"/arbeidsrom/kurs/{course.pk}/oversikt/")
    assert_accessible(page)
    assert "Påmeldt: 2" in page.content()
    page.locator("#id_amount_0").fill("2")
    page.locator("#id_unit_0").select_option("days")
    page.locator("#id_amount_1").fill("1")
    page.locator("#id_unit_1").select_option("hours")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre påminnelser").click()
    assert f"/arbeidsrom/kurs/{course.pk}/oversikt/" in page.url
    assert "Påmeldte får påminnelse 2 døgn, 1 time før start." in page.content()
    course.offering.refresh_from_db()
    assert course.offering.reminder_offsets == [2880, 60]
    assert Notification.objects.filter(kind=Notification.Kind.REMINDER, state="pending").count() == 16

    with page.expect_navigation():
        page.get_by_role("link", name="Avlys kurset …").click()
    assert_accessible(page)
    consequences = page.locator("#consequences").locator("xpath=..").inner_text()
    assert "Kurset og alle de 4 øktene avlyses." in consequences
    assert "2 påmeldte får avlysning og fjernes fra kalenderen." in consequences
    course.refresh_from_db()
    assert course.status == Status.PUBLISHED  # the page itself changes nothing
    page.get_by_role("button", name="Avlys kurset").click()
    page.wait_for_url(lambda url: url.endswith("/arbeidsrom/"))
    assert page.url.endswith("/arbeidsrom/")
    assert "og alle øktene er avlyst" in page.content()
    course.refresh_from_db()
    assert course.status == Status.CANCELLED

    assert not Notification.objects.filter(kind=Notification.Kind.REMINDER, state="pending").exists()
    cancels = deliver()
    assert (
        sorted(m["To"].addresses[0].addr_spec for m in cancels)
        == ["kursdeltaker0@example.no"] * 4 + ["kursdeltaker1@example.no"] * 4
    )
    for message in cancels:
        assert message["Subject"].strip().startswith("Avlyst: Låtskriving på fire kvelder")
        method, calendar, parsed = invite_of(message)
        assert method == "CANCEL"
        assert_itip(method, calendar, parsed)
