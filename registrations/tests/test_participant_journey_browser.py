"""The participant's journey on a phone (390×844) and a laptop, in Bokmål and English:
register for a course, see the confirmation with add-to-calendar links, get one invite per
session (one UID each), then see the organiser's cancellation everywhere, with the CANCELs
parsed as a calendar reads them."""

import pytest

from accounts.tests.factories import UserFactory
from courses import services as course_services
from registrations.models import Registration
from registrations.tests.mailkit import assert_itip, deliver, invite_of
from tests.browser import log_in
from webinars.tests.factories import course_with_sessions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = {
    "nb": {
        "register": "Meld meg på",
        "registered": "Du er påmeldt",
        "emailed": "Vi har sendt en bekreftelse til",
        "earlier": "Tidligere og avmeldte",
        "cancelled": "Avlyst",
        "subject": "Du er påmeldt: ",
    },
    "en": {
        "register": "Register me",
        "registered": "You are registered",
        "emailed": "We have sent a confirmation to",
        "earlier": "Past and cancelled",
        "cancelled": "Cancelled",
        "subject": "",
    },
}


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}], ids=["phone", "desktop"]
)
@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_participant_registers_for_a_course_and_sees_its_cancellation(
    page, live_server, office_a, viewport, language
):
    text = TEXTS[language]
    page.set_viewport_size(viewport)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    user = UserFactory(email=f"deltaker-{language}@example.no", display_name="", preferred_language=language)
    course = course_with_sessions(3, organisation=office_a, title="Økonomi for selvstendige musikere")
    log_in(page, live_server, user.email)

    page.goto(f"{live_server.url}/kurs/{course.slug}/pamelding/")
    with page.expect_navigation():
        page.get_by_role("button", name=text["register"]).click()
    assert page.get_by_role("heading", name=text["registered"]).is_visible()
    assert text["emailed"] in page.content() and user.email in page.content()
    assert page.get_by_role("link", name="Google").count() == 3
    assert page.get_by_role("link", name="Outlook").count() == 3
    assert page.get_by_role("link", name=".ics").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert user.email not in page.locator("h1").inner_text(), "never greeted by address"

    registration = Registration.objects.get(offering=course.offering)
    confirmations = deliver()
    assert len(confirmations) == 3, "one invite per session"
    sessions = list(course.offering.sessions_in_order())
    uids = []
    for message, session in zip(confirmations, sessions, strict=True):
        assert message["Subject"].strip().startswith(text["subject"])
        method, calendar, parsed = invite_of(message)
        assert method == "REQUEST"
        assert_itip(method, calendar, parsed)
        [event] = parsed["events"]
        assert event["summary"] == f"{course.title} – {session.title}"
        uids.append(event["uid"])
    assert uids == [f"reg{registration.pk}-s{s.pk}@127.0.0.1" for s in sessions]

    course_services.course_cancel(course=course)
    page.goto(f"{live_server.url}/mine-pameldinger/")
    content = page.content()
    upcoming, earlier = content.split(text["earlier"])
    assert course.title not in upcoming and course.title in earlier
    assert text["cancelled"] in earlier
    assert page.get_by_role("link", name="Bli med").count() == 0 and page.get_by_role("link", name="Join").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    page.goto(f"{live_server.url}/pamelding/{registration.manage_token}/")
    status = page.locator(".registration-status")
    assert status.get_attribute("data-offering-state") == "cancelled"
    assert page.get_by_role("link", name="Meld meg av").count() == 0
    assert page.get_by_role("link", name="Cancel my registration").count() == 0

    cancels = deliver()
    assert len(cancels) == 3
    cancelled = []
    for message in cancels:
        method, calendar, parsed = invite_of(message)
        assert method == "CANCEL"
        assert_itip(method, calendar, parsed)
        cancelled.append(parsed["events"][0]["uid"])
    assert sorted(cancelled) == sorted(uids)
