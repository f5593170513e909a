"""Bad input the crawler (tests/test_crawler.py) found giving a 500 on PostgreSQL, as plain
regression tests that run on both databases."""

import pytest
from django.core.cache import cache

from accounts.models import User
from registrations.models import Notification

pytestmark = pytest.mark.django_db

LONG_EMAIL = "x" * 300 + "@example.no"  # Django's EmailField takes up to 320 characters


@pytest.mark.parametrize(
    "path",
    ["/join/%00/", "/pamelding/%00/", "/pamelding/avmeld/%00/", "/pamelding/bekreft/%00/", "/kalender/%00.ics"]
    + ["/paminnelser/avslutt/%00/", "/join/%C3%B8/", "/join/a%0Db/"],
)
def test_a_token_with_a_byte_postgresql_refuses_is_no_page(client, path):
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


def test_a_password_reset_for_an_address_longer_than_any_account_is_a_form_error(client):
    cache.clear()
    response = client.post("/konto/password/reset/", {"email": LONG_EMAIL})
    assert response.status_code == 200
    assert "E-postadressen kan ha høyst 254 tegn." in response.content.decode()
    assert not Notification.objects.exists()


def test_signing_up_with_an_address_longer_than_a_column_holds_is_a_form_error(client):
    response = client.post(
        "/konto/signup/", {"email": LONG_EMAIL, "password1": "korrekt-hest-42", "password2": "korrekt-hest-42"}
    )
    assert response.status_code == 200
    assert not User.objects.exists()
