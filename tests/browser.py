"""Helpers for the browser tests (Playwright with Debian's chromium)."""

from axe_playwright_python.sync_playwright import Axe

from accounts.tests.factories import TEST_PASSWORD


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{page.url}: {serious}"


def log_in(page, live_server, email: str) -> None:
    """Sign in through the real login form with the factories' password."""
    page.goto(live_server.url + "/konto/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
