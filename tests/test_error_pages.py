"""Error pages are the site's own, in the visitor's language (never Django's English defaults)."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import bad_request, server_error


@pytest.mark.django_db
@pytest.mark.parametrize("language,heading", [("nb", "Siden finnes ikke"), ("en", "Page not found")])
def test_it_shows_a_translated_404_in_the_site_layout(client, language, heading):
    client.cookies["django_language"] = language
    response = client.get("/finnes/ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'lang="{language}"' in html and 'id="main"' in html
    assert heading in html


@pytest.mark.parametrize(
    "view,status,language,text",
    [
        (server_error, 500, "nb", "Noe gikk galt"),
        (server_error, 500, "en", "Something went wrong"),
        (bad_request, 400, "en", "Bad request"),
    ],
)
def test_the_standalone_error_pages_are_translated(view, status, language, text):
    request = RequestFactory().get("/")
    with translation.override(language):
        response = view(request) if view is server_error else view(request, exception=None)
    assert response.status_code == status
    html = response.content.decode()
    assert text in html and f'lang="{language}"' in html
