"""The shared cache of catalogue pages (webinars/page_cache.py): anonymous visitors get the
stored content, every change is visible on the next request, nothing personal is shared."""

import re
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import services as course_services
from webinars import services
from webinars.models import Status
from webinars.page_cache import VERSION_KEY, catalogue_cache_bump, catalogue_version
from webinars.tests.factories import CourseFactory, SessionFactory, SpeakerFactory, TopicFactory, course_session

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def in_days(days: int):
    return (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0)


def test_it_serves_a_repeated_anonymous_request_without_queries(client, office_a, django_assert_num_queries):
    session = SessionFactory(organisation=office_a, title="Strømming for viderekomne")
    for path in ["/webinarer/", "/webinarer/?kontor=office-a", f"/webinarer/{session.slug}/"]:
        first = html(client.get(path))
        with django_assert_num_queries(0):  # title and content come from the cache
            again = html(client.get(path))
        assert "Strømming for viderekomne" in first and "Strømming for viderekomne" in again


def test_it_keys_the_cache_by_sorted_query_string_and_language(client, office_a, django_assert_num_queries):
    SessionFactory(organisation=office_a, title="Royalties", language="en")
    html(client.get("/webinarer/?sprak=en&kontor=office-a"))
    with django_assert_num_queries(0):  # the same filters in another order are the same page
        html(client.get("/webinarer/?kontor=office-a&sprak=en"))
    client.cookies["django_language"] = "en"
    page = html(client.get("/webinarer/?kontor=office-a&sprak=en"))
    assert "upcoming webinar" in page and "kommende webinar" not in page
    # A different filter is a different page: rendered, and it finds nothing here.
    assert "Royalties" not in html(client.get("/webinarer/?kontor=office-a&sprak=nb"))


def test_it_shows_a_published_session_on_the_next_request(client, office_a):
    draft = SessionFactory(organisation=office_a, title="Nytt om strømming", status=Status.DRAFT)
    assert "Nytt om strømming" not in html(client.get("/webinarer/"))
    services.session_publish(session=draft)
    assert "Nytt om strømming" in html(client.get("/webinarer/"))
    assert "Nytt om strømming" in html(client.get(f"/webinarer/{draft.slug}/"))


def test_it_shows_a_new_time_on_the_next_request(client, office_a):
    starts_at = in_days(10).replace(hour=9, minute=0)  # 10:00 or 11:00 in Oslo
    session = SessionFactory(organisation=office_a, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1))
    page = html(client.get(f"/webinarer/{session.slug}/"))
    assert 'datetime="' + starts_at.isoformat().replace("+00:00", "Z") in page
    new_start = starts_at + timedelta(days=1, hours=3)
    services.session_reschedule(session=session, starts_at=new_start, ends_at=new_start + timedelta(hours=1))
    for path in [f"/webinarer/{session.slug}/", "/webinarer/"]:
        page = html(client.get(path))
        assert 'datetime="' + new_start.isoformat().replace("+00:00", "Z") in page
        assert 'datetime="' + starts_at.isoformat().replace("+00:00", "Z") not in page


def test_it_shows_a_cancellation_on_the_next_request(client, office_a):
    session = SessionFactory(organisation=office_a, title="Avlyses snart")
    assert "Avlyses snart" in html(client.get("/webinarer/"))
    assert "Dette webinaret er avlyst" not in html(client.get(f"/webinarer/{session.slug}/"))
    services.session_cancel(session=session)
    assert "Avlyses snart" not in html(client.get("/webinarer/"))
    assert "Dette webinaret er avlyst" in html(client.get(f"/webinarer/{session.slug}/"))


def test_it_shows_seats_left_after_a_registration_changes(client, office_a, participant):
    # Seats taken change by a queryset UPDATE on the offering, which sends no signal: the
    # registration services bump the cache themselves.
    from registrations.services import registration_cancel, registration_create

    session = SessionFactory(organisation=office_a, capacity=10)
    assert "10 ledige plasser" in html(client.get(f"/webinarer/{session.slug}/"))
    assert "10 ledige plasser" in html(client.get("/webinarer/"))
    registration = registration_create(
        offering=session.offering, user=participant, name="Kari", email=participant.email, language="nb", answers={}
    )
    assert registration.status == "confirmed"
    assert "9 ledige plasser" in html(client.get(f"/webinarer/{session.slug}/"))
    assert "9 ledige plasser" in html(client.get("/webinarer/"))
    registration_cancel(registration=registration)
    assert "10 ledige plasser" in html(client.get(f"/webinarer/{session.slug}/"))
    assert "10 ledige plasser" in html(client.get("/webinarer/"))


@pytest.mark.django_db(transaction=True)
def test_in_its_own_transaction_the_version_is_replaced_once_when_it_commits():
    before = catalogue_version()
    with transaction.atomic():
        catalogue_cache_bump()
        # Not before the commit: until then a visitor still reads the old rows.
        assert cache.get(VERSION_KEY) == before
    assert cache.get(VERSION_KEY) != before


def test_it_shows_speaker_topic_and_course_changes_on_the_next_request(client, office_a, committed):
    session = SessionFactory(organisation=office_a)
    path = f"/webinarer/{session.slug}/"
    html(client.get(path))
    with committed():
        SpeakerFactory(session=session, name="Ola Låtskriver")
    assert "Ola Låtskriver" in html(client.get(path))
    topic = TopicFactory(name="Konsertøkonomi")
    with committed():
        session.topics.add(topic)
    assert "Konsertøkonomi" in html(client.get(path))
    # Putting the session in a draft course takes it out of the catalogue.
    assert session.title in html(client.get("/webinarer/"))
    course = CourseFactory(organisation=office_a, status=Status.DRAFT)
    with committed():
        course_session(course=course, session=session)
    assert session.title not in html(client.get("/webinarer/"))


def test_it_shows_course_changes_on_the_next_request(client, office_a):
    course = CourseFactory(organisation=office_a, title="Kurs i låtskriving", status=Status.DRAFT)
    course_session(course=course, session__organisation=office_a, session__status=Status.DRAFT)
    assert "Kurs i låtskriving" not in html(client.get("/kurs/"))
    course_services.course_publish(course=course)
    assert "Kurs i låtskriving" in html(client.get("/kurs/"))
    assert "Dette kurset er avlyst" not in html(client.get(f"/kurs/{course.slug}/"))
    course_services.course_cancel(course=course)
    assert "Kurs i låtskriving" not in html(client.get("/kurs/"))
    assert "Dette kurset er avlyst" in html(client.get(f"/kurs/{course.slug}/"))


def test_it_replaces_the_version_again_when_the_transaction_commits(office_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        catalogue_cache_bump()
        during = cache.get(VERSION_KEY)
    assert len(callbacks) == 1
    callbacks[0]()
    # A visitor who read the old rows before the commit stored them under `during`.
    assert cache.get(VERSION_KEY) != during


def test_it_expires_a_cached_session_page_when_registration_opens(client, office_a):
    opens_at = timezone.now() + timedelta(seconds=1.5)
    session = SessionFactory(organisation=office_a, registration_opens_at=opens_at)
    assert "Påmeldingen åpner" in html(client.get(f"/webinarer/{session.slug}/"))
    time.sleep(max((opens_at - timezone.now()).total_seconds(), 0) + 0.1)
    page = html(client.get(f"/webinarer/{session.slug}/"))
    assert "Påmeldingen åpner" not in page and f"/webinarer/{session.slug}/pamelding/" in page


def test_it_gives_signed_in_visitors_a_fresh_page(client, office_a, participant):
    session = SessionFactory(organisation=office_a, title="Felles side")
    html(Client().get(f"/webinarer/{session.slug}/"))  # stored by an anonymous visitor
    client.force_login(participant)
    page = html(client.get(f"/webinarer/{session.slug}/"))
    assert "Felles side" in page and "Logg ut" in page
    # Rendered for them, not read from the cache: the session itself is queried.
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/webinarer/{session.slug}/")
    assert any('FROM "webinars_session"' in q["sql"] for q in queries.captured_queries)


def test_it_never_shares_a_csrf_token_or_unescaped_title(office_a):
    session = SessionFactory(organisation=office_a, title="Rock <script>alert(1)</script> & rull")
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = html(first.get(f"/webinarer/{session.slug}/"))
    page_two = html(second.get(f"/webinarer/{session.slug}/"))  # from the cache
    assert token.search(page_one).group(1) != token.search(page_two).group(1)
    for page in (page_one, page_two):
        assert "<script>alert(1)</script>" not in page
        assert "<title>Rock &lt;script&gt;alert(1)&lt;/script&gt; &amp; rull" in page
    # The cached page's language switcher still works for the second visitor.
    response = second.post(
        "/sprak/",
        {
            "language": "en",
            "next": f"/webinarer/{session.slug}/",
            "csrfmiddlewaretoken": token.search(page_two).group(1),
        },
    )
    assert response.status_code == 302
