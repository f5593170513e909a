"""The served OpenAPI description is itself valid, and the checker catches a wrong body."""

import json

import pytest
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_spec_validator import validate

from api.tests.served_schema import OPENAPI_URL, served_openapi
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_the_description_is_served_at_its_stable_address_and_is_valid_openapi_3(client):
    response = client.get(OPENAPI_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    spec = json.loads(response.content)
    validate(spec)  # raises on an invalid description
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {
        "/api/v1/offerings",
        "/api/v1/offerings/{offering_id}",
        "/api/v1/resources",
        "/api/v1/resources/{resource_id}",
        "/api/v1/organisations",
        "/api/v1/organisations/{slug}",
        "/api/v1/topics",
        "/api/v1/audiences",
    }
    # Read-only: nothing but GET is described.
    assert {method for methods in spec["paths"].values() for method in methods} == {"get"}


def test_the_checker_refuses_a_body_that_does_not_match_the_description(client):
    SessionFactory()
    response = client.get("/api/v1/offerings")
    body = json.loads(response.content)
    body["items"][0]["state"] = "sold out"  # not in the described enum
    response.content = json.dumps(body).encode()
    with pytest.raises(Exception, match="(?i)invalid|validation"):
        served_openapi().validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
