"""Phone-first pages (issue 13), in a real browser at 390×844 and 1280×800: no page of any
visitor is wider than the screen, axe-core finds nothing serious at phone size, no readable
text is under 14 px; the menu collapses, results come before the filters, the Filtrer button
opens them and chips remove them (with and without JavaScript), the primary action stays in
view, and an organiser reaches every registrant's actions."""

import re

import pytest
from playwright.sync_api import expect

from library.models import Resource
from tests.browser import assert_accessible, assert_fits, log_in, small_text
from tests.site_pages import anonymous_paths, build_site, organiser_paths, participant_paths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def site(office_a, organiser_a, participant):
    return build_site(office_a, participant)


def _walk(page, base: str, paths: list[str], *, phone: bool) -> list[str]:
    problems = []
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.status < 500, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.viewport_size["width"]:
            problems.append(f"{path}: {width} px wide")
        problems += [f"{path}: {found}" for found in small_text(page)]
        if phone:
            try:
                assert_accessible(page)
            except AssertionError as exc:
                problems.append(str(exc))
    return problems


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_no_page_is_wider_than_the_screen(browser, live_server, site, organiser_a, participant, viewport):
    phone = viewport is PHONE
    problems = []
    anonymous = browser.new_context(locale="nb-NO", viewport=viewport)
    problems += _walk(anonymous.new_page(), live_server.url, anonymous_paths(site), phone=phone)
    anonymous.close()

    page = browser.new_context(locale="nb-NO", viewport=viewport).new_page()
    log_in(page, live_server, participant.email)
    problems += _walk(page, live_server.url, participant_paths(site), phone=phone)
    page.context.close()

    page = browser.new_context(locale="nb-NO", viewport=viewport).new_page()
    log_in(page, live_server, organiser_a.email)
    Resource.objects.filter(pk=site["recording"].pk).update(visibility=Resource.Visibility.PUBLIC)
    problems += _walk(page, live_server.url, organiser_paths(site), phone=phone)
    page.context.close()
    assert problems == [], "\n".join(problems)


def test_the_check_fails_on_a_page_wider_than_the_screen(page, live_server, site):
    """The width check above can fail: a wide element added to a page is reported."""
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/webinarer/")
    assert_fits(page)
    # A style set through the CSSOM, which the Content-Security-Policy allows.
    page.evaluate(
        "Object.assign(document.querySelector('main').appendChild(document.createElement('div')).style,"
        " {width: '600px', height: '10px'})"
    )
    with pytest.raises(AssertionError, match="wide on a 390 px screen"):
        assert_fits(page)
    page.evaluate(
        "Object.assign(document.querySelector('main').appendChild(document.createElement('span')),"
        " {textContent: 'liten'}).style.fontSize = '10.5px'"
    )
    assert any("liten" in found for found in small_text(page))


def test_the_menu_collapses_on_a_phone_with_the_account_links_inside(page, live_server, site, participant):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, participant.email)
    page.goto(live_server.url + "/webinarer/")
    header = page.locator("header").bounding_box()
    assert header["height"] < 70
    menu = page.get_by_role("button", name="Meny")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Mine påmeldinger")).to_be_hidden()
    menu.click()
    expect(page.get_by_role("link", name="Mine påmeldinger")).to_be_visible()
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.get_by_role("link", name="Ressursbank").click()
    page.wait_for_url(lambda url: url.endswith("/ressursbank/"))
    assert page.url.endswith("/ressursbank/")

    page.set_viewport_size(LAPTOP)
    expect(page.get_by_role("button", name="Meny")).to_be_hidden()
    expect(page.get_by_role("link", name="Mine påmeldinger")).to_be_visible()


@pytest.mark.parametrize(
    ("path", "first"),
    [
        ("/webinarer/", ".session-card"),
        ("/webinarer/arkiv/", ".session-card"),
        ("/kurs/", ".course-card"),
        ("/ressursbank/", ".resource-list li"),
    ],
)
def test_on_a_phone_the_first_result_is_above_the_fold_and_filtrer_opens_the_filters(
    page, live_server, site, path, first
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + path)
    card = page.locator(first).first
    expect(card).to_be_visible()
    assert card.bounding_box()["y"] < PHONE["height"] - 100, "the first result starts on the first screen"
    search = page.locator("#filtre input[name=q]")
    expect(search).to_be_hidden()
    toggle = page.get_by_role("button", name="Filtrer")
    toggle.click()
    expect(search).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    # Measured once Bootstrap's collapse has finished opening (under load the transition can
    # still be running when the input first shows).
    expect(page.locator("#filtre")).to_have_class(re.compile(r"\bshow\b"))
    expect(page.locator("#filtre")).not_to_have_class(re.compile(r"\bcollapsing\b"))
    assert search.bounding_box()["y"] < card.bounding_box()["y"], "the panel opens above the results"
    assert_accessible(page)


def test_active_filters_show_as_chips_that_each_remove_one(page, live_server, site):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/webinarer/")
    page.get_by_role("button", name="Filtrer").click()
    page.locator("#id_tema").select_option(label="Strømming")
    page.locator("#id_sprak").select_option(label="Norsk bokmål")
    page.get_by_role("button", name="Vis treff").click()
    page.wait_for_url(lambda url: "tema=stromming" in url and "sprak=nb" in url)
    assert "tema=stromming" in page.url and "sprak=nb" in page.url
    expect(page.get_by_role("button", name="Filtrer")).to_contain_text("2")
    chips = page.get_by_role("list", name="Aktive filtre")
    expect(chips.get_by_role("link")).to_have_text(
        [re.compile("Tema: Strømming"), re.compile("Språk: Norsk bokmål"), "Fjern alle filtre"]
    )
    expect(page.get_by_role("link", name="Fjern filteret Tema: Strømming")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Fjern filteret Tema: Strømming").click()
    page.wait_for_url(lambda url: "tema=" not in url and "sprak=nb" in url)
    assert "tema=" not in page.url and "sprak=nb" in page.url
    expect(page.locator("#id_sprak")).to_have_value("nb")
    expect(page.get_by_role("link", name=re.compile("^Fjern filteret"))).to_have_count(1)
    page.get_by_role("link", name="Fjern filteret Språk: Norsk bokmål").click()
    page.wait_for_url(lambda url: url == live_server.url + "/webinarer/")
    assert page.url == live_server.url + "/webinarer/"
    expect(page.get_by_role("list", name="Aktive filtre")).to_have_count(0)


def test_without_javascript_the_menu_is_open_results_come_first_and_the_filters_follow(browser, live_server, site):
    page = browser.new_context(locale="nb-NO", viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(live_server.url + "/webinarer/?tema=stromming")
    expect(page.get_by_role("link", name="Ressursbank")).to_be_visible()  # the menu is not collapsed
    expect(page.get_by_role("button", name="Meny")).to_be_hidden()
    card = page.locator(".session-card").first
    filters = page.locator("#filtre")
    expect(filters).to_be_visible()
    assert card.bounding_box()["y"] < filters.bounding_box()["y"], "results before the filters"
    link = page.get_by_role("link", name="Filtrer")
    assert link.get_attribute("href") == "#filtre"
    page.get_by_role("link", name="Fjern filteret Tema: Strømming").click()
    page.wait_for_url(lambda url: url == live_server.url + "/webinarer/")
    assert page.url == live_server.url + "/webinarer/"
    assert_fits(page)
    page.context.close()


@pytest.mark.parametrize("which", ["session", "course"])
def test_the_primary_action_is_near_the_top_and_stays_in_view_on_a_phone(page, live_server, site, which):
    page.set_viewport_size(PHONE)
    if which == "session":
        # Full, with a waitlist: its action is the waitlist (issue 12's honest buttons).
        path, label, target = f"/webinarer/{site['session'].slug}/", "Sett meg på venteliste", "/pamelding/"
    else:
        path, label, target = f"/kurs/{site['course'].slug}/", "Meld deg på kurset", "/pamelding/"
    page.goto(live_server.url + path)
    top = page.locator("[data-primary-action]").get_by_role("link", name=label)
    expect(top).to_be_in_viewport()
    bar = page.locator("[data-sticky-action]")
    expect(bar).to_be_hidden()  # the same action is already on the screen

    page.locator("footer").scroll_into_view_if_needed()
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"] + 1 and box["y"] > PHONE["height"] - 120
    assert_accessible(page)
    bar.get_by_role("link", name=label).click()
    page.wait_for_url(lambda url: url.endswith(target))
    assert page.url.endswith(target)

    page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + path)
    expect(page.locator("[data-primary-action]").get_by_role("link", name=label)).to_be_in_viewport()
    expect(bar).to_be_hidden()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_every_registrants_actions_are_on_screen_and_answers_open_per_person(
    page, live_server, site, organiser_a, viewport
):
    page.set_viewport_size(viewport)
    log_in(page, live_server, organiser_a.email)
    page.goto(f"{live_server.url}/arbeidsrom/webinarer/{site['session'].pk}/pameldinger/")
    assert_accessible(page)
    buttons = page.get_by_role("button", name=re.compile("^(Meld av|Gi plass)"))
    expect(buttons).to_have_count(4)  # three can be cancelled, one promoted
    for n in range(4):
        button = buttons.nth(n)
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"], button.inner_text()
    answers = page.get_by_text("Vis svar – Venter Venteliste")
    question = page.get_by_text("Har du erfaring med å søke støtte fra fond før?").last
    expect(question).to_be_hidden()
    answers.click()
    expect(question).to_be_visible()
    assert_fits(page)
