"""Every API response the tests read is checked against the OpenAPI description the site
serves (/api/v1/openapi.json) with openapi-core: status, content type and body, by schema."""

from __future__ import annotations

import json

from django.test import Client
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

OPENAPI_URL = "/api/v1/openapi.json"
_served: dict[str, OpenAPI] = {}


def served_openapi() -> OpenAPI:
    if "spec" not in _served:
        response = Client().get(OPENAPI_URL)
        assert response.status_code == 200
        _served["spec"] = OpenAPI.from_dict(json.loads(response.content))
    return _served["spec"]


def api_get(client: Client, url: str, **headers):
    """GET `url` and check the response against the served description (raises if it does not
    conform: an undocumented status, a missing or mistyped field, an extra enum value)."""
    response = client.get(url, headers=headers)
    served_openapi().validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
    return response


def api_json(client: Client, url: str, status: int = 200, **headers) -> dict:
    response = api_get(client, url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    return json.loads(response.content)
