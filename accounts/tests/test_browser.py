"""A visitor in a real browser: home page, switch to English, sign up; axe-core checks
every page visited for serious or critical accessibility violations."""

import pytest

from accounts.models import User
from registrations.models import Notification
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_switches_to_english_and_signs_up(page, live_server):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.get_by_role("link", name="Ressursbank").first.is_visible()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Resource bank").first.is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Sign up").click()
    assert_accessible(page)
    page.get_by_label("Email").fill("nettleser@example.no")
    page.locator("#id_password1").fill("et-langt-og-trygt-passord-9")
    page.locator("#id_password2").fill("et-langt-og-trygt-passord-9")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(lambda url: "/konto/confirm-email/" in url)
    assert "/konto/confirm-email/" in page.url
    assert page.locator("h1").first.inner_text().strip() != ""
    assert_accessible(page)

    user = User.objects.get(email="nettleser@example.no")
    assert user.preferred_language == "en"
    # The verification email waits in the outbox, in the language the visitor chose.
    assert Notification.objects.get(kind="account", to_email="nettleser@example.no").language == "en"
