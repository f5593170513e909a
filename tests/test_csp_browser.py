"""The pages satisfy their Content-Security-Policy (issue 11, item 14): a real browser visits
the main pages of every kind of visitor and fails on any `securitypolicyviolation` event or
console report of a blocked script, style, image or frame."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from library.models import Resource
from library.tests.factories import ContributorFactory, PastSessionFactory, RecordingFactory, ResourceFactory
from registrations.tests.factories import JoinLinkFactory, QuestionFactory, RegistrationFactory
from tests.browser import log_in
from webinars.tests.factories import SessionFactory, SpeakerFactory, course_with_sessions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any of the page's own scripts (Playwright injects it outside the page's CSP).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def site(office_a, organiser_a, participant):
    session = SessionFactory(organisation=office_a, title="Strømming og inntekter", capacity=20)
    SpeakerFactory(session=session)
    QuestionFactory(offering=session.offering, label="Instrument")
    course = course_with_sessions(2, organisation=office_a, title="Kurs i låtskriving")
    registration = RegistrationFactory(session=session, user=participant, email=participant.email)
    link = JoinLinkFactory(registration=registration, session=session)
    past = PastSessionFactory(organisation=office_a, title="Skattekveld")
    recording = RecordingFactory(organisation=office_a, session=past, slug="opptak-skattekveld", title="Opptak")
    ContributorFactory(resource=recording)
    guide = ResourceFactory(organisation=office_a, slug="veileder", title="Veileder", body="## Søknad\n\nTekst.")
    return {
        "session": session,
        "course": course,
        "registration": registration,
        "link": link,
        "recording": recording,
        "guide": guide,
        "office": office_a,
    }


def _visit_all(page, base: str, paths: list[str]) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.status < 500, path
        page.wait_for_load_state("load")
        if response.ok:
            assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), path
        problems += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations")]
    return problems


def test_the_pages_of_every_visitor_raise_no_csp_violation(browser, live_server, site, organiser_a, participant):
    session, course, office = site["session"], site["course"], site["office"]
    registration = site["registration"]
    problems = []

    anonymous = browser.new_context(locale="nb-NO", timezone_id="America/New_York")  # local times added by JS
    anonymous.add_init_script(LISTEN)
    problems += _visit_all(
        anonymous.new_page(),
        live_server.url,
        [
            "/",
            "/webinarer/",
            "/webinarer/?kontor=office-a&fra=2000-01-01&side=2",
            f"/webinarer/{session.slug}/",
            f"/webinarer/{session.slug}/pamelding/",
            "/webinarer/arkiv/",
            "/kurs/",
            f"/kurs/{course.slug}/",
            f"/kurs/{course.slug}/pamelding/",
            "/organisasjoner/",
            f"/organisasjoner/{office.slug}/",
            "/ressursbank/",
            f"/ressursbank/{site['guide'].slug}/",
            "/aktuelt/",
            "/pamelding/sjekk-e-post/",
            f"/pamelding/{registration.manage_token}/",
            f"/pamelding/avmeld/{registration.manage_token}/",
            f"/join/{site['link'].token}/",
            "/finnes-ikke/",
            "/konto/login/",
            "/konto/signup/",
            "/konto/password/reset/",
        ],
    )

    page = browser.new_context(locale="nb-NO").new_page()
    page.context.add_init_script(LISTEN)
    log_in(page, live_server, participant.email)
    problems += _visit_all(
        page,
        live_server.url,
        [
            "/mine-pameldinger/",
            "/mine-pameldinger/kalender/",
            "/konto/email/",
            "/konto/password/change/",
            "/konto/2fa/",
            "/konto/2fa/totp/activate/",  # the QR code is a data: image
        ],
    )

    page = browser.new_context(locale="nb-NO").new_page()
    page.context.add_init_script(LISTEN)
    log_in(page, live_server, organiser_a.email)
    Resource.objects.filter(pk=site["recording"].pk).update(visibility=Resource.Visibility.PUBLIC)
    problems += _visit_all(
        page,
        live_server.url,
        [
            "/arbeidsrom/",
            "/arbeidsrom/webinarer/ny/",
            f"/arbeidsrom/webinarer/{session.pk}/",
            f"/arbeidsrom/webinarer/{session.pk}/endre/",
            f"/arbeidsrom/webinarer/{session.pk}/flytt/",
            f"/arbeidsrom/webinarer/{session.pk}/dupliser/",
            f"/arbeidsrom/webinarer/{session.pk}/pameldinger/",
            f"/arbeidsrom/webinarer/{session.pk}/sporsmal/",
            f"/arbeidsrom/webinarer/{session.pk}/meldinger/",
            f"/arbeidsrom/webinarer/{session.pk}/paminnelser/",
            f"/arbeidsrom/kurs/{course.pk}/endre/",
            f"/arbeidsrom/kurs/{course.pk}/okter/",
            "/arbeidsrom/ressurser/",
            "/arbeidsrom/ressurser/ny/",
            f"/arbeidsrom/ressurser/{site['recording'].pk}/samtykke/",
            # the video player: a frame from youtube-nocookie.com, allowed by frame-src
            f"/ressursbank/{site['recording'].slug}/?spill=1",
        ],
    )

    staff = UserFactory(email="drift@example.no", is_staff=True, is_superuser=True)
    page = browser.new_context(locale="nb-NO").new_page()
    page.context.add_init_script(LISTEN)
    log_in(page, live_server, staff.email)
    problems += _visit_all(
        page,
        live_server.url,
        [
            "/admin/",
            "/admin/registrations/registration/",
            f"/admin/registrations/registration/{registration.pk}/change/",
            "/admin/accounts/user/",
            f"/admin/accounts/user/{participant.pk}/change/",
        ],
    )
    assert problems == []


def test_an_inline_style_would_be_reported(page, live_server, db):
    """The check above can fail: a style attribute added to a page is reported."""
    SessionFactory(starts_at=timezone.now() + timedelta(days=2))
    page.context.add_init_script(LISTEN)
    page.goto(live_server.url + "/webinarer/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(100)
    assert page.evaluate("window.__cspViolations")
