"""The dashboards in a real browser at phone and desktop width: they fit the screen, axe-core
finds nothing serious or critical, the Content-Security-Policy blocks nothing (the charts are
SVG drawn with attributes and classes), and the table sorts by a heading link."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.tests.factories import UserFactory
from registrations.models import County, Registration
from registrations.tests.factories import JoinLinkFactory, RegistrationFactory
from tests.browser import assert_accessible, log_in, small_text
from webinars.tests.factories import AudienceFactory, SessionFactory, TopicFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.violatedDirective));
"""


@pytest.fixture
def figures(office_a, organiser_a):
    musician = AudienceFactory(name="Musiker", name_en="Musician")
    topic = TopicFactory(name="Strømming")
    for n, title in enumerate(["Strømmeinntekter og rettigheter for låtskrivere", "Søknadsskriving"]):
        starts_at = timezone.now() - timedelta(days=5 + n)
        session = SessionFactory(
            organisation=office_a,
            offering__organisation=office_a,
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            topics=[topic],
        )
        for registration in RegistrationFactory.create_batch(
            3 + n, session=session, status=Registration.Status.CONFIRMED, audience=musician, county=County.AGDER
        ):
            JoinLinkFactory(registration=registration, session=session, first_joined_at=starts_at)
        RegistrationFactory(session=session, status=Registration.Status.CANCELLED)
    national = UserFactory(email="nasjonal@example.no")
    national.user_permissions.add(Permission.objects.get(codename="view_national"))
    return national


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_dashboards_fit_pass_axe_and_keep_the_csp(browser, live_server, organiser_a, figures, size):
    today = timezone.localdate()
    period = f"periode=egen&fra={today - timedelta(days=30):%Y-%m-%d}&til={today:%Y-%m-%d}"
    for email, path in (
        (organiser_a.email, f"/arbeidsrom/innsikt/?{period}"),
        (figures.email, f"/arbeidsrom/innsikt/nasjonalt/?{period}"),
    ):
        context = browser.new_context(locale="nb-NO", viewport=VIEWPORTS[size])
        context.add_init_script(LISTEN)
        page = context.new_page()
        log_in(page, live_server, email)
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200
        assert page.locator("svg.insight-svg rect.insight-bar").count() > 0
        assert page.locator("table.insight-chart-table").count() >= 2
        if "nasjonalt" not in path:  # the office's offerings each have a sparkline
            assert page.locator("table.insight-offerings svg.insight-spark[role=img]").count() == 2
        assert_accessible(page)
        assert small_text(page) == []
        assert page.evaluate("window.__cspViolations") == []
        # Sorting: on a phone through the form (the headings are hidden), on a desktop by
        # clicking the heading twice (most registrations first).
        if size == "phone":
            page.locator("select#sorter").select_option("-pameldinger")
            page.locator("form.insight-sort button").click()
        else:
            page.locator("table.insight-offerings thead").get_by_role("link", name=re.compile("^Påmeldinger")).click()
            page.locator("table.insight-offerings thead").get_by_role("link", name=re.compile("^Påmeldinger")).click()
        page.wait_for_url(lambda url: "sorter=-pameldinger" in url)
        assert "sorter=-pameldinger" in page.url
        first_title = page.locator("table.insight-offerings tbody tr td.table-stack-title").first.inner_text()
        assert first_title.startswith("Søknadsskriving")
        assert_accessible(page)
        context.close()
