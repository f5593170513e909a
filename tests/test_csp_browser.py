"""The pages satisfy their Content-Security-Policy (issue 11, item 14): a real browser visits
the main pages of every kind of visitor and fails on any `securitypolicyviolation` event or
console report of a blocked script, style, image or frame."""

from datetime import timedelta

import pytest
from django.utils import timezone

from library.models import Resource
from tests.browser import log_in
from tests.site_pages import anonymous_paths, build_site, organiser_paths, participant_paths, staff_user
from webinars.tests.factories import SessionFactory

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
    return build_site(office_a, participant)


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
    registration = site["registration"]
    problems = []

    anonymous = browser.new_context(locale="nb-NO", timezone_id="America/New_York")  # local times added by JS
    anonymous.add_init_script(LISTEN)
    problems += _visit_all(anonymous.new_page(), live_server.url, anonymous_paths(site))

    page = browser.new_context(locale="nb-NO").new_page()
    page.context.add_init_script(LISTEN)
    log_in(page, live_server, participant.email)
    problems += _visit_all(page, live_server.url, participant_paths(site))

    page = browser.new_context(locale="nb-NO").new_page()
    page.context.add_init_script(LISTEN)
    log_in(page, live_server, organiser_a.email)
    Resource.objects.filter(pk=site["recording"].pk).update(visibility=Resource.Visibility.PUBLIC)
    problems += _visit_all(page, live_server.url, organiser_paths(site))

    staff = staff_user()
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
