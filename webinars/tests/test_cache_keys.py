"""The catalogue cache keys on the encoded, sorted, validated parameters a page depends on,
and nothing else (issue 11, item 8): one URL's page is never served for another's."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import OrganisationFactory
from webinars.page_cache import fragment_key
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_an_encoded_ampersand_is_not_another_filter(client):
    oks = OrganisationFactory(slug="oks", short_name="ØKS", name="Østnorsk kulturkontor")
    SessionFactory(organisation=oks, title="Royalties in English", language="en")
    poisoned = html(client.get("/webinarer/?kontor=oks%26sprak%3Den"))
    assert "Velg et gyldig valg" in poisoned
    page = html(client.get("/webinarer/?kontor=oks&sprak=en"))
    assert "Velg et gyldig valg" not in page
    assert "Royalties in English" in page


def test_the_key_encodes_every_parameter():
    request = RequestFactory().get("/webinarer/")
    joined = fragment_key(request, "session_list", "v", QueryDict("kontor=oks%26sprak%3Den"))
    separate = fragment_key(request, "session_list", "v", QueryDict("kontor=oks&sprak=en"))
    assert joined != separate
    same = fragment_key(request, "session_list", "v", QueryDict("sprak=en&kontor=oks"))
    assert same == separate


def test_unknown_parameters_are_neither_keyed_nor_shown(client, office_a, django_assert_num_queries):
    SessionFactory(organisation=office_a, title="Strømming")
    tagged = html(client.get("/webinarer/?kontor=office-a&utm_source=nyhetsbrev-%3Cb%3E"))
    # The links the page builds from its query leave it out (the language switcher's return
    # address, outside the cached content, keeps the whole URL).
    assert 'href="/kurs/?kontor=office-a"' in tagged
    with django_assert_num_queries(0):  # the same page: served from the cache
        again = html(client.get("/webinarer/?kontor=office-a"))
    assert "Strømming" in again
    with django_assert_num_queries(0):  # another unknown parameter changes nothing either
        html(client.get("/webinarer/?kontor=office-a&fbclid=xyz&kontor=office-a"))


def test_a_malformed_query_is_rendered_for_its_request_only(client, office_a):
    SessionFactory(organisation=office_a, title="Strømming")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(2):
            assert "Oppgi en gyldig dato." in html(client.get("/webinarer/?fra=i-morgen"))
    # Not stored: the second request is built again, and nothing is kept for anyone else.
    assert len([q for q in queries if 'FROM "webinars_session"' in q["sql"]]) >= 2


def test_the_detail_page_ignores_its_query_string(client, office_a, django_assert_num_queries):
    session = SessionFactory(organisation=office_a)
    html(client.get(f"/webinarer/{session.slug}/"))
    with django_assert_num_queries(0):
        html(client.get(f"/webinarer/{session.slug}/?x=1&y=%00"))
