"""HTTP behaviour of /api/: validators and 304s that follow the catalogue's data, CORS for
reading from any site (and nowhere else), HEAD."""

import json
import time

import pytest
from django.utils.http import http_date

from api.tests.served_schema import api_get
from registrations.tests.factories import RegistrationFactory
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

URLS = ["/api/v1/offerings", "/api/v1/resources", "/api/v1/organisations", "/api/v1/topics", "/api/v1/audiences"]


def test_an_unchanged_response_is_a_304_by_etag_or_by_date(client):
    SessionFactory()
    for url in URLS:
        first = api_get(client, url)
        assert first.status_code == 200
        etag, modified = first["ETag"], first["Last-Modified"]
        assert etag.startswith('"') and modified
        assert "public" in first["Cache-Control"]
        again = api_get(client, url, if_none_match=etag)
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == etag
        assert api_get(client, url, if_modified_since=modified).status_code == 304
        assert api_get(client, url, if_none_match='"something-else"').status_code == 200


def test_the_validators_change_when_the_data_changes(client, committed):
    session = SessionFactory(title="Før endringen")
    first = api_get(client, "/api/v1/offerings")
    etag, modified = first["ETag"], first["Last-Modified"]
    # A cached body is served until the catalogue's version changes.
    assert api_get(client, "/api/v1/offerings")["ETag"] == etag
    time.sleep(1.1)  # HTTP dates count whole seconds
    with committed():
        _rename(session, "Etter endringen")
    changed = api_get(client, "/api/v1/offerings", if_none_match=etag)
    assert changed.status_code == 200
    assert json.loads(changed.content)["items"][0]["title"] == "Etter endringen"
    assert changed["ETag"] != etag
    assert api_get(client, "/api/v1/offerings", if_modified_since=modified).status_code == 200


def _rename(session, title):
    session.title = title
    session.save()  # the catalogue's receivers replace its version (webinars/apps.py)


def test_seats_taken_through_a_queryset_update_change_the_validators(client, committed):
    session = SessionFactory(capacity=5)
    etag = api_get(client, f"/api/v1/offerings/{session.offering_id}")["ETag"]

    with committed():
        RegistrationFactory(session=session)  # takes a seat with an UPDATE and bumps, as the services do
    response = api_get(client, f"/api/v1/offerings/{session.offering_id}", if_none_match=etag)
    assert response.status_code == 200
    assert json.loads(response.content)["seats_left"] == 4


def test_cors_lets_any_site_read_the_api_without_credentials(client):
    response = api_get(client, "/api/v1/offerings", origin="https://www.brak.no")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/offerings",
        headers={
            "origin": "https://www.brak.no",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight
    # Errors are readable cross-site too.
    assert api_get(client, "/api/v1/offerings?kind=x", origin="https://x.no")["Access-Control-Allow-Origin"] == "*"


def test_no_cors_headers_outside_the_api(client):
    for url in ["/", "/webinarer/", "/api-not-really/"]:
        response = client.get(url, headers={"origin": "https://www.brak.no"})
        assert "Access-Control-Allow-Origin" not in response, url
    assert "Access-Control-Allow-Origin" not in client.options("/webinarer/", headers={"origin": "https://x.no"})


def test_writes_are_refused_and_head_answers_like_get(client):
    SessionFactory()
    for method in (client.post, client.put, client.delete, client.patch):
        assert method("/api/v1/offerings").status_code == 405
    head = client.head("/api/v1/offerings")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == client.get("/api/v1/offerings")["ETag"]


def test_an_old_if_modified_since_is_a_200(client):
    SessionFactory()
    assert api_get(client, "/api/v1/offerings", if_modified_since=http_date(0)).status_code == 200


def test_made_up_parameters_change_nothing(client):
    SessionFactory()
    SessionFactory()
    plain = api_get(client, "/api/v1/offerings?limit=1")
    made_up = api_get(client, "/api/v1/offerings?limit=1&utm_source=nyhetsbrev&x=1")
    assert made_up.content == plain.content
    assert "utm_source" not in json.loads(made_up.content)["next"]
