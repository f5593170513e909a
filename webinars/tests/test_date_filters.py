"""Extreme dates in the catalogue's filters give the filter's error, never a 500
(issue 11, item 5): /webinarer/, /webinarer/arkiv/ and /kurs/ share CatalogueFilterForm."""

import pytest

from webinars.tests.factories import SessionFactory, course_with_sessions

pytestmark = pytest.mark.django_db

PAGES = ["/webinarer/", "/webinarer/arkiv/", "/kurs/"]
EXTREMES = [
    {"til": "9999-12-31"},
    {"fra": "0001-01-01"},
    {"fra": "0001-01-01", "til": "9999-12-31"},
    {"fra": "9999-12-31"},
    {"til": "0001-01-01"},
    {"fra": "1999-12-31"},
    {"til": "2101-01-01"},
]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("params", EXTREMES)
def test_an_extreme_date_is_a_filter_error_not_a_500(client, office_a, url, params):
    SessionFactory(organisation=office_a, title="Synlig webinar")
    course_with_sessions(2, organisation=office_a, title="Synlig kurs")
    response = client.get(url, params)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Velg en dato mellom år 2000 og 2100." in page
    # The invalid date is ignored; what the other filters allow is still listed.
    if url == "/webinarer/":
        assert "Synlig webinar" in page
    if url == "/kurs/":
        assert "Synlig kurs" in page


@pytest.mark.parametrize("url", PAGES)
def test_dates_at_the_ends_of_the_range_still_filter(client, office_a, url):
    SessionFactory(organisation=office_a, title="Synlig webinar")
    response = client.get(url, {"fra": "2000-01-01", "til": "2100-12-31"})
    assert response.status_code == 200
    assert "Velg en dato" not in response.content.decode()
