"""Helpers for the browser tests (Playwright with Debian's chromium)."""

from axe_playwright_python.sync_playwright import Axe

from accounts.tests.factories import TEST_PASSWORD

# Text in visible elements below this size (px) is a finding; screen-reader-only text is not shown.
MIN_FONT_PX = 14
SMALL_TEXT = """(min) => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const el = walker.currentNode.parentElement;
    if (!text || !el || !el.checkVisibility({visibilityProperty: true})) continue;
    if (el.closest(".visually-hidden, .visually-hidden-focusable, [hidden], script, style, noscript")) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < min) found.push(`${el.tagName.toLowerCase()}.${el.className} ${size}px: ${text.slice(0, 30)}`);
  }
  return found;
}"""


def assert_fits(page) -> None:
    """The page is no wider than the browser's viewport: nothing scrolls sideways."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url}: {scroll_width} px wide on a {width} px screen"


def small_text(page) -> list[str]:
    """Visible text smaller than MIN_FONT_PX."""
    return page.evaluate(SMALL_TEXT, MIN_FONT_PX)


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical violation on the page as it is now, and the page
    fits its viewport (issue 13: every page the browser tests check, at every size they use)."""
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{page.url}: {serious}"
    assert_fits(page)


def log_in(page, live_server, email: str) -> None:
    """Sign in through the real login form with the factories' password."""
    page.goto(live_server.url + "/konto/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
