"""The list endpoints read the same number of queries whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.tests.served_schema import api_get
from library.tests.factories import PastSessionFactory, RecordingFactory, ResourceFactory
from webinars.tests.factories import AudienceFactory, SessionFactory, SpeakerFactory, TopicFactory, course_with_sessions

pytestmark = pytest.mark.django_db


def _add_data(office, other, n: int) -> None:
    topic, audience = TopicFactory(slug="inntekt"), AudienceFactory(slug="frilanser")
    for _ in range(n):
        session = SessionFactory(organisation=office, topics=[topic], audiences=[audience])
        session.cohosts.add(other)
        SpeakerFactory(session=session)
        course = course_with_sessions(2, organisation=office)
        course.topics.add(topic)
        ResourceFactory(organisation=office).topics.add(topic)
        RecordingFactory(organisation=office, session=PastSessionFactory(organisation=office))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api_get(client, url)
    assert response.status_code == 200
    return len(queries)


URLS = [
    "/api/v1/offerings?limit=100",
    "/api/v1/offerings?limit=100&topic=inntekt&office=office-a",
    "/api/v1/resources?limit=100",
    "/api/v1/resources?limit=100&topic=inntekt",
    "/api/v1/organisations",
    "/api/v1/topics",
]


def test_list_queries_do_not_grow_with_the_data(client, office_a, office_b, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # count every build
    _add_data(office_a, office_b, 2)
    small = {url: _queries(client, url) for url in URLS}
    _add_data(office_a, office_b, 6)
    large = {url: _queries(client, url) for url in URLS}
    assert large == small, (small, large)
    # offerings: the page (1), its sessions (2) with their topics, audiences, speakers and
    # co-hosts (3–6), the courses' topics and audiences (7–8); the filter form's offices,
    # topics and audiences are looked up by slug only when given.
    assert small["/api/v1/offerings?limit=100"] <= 8
