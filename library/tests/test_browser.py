"""The library in a real browser: from the home page to a guide in two clicks, a
registrant watching a gated recording, and axe-core on every library page."""

import pytest

from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from library.models import Contributor, Resource
from library.tests.factories import ContributorFactory, PastSessionFactory, RecordingFactory, ResourceFactory
from registrations.tests.factories import RegistrationFactory
from tests.browser import assert_accessible, log_in
from webinars.tests.factories import AudienceFactory, TopicFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO_ID = "PaameldtVid"


@pytest.fixture
def library():
    office = OrganisationFactory(slug="oks", short_name="ØKS", name="ØKS – Østlandet")
    both = AudienceFactory(slug="selvstendig-og-ansatt", name="Både selvstendig og ansatt")
    tax = TopicFactory(slug="skatt-og-trygd", name="Skatt og trygd")
    guide = ResourceFactory(
        organisation=office,
        slug="begge-deler",
        title="Både selvstendig og ansatt: dette gjelder",
        summary="Skatt, trygd og sykepenger når du har både lønn og næring.",
        body="## Skatt\n\nLønn og næringsinntekt skattlegges hver for seg.",
    )
    guide.audiences.add(both)
    guide.topics.add(tax)
    ResourceFactory(organisation=office, slug="annet", title="Noe for arrangører")
    session = PastSessionFactory(organisation=office, title="Skattekveld")
    recording = RecordingFactory(
        organisation=office,
        session=session,
        slug="opptak-skattekveld",
        title="Opptak: Skattekveld",
        video_url=f"https://www.youtube.com/watch?v={VIDEO_ID}",
        visibility=Resource.Visibility.REGISTRANTS,
        transcript="Velkommen til skattekvelden.",
    )
    ContributorFactory(resource=recording, name="Kari Foredrag", role=Contributor.Role.SPEAKER)
    guide.related.add(recording)
    return {"office": office, "guide": guide, "session": session, "recording": recording}


def test_a_visitor_reaches_a_guide_in_two_clicks_from_the_home_page(page, live_server, library):
    page.goto(live_server.url + "/")
    with page.expect_navigation():
        page.get_by_role("link", name="Både selvstendig og ansatt", exact=True).click()  # click 1
    assert page.get_by_role("heading", level=1).inner_text() == "Ressurser for Både selvstendig og ansatt"
    assert page.get_by_role("link", name="Noe for arrangører").count() == 0
    with page.expect_navigation():
        page.get_by_role("link", name="Både selvstendig og ansatt: dette gjelder").click()  # click 2
    assert page.get_by_role("heading", level=1).inner_text() == "Både selvstendig og ansatt: dette gjelder"
    assert page.get_by_role("heading", name="Skatt").is_visible()


def test_a_registrant_watches_a_gated_recording_an_anonymous_visitor_cannot(page, browser, live_server, library):
    user = UserFactory(email="paameldt@example.no")
    RegistrationFactory(session=library["session"], user=user, email=user.email)

    anonymous = browser.new_context(locale="nb-NO")
    other = anonymous.new_page()
    response = other.goto(live_server.url + "/ressursbank/opptak-skattekveld/?spill=1")
    assert response.status == 403
    assert "bare for dem som var påmeldt «Skattekveld»" in other.content()
    assert VIDEO_ID not in other.content()
    assert other.locator("iframe").count() == 0
    anonymous.close()

    log_in(page, live_server, user.email)
    page.goto(live_server.url + "/ressursbank/opptak-skattekveld/", wait_until="domcontentloaded")
    assert page.locator("iframe").count() == 0  # nothing from YouTube before the click
    page.get_by_role("link", name="Last inn og spill av videoen").click()
    page.wait_for_load_state("domcontentloaded")
    frame = page.locator("iframe")
    assert frame.get_attribute("src") == f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}"
    assert frame.get_attribute("title") == "Videospiller: Opptak: Skattekveld"


def test_axe_finds_no_serious_violation_on_the_library_pages(page, live_server, library):
    pages = [
        "/ressursbank/",
        "/ressursbank/?malgruppe=selvstendig-og-ansatt",
        "/ressursbank/?sporsmal=gi-ut-musikk",
        "/ressursbank/?q=skatt",
        "/ressursbank/begge-deler/",
        "/ressursbank/opptak-skattekveld/",
        "/aktuelt/",
    ]
    for path in pages:
        page.goto(live_server.url + path, wait_until="domcontentloaded")
        assert_accessible(page)

    organiser = UserFactory(email="arrangor@oks.example.no")
    MembershipFactory(user=organiser, organisation=library["office"])
    log_in(page, live_server, organiser.email)
    recording = library["recording"]
    for path in [
        "/ressursbank/opptak-skattekveld/?spill=1",
        "/arbeidsrom/ressurser/",
        "/arbeidsrom/ressurser/ny/?type=recording",
        f"/arbeidsrom/ressurser/{recording.pk}/",
        f"/arbeidsrom/ressurser/{recording.pk}/samtykke/",
    ]:
        page.goto(live_server.url + path, wait_until="domcontentloaded")
        assert_accessible(page)
