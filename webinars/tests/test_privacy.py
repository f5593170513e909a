"""The stream URL reaches nobody but the join redirect: no page, attribute, feed or JSON."""

import pytest
from django.urls import NoReverseMatch, reverse

from webinars.markdown import render_markdown
from webinars.models import Status
from webinars.tests.factories import SessionFactory, course_session

pytestmark = pytest.mark.django_db

SECRET = "https://us02web.zoom.us/j/8765432109?pwd=SuperHemmeligPassord"


def public_urls(session, course_session) -> list[str]:
    urls = [
        "/",
        "/webinarer/",
        "/webinarer/?q=strømming",
        "/webinarer/arkiv/",
        f"/webinarer/{session.slug}/",
        f"/webinarer/{course_session.session.slug}/",
        "/kurs/",
        f"/kurs/{course_session.course.slug}/",
        f"/organisasjoner/{session.organisation.slug}/",
    ]
    # Feeds and downloads that other parts of the platform add, where they exist.
    for name, args in [
        ("session_ics", [session.slug]),
        ("catalogue_feed", []),
        ("organisation_feed", [session.organisation.slug]),
        ("session_register", [session.slug]),
        ("course_register", [course_session.course.slug]),
    ]:
        try:
            urls.append(reverse(name, args=args))
        except NoReverseMatch:
            pass
    return urls


def test_the_stream_url_is_in_no_public_response(client, office_a):
    session = SessionFactory(organisation=office_a, title="Strømming i praksis", stream_url=SECRET)
    past = SessionFactory(
        organisation=office_a, stream_url=SECRET + "0", starts_at=session.starts_at.replace(year=2025)
    )
    link = course_session(
        course__organisation=office_a, session__organisation=office_a, session__stream_url=SECRET + "1"
    )
    for url in public_urls(session, link) + [f"/webinarer/{past.slug}/"]:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        body = response.content.decode(errors="replace")
        assert "8765432109" not in body, url
        assert "SuperHemmeligPassord" not in body, url
        assert "us02web.zoom.us" not in body, url


def test_the_stream_url_is_not_shown_to_organisers_of_other_offices_either(client, organiser_b, office_a):
    session = SessionFactory(organisation=office_a, stream_url=SECRET, status=Status.DRAFT)
    client.force_login(organiser_b)
    assert "8765432109" not in client.get("/arbeidsrom/").content.decode()
    assert client.get(f"/arbeidsrom/webinarer/{session.pk}/endre/").status_code == 404


def test_organiser_markdown_renders_harmless(client, office_a):
    evil = (
        "Hei <script>alert('x')</script>\n\n"
        "[klikk](javascript:alert(1)) og [trygg](https://example.no)\n\n"
        '<img src=x onerror="alert(2)"> <a href="#" onclick="alert(3)">lenke</a>\n\n'
        '<p style="x" onmouseover="alert(4)">tekst</p> <iframe src="https://evil.example"></iframe>'
    )
    session = SessionFactory(organisation=office_a, description=evil)
    html = client.get(f"/webinarer/{session.slug}/").content.decode()
    description = html[html.index('class="session-description"') :]
    description = description[: description.index("</div>")]
    assert "<script" not in description
    assert "javascript:" not in description
    assert "onerror" not in description and "onclick" not in description and "onmouseover" not in description
    assert "<iframe" not in description and "<img" not in description
    assert 'href="https://example.no"' in description


def test_render_markdown_keeps_ordinary_formatting():
    html = str(render_markdown("## Plan\n\n- **fet** og *kursiv*\n- [lenke](https://example.no)"))
    assert "<h2>Plan</h2>" in html and "<strong>fet</strong>" in html and "<em>kursiv</em>" in html
    assert 'rel="noopener noreferrer nofollow"' in html
