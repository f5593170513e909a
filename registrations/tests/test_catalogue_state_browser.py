"""The catalogue's states in a browser, on a phone (390×844) and a laptop, in Bokmål and
English: a full webinar with its waitlist and the waitlist button, a moved one with its old
time struck through, a cancelled and an ended one offering no registration, and, once signed
in, the visitor's own state on the card and the page with a link to their registration."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from registrations import services
from tests.browser import log_in
from webinars import services as webinar_services
from webinars.tests.factories import SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = {
    "nb": {
        "full": "Fullt – 1 på ventelisten",
        "waitlist": "Sett meg på venteliste",
        "register": "Meld deg på",
        "moved": "flyttet",
        "cancelled": "Avlyst",
        "ended": "Avsluttet",
        "mine": "Du er påmeldt",
        "place": "Nr. 2 på ventelisten",
        "see": "Se påmeldingen din",
    },
    "en": {
        "full": "Full – 1 on the waiting list",
        "waitlist": "Put me on the waiting list",
        "register": "Register",
        "moved": "moved",
        "cancelled": "Cancelled",
        "ended": "Ended",
        "mine": "You are registered",
        "place": "No. 2 on the waiting list",
        "see": "See your registration",
    },
}


def _register(offering, user):
    return services.registration_create(
        offering=offering, user=user, name=user.display_name, email=user.email, language="nb", answers={}
    )


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}], ids=["phone", "desktop"]
)
@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_catalogue_shows_each_state_and_my_own(page, live_server, office_a, viewport, language):
    text = TEXTS[language]
    page.set_viewport_size(viewport)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    full = SessionFactory(organisation=office_a, title="Fullt webinar", slug="fullt", capacity=1)
    _register(full.offering, UserFactory())
    _register(full.offering, UserFactory())
    moved = SessionFactory(organisation=office_a, title="Flyttet webinar", slug="flyttet")
    webinar_services.session_reschedule(
        session=moved, starts_at=moved.starts_at + timedelta(days=1), ends_at=moved.ends_at + timedelta(days=1)
    )
    cancelled = SessionFactory(organisation=office_a, title="Avlyst webinar", slug="avlyst")
    webinar_services.session_cancel(session=cancelled)
    SessionFactory(
        organisation=office_a, title="Ferdig webinar", slug="ferdig", starts_at=timezone.now() - timedelta(days=2)
    )
    user = UserFactory(email=f"deltaker-{language}@example.no", display_name="Kari", preferred_language=language)
    mine = _register(moved.offering, user)

    # Anonymous: the states, no one's own.
    page.goto(f"{live_server.url}/webinarer/")
    full_card = page.locator("article.session-card", has_text="Fullt webinar")
    assert text["full"] in full_card.inner_text()
    moved_card = page.locator("article.session-card", has_text="Flyttet webinar")
    assert moved_card.locator("s").is_visible() and text["moved"] in moved_card.inner_text()
    assert page.locator(".my-registration").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    page.goto(f"{live_server.url}/webinarer/fullt/")
    assert page.get_by_role("link", name=text["waitlist"]).is_visible()
    assert page.get_by_role("link", name=text["register"], exact=True).count() == 0
    for slug, state in (("avlyst", text["cancelled"]), ("ferdig", text["ended"])):
        page.goto(f"{live_server.url}/webinarer/{slug}/")
        assert page.locator(".offering-state").get_by_text(state).is_visible()
        assert page.locator("a[href*='/pamelding/']").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    # Signed in: my own state on the card and the page, with a link to my registration.
    log_in(page, live_server, user.email)
    page.goto(f"{live_server.url}/webinarer/")
    moved_card = page.locator("article.session-card", has_text="Flyttet webinar")
    assert text["mine"] in moved_card.inner_text()
    page.goto(f"{live_server.url}/webinarer/fullt/")
    page.get_by_role("link", name=text["waitlist"]).click()
    with page.expect_navigation():
        page.get_by_role("button").filter(has_text=text["waitlist"]).first.click()
    page.goto(f"{live_server.url}/webinarer/fullt/")
    assert text["place"] in page.locator(".my-registration").inner_text()
    assert page.get_by_role("link", name=text["waitlist"]).count() == 0
    page.goto(f"{live_server.url}/webinarer/flyttet/")
    page.locator(".my-registration a").click()
    page.wait_for_url(lambda url: url.endswith(f"/pamelding/{mine.manage_token}/"))
    assert page.url.endswith(f"/pamelding/{mine.manage_token}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
