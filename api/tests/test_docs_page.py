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


def _described(spec) -> set[str]:
    texts = set()
    for methods in spec["paths"].values():
        for operation in methods.values():
            texts.add(operation.get("description", ""))
            for parameter in operation.get("parameters", []):
                texts.add(parameter.get("description") or parameter.get("schema", {}).get("description", ""))
    return texts - {""}


def test_the_docs_page_describes_the_endpoints_in_the_visitors_language(client):
    from django.utils import translation

    from api.views import DOCS_TEXTS

    spec = json.loads(client.get("/api/v1/openapi.json").content)
    described = _described(spec)
    # Every text of the (English) description has its Bokmål original, which translates back
    # to exactly that text: the English page and the description say the same.
    assert described <= set(DOCS_TEXTS)
    with translation.override("en"):
        assert {text: str(DOCS_TEXTS[text]) for text in described} == {text: text for text in described}

    bokmal = client.get("/api/v1/docs/").content.decode()
    assert "Bare webinarer eller bare kurs." in bokmal and "Elementer per side (1–100, standard 20)." in bokmal
    assert not [text for text in described if text.replace("'", "&#x27;") in bokmal]

    client.cookies["django_language"] = "en"
    english = client.get("/api/v1/docs/", headers={"accept-language": "en"}).content.decode()
    assert "Only webinars or only courses." in english and "Bare webinarer eller bare kurs." not in english
