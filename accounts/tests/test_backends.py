"""accounts.backends: the signed-in user read with a fixed statement behaves as Django's backend."""

import pytest
from django.contrib.auth import get_user
from django.test import Client

from accounts.backends import AuthenticationBackend, ModelBackend

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("backend", [ModelBackend(), AuthenticationBackend()])
def test_it_returns_the_same_user_as_the_orm(backend, participant):
    user = backend.get_user(str(participant.pk))
    assert user == participant
    assert (user.email, user.display_name, user.is_active) == (participant.email, "Kari Deltaker", True)
    assert user.get_session_auth_hash() == participant.get_session_auth_hash()


@pytest.mark.parametrize("user_id", ["999999", "abc", "", None])
def test_an_unknown_or_malformed_id_is_nobody(user_id):
    assert ModelBackend().get_user(user_id) is None


def test_a_deactivated_user_is_signed_out(participant):
    client = Client()
    client.force_login(participant)
    assert "Logg ut" in client.get("/").content.decode()
    participant.is_active = False
    participant.save(update_fields=["is_active"])
    request = client.get("/").wsgi_request
    assert not get_user(request).is_authenticated


def test_a_password_change_signs_other_sessions_out(participant):
    client = Client()
    client.force_login(participant)
    participant.set_password("et-nytt-passord-2026")
    participant.save()
    assert not get_user(client.get("/").wsgi_request).is_authenticated
