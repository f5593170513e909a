"""The admin signs in through the site's login (issue 11, item 12): the same rate limit on
failed passwords, and the second factor (allauth.mfa, an authenticator app) for staff who
turned it on."""

import re
import time

import pytest
from allauth.account import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache

from accounts.mfa import MFAAdapter
from accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(email="drift@example.no", is_staff=True, is_superuser=True)


@pytest.fixture
def site_rate_limits(settings):
    # The test settings turn allauth's rate limits off (DISABLE_RATE_LIMITS); these tests need
    # them as a deployment has them: allauth's defaults.
    del settings.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield
    cache.clear()


def test_disable_rate_limits_turns_them_off_and_a_deployment_has_them(settings):
    assert app_settings.RATE_LIMITS == {}  # DISABLE_RATE_LIMITS=true in the test settings
    del settings.ACCOUNT_RATE_LIMITS
    assert app_settings.RATE_LIMITS["login_failed"] == "10/m/ip,5/300s/key"


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_admin_login_is_the_sites_login(client, staff):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=")
    # Its own form takes no password.
    response = client.post("/admin/login/", {"username": staff.email, "password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")
    assert not _signed_in(client)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_fifteen_wrong_passwords_then_the_right_one_do_not_get_in(client, staff, site_rate_limits):
    login_url = client.get("/admin/login/?next=/admin/")["Location"]
    for _ in range(15):
        client.post(login_url, {"login": staff.email, "password": "feil-passord"})
    response = client.post(login_url, {"login": staff.email, "password": TEST_PASSWORD})
    assert not _signed_in(client)
    assert response.status_code in (200, 429)
    assert client.get("/admin/").status_code == 302


def test_the_right_password_first_time_gets_in(client, staff, site_rate_limits):
    login_url = client.get("/admin/login/?next=/admin/")["Location"]
    response = client.post(login_url, {"login": staff.email, "password": TEST_PASSWORD}, follow=True)
    assert _signed_in(client)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert client.get("/admin/").status_code == 200


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_staff_turn_on_an_authenticator_app_and_the_admin_then_asks_for_it(client, staff):
    client.post("/konto/login/", {"login": staff.email, "password": TEST_PASSWORD})
    page = client.get("/").content.decode()
    assert 'href="/konto/2fa/"' in page  # the header links to it
    # Turning it on asks for the password again, then shows the QR code and the secret.
    response = client.get("/konto/2fa/totp/activate/", follow=True)
    client.post(response.redirect_chain[-1][0], {"password": TEST_PASSWORD})
    page = client.get("/konto/2fa/totp/activate/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7=]+)"', page).group(1)
    response = client.post("/konto/2fa/totp/activate/", {"code": _code(secret)})
    assert response.status_code == 302
    authenticator = Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP)
    # Stored encrypted (accounts/mfa.py), and the admin shows neither it nor a way to change it.
    assert secret not in str(authenticator.data)
    page = client.get(f"/admin/mfa/authenticator/{authenticator.pk}/change/").content.decode()
    assert secret not in page and authenticator.data["secret"] not in page
    assert client.post(f"/admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/mfa/authenticator/add/").status_code == 403

    client.post("/konto/logout/")
    login_url = client.get("/admin/login/?next=/admin/")["Location"]
    response = client.post(login_url, {"login": staff.email, "password": TEST_PASSWORD})
    assert response["Location"].startswith("/konto/2fa/authenticate/")
    assert not _signed_in(client)  # the password alone is not enough
    client.post("/konto/2fa/authenticate/", {"code": "000000" if _code(secret) != "000000" else "111111"})
    assert not _signed_in(client)
    response = client.post("/konto/2fa/authenticate/", {"code": _code(secret)}, follow=True)
    assert _signed_in(client)
    assert response.redirect_chain[-1][0] == "/admin/"


def test_a_second_factor_stays_readable_while_the_secret_key_is_rotated(settings):
    stored = MFAAdapter().encrypt("JBSWY3DPEHPK3PXP")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert MFAAdapter().decrypt(stored) == "JBSWY3DPEHPK3PXP"
