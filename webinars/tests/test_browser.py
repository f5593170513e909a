"""An organiser creates and publishes a webinar through the real form; a visitor finds it
through the catalogue filters. axe-core checks the catalogue, the session page and the form."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser import assert_accessible, log_in
from webinars.models import Session, Status
from webinars.tests.factories import AudienceFactory, TopicFactory
from webinars.zones import DEFAULT_ZONE, utc_to_local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_organiser_publishes_a_webinar_and_a_visitor_finds_it(page, browser, live_server, organiser_a, office_a):
    TopicFactory(slug="stromming", name="Strømming")
    AudienceFactory(slug="frilanser", name="Frilanser")
    day = utc_to_local(timezone.now() + timedelta(days=10), DEFAULT_ZONE).date()

    log_in(page, live_server, organiser_a.email)
    assert "/konto/login/" not in page.url

    page.goto(live_server.url + "/arbeidsrom/webinarer/ny/")
    assert_accessible(page)
    page.locator("#id_title").fill("Strømmeøkonomi for frilansere")
    page.locator("#id_summary").fill("Hvor pengene kommer fra.")
    page.locator("#id_starts_on").fill(day.isoformat())
    page.locator("#id_starts_time").fill("18:00")
    page.locator("#id_ends_time").fill("19:30")
    page.get_by_label("Strømming", exact=True).check()
    page.get_by_label("Frilanser", exact=True).check()
    page.locator("#id_stream_url").fill("https://zoom.us/j/99887766554?pwd=nettleser")
    page.locator("#id_capacity").fill("40")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre").click()
    assert "Forhåndsvisning" in page.content()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Publiser").click()  # on the preview itself
    assert "/arbeidsrom/webinarer/" in page.url and "er publisert" in page.content()
    session = Session.objects.get(title="Strømmeøkonomi for frilansere")
    assert session.status == Status.PUBLISHED
    assert session.stream_url == "https://zoom.us/j/99887766554?pwd=nettleser"

    # A separate, signed-out visitor reading Bokmål.
    visitor = browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo").new_page()
    visitor.goto(live_server.url + "/webinarer/")
    assert_accessible(visitor)
    visitor.locator("#id_tema").select_option(label="Strømming")
    visitor.locator("#id_malgruppe").select_option(label="Frilanser")
    visitor.locator("#id_q").fill("frilansere")
    visitor.get_by_role("button", name="Vis treff").click()
    visitor.wait_for_url(lambda url: "tema=stromming" in url)
    assert "tema=stromming" in visitor.url
    with visitor.expect_navigation():
        visitor.get_by_role("link", name="Strømmeøkonomi for frilansere").click()
    assert visitor.locator("h1").inner_text() == "Strømmeøkonomi for frilansere"
    assert "18:00–19:30 (norsk tid)" in visitor.content()
    assert "99887766554" not in visitor.content()
    assert_accessible(visitor)
    visitor.close()
