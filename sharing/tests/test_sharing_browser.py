"""In a real browser (chromium): another site frames the embed page, through the iframe
snippet and through embed.js, and sees the office's webinars; other pages refuse to be framed;
the embed page is axe-clean; the JSON-LD in the session and course pages breaks no CSP rule."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser import assert_accessible, small_text
from webinars.tests.factories import CourseFactory, SessionFactory, add_to_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def office_site():
    """The office's own site: a real server on 127.0.0.1, another origin than the live server
    (localhost:<port>). A real one, because chromium's local network access checks refuse a
    page Playwright made up (no address) that frames a local one."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get("html", "").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield pages, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _office_site(page, office_site, body: str) -> None:
    pages, origin = office_site
    pages["html"] = (
        f"<!doctype html><html lang='nb'><head><title>Kontor A</title></head><body><h1>Kontor A</h1>{body}</body></html>"
    )
    page.goto(f"{origin}/arrangementer/")


def test_another_site_frames_the_embed_and_sees_the_offices_webinars(
    browser, live_server, office_site, office_a, office_b
):
    SessionFactory(organisation=office_a, title="Strømming for nybegynnere")
    SessionFactory(organisation=office_b, title="Et annet kontors webinar")
    page = browser.new_context(locale="nb-NO").new_page()
    _office_site(
        page,
        office_site,
        f'<iframe src="{live_server.url}/innbygging/office-a/" title="Webinarer" width="100%" height="500"></iframe>',
    )
    frame = page.frame_locator("iframe")
    frame.get_by_role("heading", name="Strømming for nybegynnere").wait_for()
    assert frame.get_by_role("heading", name="Et annet kontors webinar").count() == 0
    assert frame.get_by_role("link", name="Meld deg på – Strømming for nybegynnere").get_attribute("target") == "_blank"


def test_embed_js_inserts_the_frame_and_sizes_it(browser, live_server, office_site, office_a):
    for n in range(6):
        SessionFactory(organisation=office_a, title=f"Webinar {n} fra kontor A")
    page = browser.new_context(locale="nb-NO").new_page()
    _office_site(
        page,
        office_site,
        f'<script src="{live_server.url}/static/sharing/embed.js" data-kontor="office-a" async></script>',
    )
    frame = page.frame_locator("iframe")
    frame.get_by_role("heading", name="Webinar 5 fra kontor A").wait_for()
    page.wait_for_function("document.querySelector('iframe').style.height !== ''")
    frame_height = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
    content_height = page.frames[1].evaluate("document.documentElement.scrollHeight")
    assert abs(frame_height - content_height) <= 2


def test_other_pages_refuse_to_be_framed(browser, live_server, office_site, office_a):
    SessionFactory(organisation=office_a, title="Strømming for nybegynnere")
    page = browser.new_context(locale="nb-NO").new_page()
    _office_site(
        page,
        office_site,
        f'<iframe src="{live_server.url}/webinarer/" title="Katalogen" width="100%" height="500"></iframe>',
    )
    # The same page frames the embed page (the test above): here the frame stays empty.
    page.wait_for_timeout(1000)
    assert page.frame_locator("iframe").get_by_role("heading", name="Strømming for nybegynnere").count() == 0


def test_the_embed_page_is_accessible(browser, live_server, office_a):
    SessionFactory(organisation=office_a, title="Strømming for nybegynnere", capacity=1)
    course = CourseFactory(organisation=office_a, title="Kurs i låtskriving")
    add_to_course(course, SessionFactory(organisation=office_a))
    for width in (360, 1024):
        page = browser.new_context(locale="nb-NO", viewport={"width": width, "height": 800}).new_page()
        page.goto(f"{live_server.url}/innbygging/office-a/")
        assert_accessible(page)
        assert small_text(page) == []


def test_json_ld_and_the_embed_raise_no_csp_violation(browser, live_server, office_a):
    session = SessionFactory(organisation=office_a)
    course = CourseFactory(organisation=office_a)
    add_to_course(course, SessionFactory(organisation=office_a))
    context = browser.new_context(locale="nb-NO")
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    for path in (session.get_absolute_url(), course.get_absolute_url(), "/innbygging/office-a/", "/hjelp/kalender/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        if path in (session.get_absolute_url(), course.get_absolute_url()):
            assert page.locator('script[type="application/ld+json"]').count() == 1, path
        problems += page.evaluate("window.__cspViolations")
    assert problems == []
