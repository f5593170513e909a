"""The embed page an office frames on its own site, its headers, and the workspace's
"Vis på egen nettside" page."""

import pytest

from sharing.tests.pages import read_page
from webinars.models import Status
from webinars.tests.factories import CourseFactory, SessionFactory, TopicFactory, add_to_course

pytestmark = pytest.mark.django_db


def test_it_lists_the_offices_upcoming_webinars_and_courses(client, office_a, office_b):
    mine = SessionFactory(organisation=office_a, title="Kontor As webinar")
    SessionFactory(organisation=office_b, title="Kontor Bs webinar")
    cohosted = SessionFactory(organisation=office_b, title="Sammen med kontor B")
    cohosted.cohosts.add(office_a)
    SessionFactory(organisation=office_a, title="Et utkast", status=Status.DRAFT)
    course = CourseFactory(organisation=office_a, title="Kontor As kurs")
    add_to_course(course, SessionFactory(organisation=office_a))
    response = client.get("/innbygging/office-a/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kontor As webinar" in page and "Kontor As kurs" in page and "Sammen med kontor B" in page
    assert "Kontor Bs webinar" not in page and "Et utkast" not in page
    buttons = [a for a in read_page(page).links if a.get("class") == "mhk-button"]
    assert {a["href"] for a in buttons} == {
        "http://127.0.0.1:8000" + mine.get_absolute_url(),
        "http://127.0.0.1:8000" + cohosted.get_absolute_url(),
        "http://127.0.0.1:8000" + course.get_absolute_url(),
    }
    assert all(a["target"] == "_blank" and a["rel"] == "noopener" for a in buttons)
    assert "<script>" not in page and "style=" not in page


def test_a_topic_narrows_it(client, office_a):
    topic = TopicFactory(slug="opphavsrett", name="Opphavsrett")
    on_topic = SessionFactory(organisation=office_a, title="Om opphavsrett")
    on_topic.topics.add(topic)
    SessionFactory(organisation=office_a, title="Om noe annet")
    for path in ("/innbygging/office-a/?tema=opphavsrett", "/innbygging/tema/opphavsrett/"):
        page = client.get(path).content.decode()
        assert "Om opphavsrett" in page and "Om noe annet" not in page, path
    assert client.get("/innbygging/office-a/?tema=finnes-ikke").status_code == 404
    assert client.get("/innbygging/finnes-ikke/").status_code == 404


def test_only_the_embed_page_may_be_framed(client, office_a):
    SessionFactory(organisation=office_a)
    embed = client.get("/innbygging/office-a/")
    assert "X-Frame-Options" not in embed.headers
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "script-src 'self'" in embed["Content-Security-Policy"]
    for path in ("/", "/webinarer/", "/organisasjoner/office-a/", "/hjelp/kalender/"):
        response = client.get(path)
        assert response["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], path


def test_the_workspace_shows_a_preview_and_the_snippets(client, office_a, office_b, organiser_a):
    client.force_login(organiser_a)
    assert 'href="/arbeidsrom/innbygging/"' in client.get("/arbeidsrom/").content.decode()
    response = client.get("/arbeidsrom/innbygging/")
    page = response.content.decode()
    assert '<iframe class="d-block w-100 border-0" src="/innbygging/office-a/"' in page
    assert "&lt;iframe src=&quot;http://127.0.0.1:8000/innbygging/office-a/&quot;" in page
    assert "data-kontor=&quot;office-a&quot;" in page and "sharing/embed.js" in page
    assert "frame-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    # Another office's slug is ignored: an organiser only ever gets their own office's snippet.
    assert "/innbygging/office-b/" not in client.get("/arbeidsrom/innbygging/?kontor=office-b").content.decode()


def test_the_workspace_page_is_for_organisers(client, participant):
    assert client.get("/arbeidsrom/innbygging/")["Location"].startswith("/konto/login/")
    client.force_login(participant)
    assert client.get("/arbeidsrom/innbygging/").status_code == 404
