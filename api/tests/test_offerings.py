"""/api/v1/offerings: webinars and courses with their sessions, as the catalogue shows them.
Every response is checked against the served OpenAPI description (api_json)."""

from datetime import UTC, timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from api.tests.served_schema import api_json
from webinars import services
from webinars.models import Status
from webinars.tests.factories import (
    AudienceFactory,
    SessionFactory,
    SpeakerFactory,
    TopicFactory,
    course_with_sessions,
)

pytestmark = pytest.mark.django_db


def _by_id(body) -> dict:
    return {item["id"]: item for item in body["items"]}


def test_it_lists_a_webinar_and_a_course_with_their_sessions_in_utc_with_the_zone(client, office_a):
    topic = TopicFactory(slug="stromming")
    start = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    webinar = SessionFactory(
        organisation=office_a,
        title="Strømming i praksis",
        starts_at=start,
        timezone="America/New_York",
        topics=[topic],
        capacity=10,
    )
    SpeakerFactory(session=webinar, name="Kari Nordmann")
    course = course_with_sessions(2, organisation=office_a, title="Kurs i utgivelse")

    body = api_json(client, "/api/v1/offerings")
    items = _by_id(body)
    assert body["next"] is None
    item = items[webinar.offering_id]
    assert item["kind"] == "webinar"
    assert item["title"] == "Strømming i praksis"
    assert item["url"] == f"{settings.SITE_URL}/webinarer/{webinar.slug}/"
    assert item["starts_at"] == start.astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert item["timezone"] == "America/New_York"
    assert item["topics"] == ["stromming"]
    assert item["state"] == "open" and item["capacity"] == 10 and item["seats_left"] == 10
    assert item["organisation"]["slug"] == "office-a"
    assert item["sessions"][0]["speakers"] == [{"name": "Kari Nordmann", "bio": "Artist og låtskriver."}]

    item = items[course.offering_id]
    assert item["kind"] == "course"
    assert item["title"] == "Kurs i utgivelse"
    assert item["url"] == f"{settings.SITE_URL}/kurs/{course.slug}/"
    assert item["timezone"] == "Europe/Oslo"
    assert [s["id"] for s in item["sessions"]] == list(
        course.offering.sessions.order_by("position").values_list("id", flat=True)
    )
    # Sorted by first start: the webinar (2 days ahead) before the course (a week ahead).
    assert [i["id"] for i in body["items"]] == [webinar.offering_id, course.offering_id]


def test_states_follow_the_site_full_cancelled_rescheduled_and_ended(client, office_a):
    full = SessionFactory(organisation=office_a, capacity=1)
    full.offering.seats_taken = 1
    full.offering.save()
    cancelled = services.session_cancel(session=SessionFactory(organisation=office_a))
    moved = SessionFactory(organisation=office_a)
    old_start = moved.starts_at
    services.session_reschedule(
        session=moved, starts_at=old_start + timedelta(days=1), ends_at=old_start + timedelta(days=1, hours=1)
    )
    past = SessionFactory(
        organisation=office_a,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=1),
    )

    items = _by_id(api_json(client, "/api/v1/offerings"))
    assert items[full.offering_id]["state"] == "full"
    assert items[full.offering_id]["seats_left"] == 0
    assert items[cancelled.offering_id]["state"] == "cancelled"
    assert items[cancelled.offering_id]["sessions"][0]["state"] == "cancelled"
    session = items[moved.offering_id]["sessions"][0]
    assert session["moved_from"] == old_start.astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert past.offering_id not in items  # without `from`, what is not over yet

    day = (timezone.localtime(past.starts_at) - timedelta(days=1)).date().isoformat()
    items = _by_id(api_json(client, f"/api/v1/offerings?from={day}"))
    assert items[past.offering_id]["state"] == "ended"


def test_the_catalogue_filters_apply(client, office_a, office_b):
    topic = TopicFactory(slug="inntekt")
    audience = AudienceFactory(slug="frilanser")
    a = SessionFactory(organisation=office_a, topics=[topic], language="en")
    b = SessionFactory(organisation=office_b, audiences=[audience])
    cohosted = SessionFactory(organisation=office_b)
    cohosted.cohosts.add(office_a)
    course = course_with_sessions(2, organisation=office_b)
    course.topics.add(topic)
    later = SessionFactory(organisation=office_b, starts_at=timezone.now() + timedelta(days=60))

    def ids(query: str) -> set[int]:
        return set(_by_id(api_json(client, f"/api/v1/offerings?{query}")))

    assert ids("office=office-a") == {a.offering_id, cohosted.offering_id}
    assert ids("topic=inntekt") == {a.offering_id, course.offering_id}
    assert ids("topic=inntekt&kind=course") == {course.offering_id}
    assert ids("kind=webinar") == {a.offering_id, b.offering_id, cohosted.offering_id, later.offering_id}
    assert ids("audience=frilanser") == {b.offering_id}
    assert ids("language=en") == {a.offering_id}
    in_a_month = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert ids(f"from={in_a_month}") == {later.offering_id}
    assert later.offering_id not in ids(f"to={in_a_month}")
    cohost = _by_id(api_json(client, "/api/v1/offerings?office=office-a"))[cohosted.offering_id]
    assert [o["slug"] for o in cohost["cohosts"]] == ["office-a"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("office=finnes-ikke", "office"),
        ("topic=finnes-ikke", "topic"),
        ("audience=%C3%B8", "audience"),
        ("language=xx", "language"),
        ("kind=concert", "kind"),
        ("from=2026-13-01", "from"),
        ("from=0001-01-01", "from"),
        ("to=9999-12-31", "to"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=" + "9" * 40, "limit"),
        ("cursor=bm90IGEgY3Vyc29y", "cursor"),
        ("cursor=" + "x" * 300, "cursor"),
        ("office=" + "a" * 300, "office"),
        ("office=%00", "office"),
        ("topic=inntekt%00", "topic"),
        ("language=%00", "language"),
    ],
)
def test_a_bad_filter_is_a_400_that_names_the_parameter(client, query, parameter):
    SessionFactory()
    body = api_json(client, f"/api/v1/offerings?{query}", status=400)
    assert body["detail"]
    assert list(body["errors"]) == [parameter]
    assert all(body["errors"][parameter])


def test_cursor_pages_walk_every_offering_once_in_order(client, office_a):
    start = timezone.now() + timedelta(days=5)
    # Two share a start: the id breaks the tie.
    sessions = [SessionFactory(organisation=office_a, starts_at=start + timedelta(hours=h)) for h in (0, 0, 1, 2, 3)]
    seen, url, pages = [], "/api/v1/offerings?limit=2&office=office-a", 0
    while url:
        body = api_json(client, url)
        assert len(body["items"]) <= 2
        seen += [item["id"] for item in body["items"]]
        url = body["next"]
        pages += 1
        if url:
            assert url.startswith(settings.SITE_URL + "/api/v1/offerings?")
            assert "office=office-a" in url and "limit=2" in url
            url = url.removeprefix(settings.SITE_URL)
            assert urlsplit(url).path == "/api/v1/offerings"
    assert pages == 3
    assert seen == [s.offering_id for s in sorted(sessions, key=lambda s: (s.starts_at, s.offering_id))]
    assert len(set(seen)) == 5


def test_a_detail_is_404_for_unknown_draft_and_out_of_range_ids(client, office_a):
    public = SessionFactory(organisation=office_a)
    draft = SessionFactory(organisation=office_a, status=Status.DRAFT)
    assert api_json(client, f"/api/v1/offerings/{public.offering_id}")["id"] == public.offering_id
    for offering_id in (draft.offering_id, 999999, 0, "9" * 40):
        body = api_json(client, f"/api/v1/offerings/{offering_id}", status=404)
        assert body["detail"]
