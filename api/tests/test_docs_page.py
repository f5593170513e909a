"""The human page about the API: every described endpoint, the description's address, and
the footer link to it; served under the site's strict Content-Security-Policy."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_the_docs_page_lists_every_endpoint_and_links_the_description(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    spec = json.loads(client.get("/api/v1/openapi.json").content)
    for path in spec["paths"]:
        assert f"GET {path}" in html
    assert 'href="/api/v1/openapi.json"' in html
    assert "cursor" in html and "limit" in html
    assert "<script>" not in html and "style=" not in html
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]


def test_the_docs_page_speaks_english_and_the_footer_links_it(client):
    client.cookies["django_language"] = "en"
    html = client.get("/api/v1/docs/", headers={"accept-language": "en"}).content.decode()
    assert "Public API" in html and "Endpoints" in html
    home = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert 'href="/api/v1/docs/"' in home
