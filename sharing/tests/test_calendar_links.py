"""Calendar feeds you can find: the "Abonner" links on the catalogue, office pages and the
topic-filtered catalogue, the help page, and feeds (parsed with icalendar) that hold what the
page lists."""

import pytest
from icalendar import Calendar

from sharing.tests.pages import read_page
from webinars.tests.factories import SessionFactory, TopicFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def _feeds(client, path: str) -> dict[str, list[str]]:
    links = read_page(client.get(path).content).links
    return {kind: [a["href"] for a in links if a.get("data-feed") == kind] for kind in ("webcal", "https")}


def _summaries(client, url: str) -> set[str]:
    response = client.get(url.removeprefix(SITE))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


def test_the_catalogue_links_its_feed(client, office_a):
    SessionFactory(organisation=office_a, title="Webinar i katalogen")
    feeds = _feeds(client, "/webinarer/")
    assert feeds["https"] == [f"{SITE}/webinarer/kalender.ics"]
    assert feeds["webcal"] == ["webcal://127.0.0.1:8000/webinarer/kalender.ics"]
    assert "Webinar i katalogen" in _summaries(client, feeds["https"][0])
    assert 'href="/hjelp/kalender/"' in client.get("/webinarer/").content.decode()


def test_a_topic_filtered_catalogue_links_the_topic_feed(client, office_a):
    topic = TopicFactory(slug="royalty", name="Royalty")
    on_topic = SessionFactory(organisation=office_a, title="Om royalty")
    on_topic.topics.add(topic)
    SessionFactory(organisation=office_a, title="Om noe annet")
    page = client.get("/webinarer/?tema=royalty").content.decode()
    assert "Om royalty" in page and "Om noe annet" not in page
    feeds = _feeds(client, "/webinarer/?tema=royalty")
    assert f"{SITE}/webinarer/tema/royalty/kalender.ics" in feeds["https"]
    assert "webcal://127.0.0.1:8000/webinarer/tema/royalty/kalender.ics" in feeds["webcal"]
    assert _summaries(client, f"{SITE}/webinarer/tema/royalty/kalender.ics") == {"Om royalty"}
    assert client.get("/webinarer/tema/finnes-ikke/kalender.ics").status_code == 404


def test_an_office_page_links_the_offices_feed(client, office_a, office_b):
    SessionFactory(organisation=office_a, title="Kontor As webinar")
    SessionFactory(organisation=office_b, title="Kontor Bs webinar")
    page = client.get("/organisasjoner/office-a/").content.decode()
    assert "Kontor As webinar" in page
    feeds = _feeds(client, "/organisasjoner/office-a/")
    assert feeds["https"] == [f"{SITE}/organisasjoner/office-a/kalender.ics"]
    assert feeds["webcal"] == ["webcal://127.0.0.1:8000/organisasjoner/office-a/kalender.ics"]
    assert _summaries(client, feeds["https"][0]) == {"Kontor As webinar"}


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nb", ["Abonner på webinarkalenderen", "Fra nettadresse"]),
        ("en", ["Subscribe to the webinar calendar", "From URL"]),
    ],
)
def test_the_help_page_explains_google_outlook_and_apple(client, settings, office_a, language, words):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/hjelp/kalender/").content.decode()
    for word in ["Google", "Outlook", "Apple", *words]:
        assert word in page, word
    assert "webcal://127.0.0.1:8000/webinarer/kalender.ics" in page
