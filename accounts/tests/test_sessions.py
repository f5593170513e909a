"""A signed-in session ends when the account is deactivated or its password changes
(Django's and allauth's own backends, which the settings name)."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_standard_backends_are_configured():
    assert settings.AUTHENTICATION_BACKENDS == [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ]


def test_it_signs_in_with_email_and_password(participant):
    participant.set_password("et-passord-for-kari-2026")
    participant.save()
    client = Client()
    assert client.login(email=participant.email, password="et-passord-for-kari-2026")
    assert "Logg ut" in client.get("/").content.decode()


def test_a_deactivated_user_is_signed_out(participant):
    client = Client()
    client.force_login(participant)
    assert "Logg ut" in client.get("/").content.decode()
    participant.is_active = False
    participant.save(update_fields=["is_active"])
    response = client.get("/")
    assert not get_user(response.wsgi_request).is_authenticated
    assert "Logg ut" not in response.content.decode()


def test_a_password_change_signs_other_sessions_out(participant):
    client = Client()
    client.force_login(participant)
    assert get_user(client.get("/").wsgi_request).is_authenticated
    participant.set_password("et-nytt-passord-2026")
    participant.save()
    assert not get_user(client.get("/").wsgi_request).is_authenticated
