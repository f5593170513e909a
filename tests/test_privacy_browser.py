"""Privacy journeys in a real browser (issue 15), as a person goes through them: a guest asks
"slett opplysningene mine" from their registration's page and confirms with the link in the
email; a signed-in person downloads their data from "Min konto" and deletes the account; an
organiser erases a speaker from the offering's page. Every page on the way is axe-clean."""

import json
import re
from pathlib import Path

import pytest

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from registrations.models import PrivacyRecord, Registration
from registrations.tests.mailkit import calendar_parts, deliver, text_of
from tests.browser import assert_accessible, log_in
from webinars.models import Speaker
from webinars.tests.factories import SessionFactory, SpeakerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPTIN_LINK = re.compile(r"http://[^/\s]+(/pamelding/bekreft/[A-Za-z0-9_-]+/)")
CONFIRM_LINK = re.compile(r"http://[^/\s]+(/personvern/slett/[A-Za-z0-9_-]+/)")
GUEST = {"name": "Gry Gjest", "email": "gry.gjest@example.no"}


def _to(messages, address):
    return [m for m in messages if m["To"].addresses[0].addr_spec == address]


def test_a_guest_erases_their_data_from_the_registration_page(page, live_server, office_a):
    session = SessionFactory(organisation=office_a, title="Strømming for nybegynnere", capacity=20)
    page.set_viewport_size({"width": 390, "height": 844})

    # Register as a guest and confirm by the link in the email.
    page.goto(f"{live_server.url}/webinarer/{session.slug}/pamelding/")
    page.locator("input[name=name]").fill(GUEST["name"])
    page.locator("input[name=email]").fill(GUEST["email"])
    page.locator("input[name=consent]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Meld meg på").click()
    (optin,) = _to(deliver(), GUEST["email"])
    page.goto(live_server.url + OPTIN_LINK.search(text_of(optin)).group(1))
    with page.expect_navigation():
        page.get_by_role("button", name="Bekreft påmeldingen").click()
    deliver()  # the confirmation with the invite
    manage_url = page.url
    assert "/pamelding/" in manage_url

    # From the registration's page: ask, and get a link by email.
    with page.expect_navigation():
        page.get_by_role("link", name="Slett opplysningene mine").click()
    assert GUEST["email"] in page.content()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Send meg lenken").click()
    assert f"Vi har sendt en lenke til {GUEST['email']}" in page.get_by_role("status").inner_text()
    (request_email,) = _to(deliver(), GUEST["email"])
    confirm = CONFIRM_LINK.search(text_of(request_email)).group(1)
    assert Registration.objects.filter(email=GUEST["email"], erased_at__isnull=True).exists()

    page.goto(live_server.url + confirm)
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, slett opplysningene mine").click()
    assert "Opplysningene dine er slettet" in page.get_by_role("status").inner_text()
    assert_accessible(page)

    # The calendar hears that the webinar is off for them; nothing names them any more.
    (cancel,) = _to(deliver(), GUEST["email"])
    alternative, _attachment = calendar_parts(cancel)
    assert "METHOD:CANCEL" in alternative.get_content()
    registration = Registration.objects.get(offering=session.offering)
    assert (registration.name, registration.email, registration.status) == ("", "", "cancelled")
    assert PrivacyRecord.objects.filter(kind=PrivacyRecord.Kind.GUEST_ERASED).exists()
    assert page.goto(manage_url).status == 404  # the old link leads nowhere


def test_a_signed_in_person_downloads_their_data_and_deletes_the_account(page, live_server, office_a, tmp_path):
    session = SessionFactory(organisation=office_a, title="Royalties i praksis", capacity=20)
    user = UserFactory(email="konto.eier@example.no", display_name="Kari Kontoeier")
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, user.email)
    page.goto(f"{live_server.url}/webinarer/{session.slug}/pamelding/")
    with page.expect_navigation():
        page.get_by_role("button", name="Meld meg på").click()
    deliver()

    with page.expect_navigation():
        page.get_by_role("link", name="Min konto").first.click()
    assert "Royalties i praksis" in page.content() and user.email in page.content()
    assert_accessible(page)

    # Both downloads: the JSON as a program reads it, the readable page as a person does.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="JSON").click()
    data = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert data["profile"]["email"] == user.email
    assert [r["offering"] for r in data["registrations"]] == ["Royalties i praksis"]
    with page.expect_download() as download_info:
        page.get_by_role("link", name="lesbar side (HTML)").click()
    readable = tmp_path / "mine-opplysninger.html"
    download_info.value.save_as(readable)
    reader = page.context.new_page()
    reader.goto(readable.as_uri())
    assert "Kari Kontoeier" in reader.content() and "Royalties i praksis" in reader.content()
    reader.close()

    with page.expect_navigation():
        page.get_by_role("link", name="Slett kontoen min").click()
    assert_accessible(page)
    page.get_by_label("Passord").fill("feil-passord")
    with page.expect_navigation():
        page.get_by_role("button", name="Slett kontoen").click()
    assert "Passordet stemmer ikke" in page.content()
    page.get_by_label("Passord").fill(TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Slett kontoen").click()
    assert "Kontoen din er slettet" in page.content()
    assert page.get_by_role("link", name="Min konto").count() == 0  # signed out

    (cancel,) = _to(deliver(), user.email)
    assert "METHOD:CANCEL" in calendar_parts(cancel)[0].get_content()
    assert not User.objects.filter(pk=user.pk).exists()
    registration = Registration.objects.get(offering=session.offering)
    assert (registration.name, registration.email, registration.user) == ("", "", None)


def test_an_organiser_erases_a_speaker_from_the_offerings_page(page, live_server, organiser_a, office_a):
    session = SessionFactory(organisation=office_a, title="Låtskriving")
    SpeakerFactory(session=session, name="Sigrid Solist", bio="Fiolinist")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, organiser_a.email)
    page.goto(f"{live_server.url}/arbeidsrom/webinarer/{session.pk}/oversikt/#foredragsholdere")
    assert_accessible(page)
    page.locator("#foredragsholdere ~ ul summary").first.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, slett opplysningene om foredragsholderen").click()
    assert "Opplysningene om foredragsholderen Sigrid Solist er slettet fra 1 økt." in page.content()
    assert "Ingen foredragsholdere er lagt inn." in page.content()
    assert_accessible(page)
    assert not Speaker.objects.exists()
    assert page.goto(f"{live_server.url}/webinarer/{session.slug}/").status == 200
