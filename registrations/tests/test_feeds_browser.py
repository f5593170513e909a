"""In a real browser: register, download the session's .ics, subscribe to the personal feed."""

import pytest

from registrations.models import Registration
from registrations.tests.mailkit import both_parsers
from tests.browser import assert_accessible, log_in
from webinars.tests.factories import STREAM_URL, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_participant_registers_downloads_the_ics_and_follows_the_feed_link(page, live_server, participant, office_a):
    session = SessionFactory(organisation=office_a, title="Kalenderkurs", slug="kalenderkurs")

    log_in(page, live_server, participant.email)

    page.goto(live_server.url + "/webinarer/kalenderkurs/pamelding/")
    with page.expect_navigation():
        page.get_by_role("button", name="Meld meg på").click()
    assert Registration.objects.get(offering=session.offering, email=participant.email).status == "confirmed"

    page.goto(live_server.url + "/webinarer/kalenderkurs/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned .ics").click()
    download = download_info.value
    assert download.suggested_filename == "kalenderkurs.ics"
    data = open(download.path(), "rb").read()
    calendar, parsed = both_parsers(data)
    assert [e["summary"] for e in parsed["events"]] == ["Kalenderkurs"]
    assert STREAM_URL.encode() not in data

    page.goto(live_server.url + "/mine-pameldinger/kalender/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Lag kalenderadresse").click()
    feed = page.locator("a[data-feed-link]")
    webcal = feed.get_attribute("href")
    assert webcal.startswith("webcal://")
    assert_accessible(page)

    # A calendar app fetches the webcal:// address over http(s).
    response = page.request.get("http://" + webcal.removeprefix("webcal://"))
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    calendar, parsed = both_parsers(response.body())
    [event] = parsed["events"]
    assert event["summary"] == "Kalenderkurs"
    token = Registration.objects.get(offering=session.offering).join_links.get().token
    assert event["url"].endswith(f"/join/{token}/")
    assert STREAM_URL.encode() not in response.body()
