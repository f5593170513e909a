"""Sign-up, email verification, log in, log out and password reset through allauth,
with every email delivered through the outbox and read as a parsed message."""

import re
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from django.core import mail

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from registrations.delivery import outbox_sweep
from registrations.models import Notification


def _deliver_and_parse():
    """Run the outbox sweeper and return the delivered emails as parsed MIME messages."""
    outbox_sweep()
    return [message_from_bytes(m.message().as_bytes(), policy=default_policy) for m in mail.outbox]


def _link(message, pattern):
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(pattern, body)
    assert match, body
    return match.group(0)


@pytest.mark.django_db
def test_it_signs_up_verifies_and_logs_in(client):
    response = client.post(
        "/konto/signup/",
        {
            "email": "Ny.Musiker@Example.no",
            "display_name": "Ny Musiker",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email__iexact="ny.musiker@example.no")
    assert user.display_name == "Ny Musiker"
    # The verification email is an outbox row until the sweeper delivers it.
    assert Notification.objects.filter(kind="account", to_email__iexact="ny.musiker@example.no").count() == 1
    assert mail.outbox == []

    [message] = _deliver_and_parse()
    assert message["To"].lower() == "ny.musiker@example.no"
    assert "Message-ID" in message
    # The site is named (never "Hei fra !"), from the platform, in text and in the layout's HTML.
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Musikkhjemmekontoret" in message["From"]
    assert message["Subject"].startswith("Musikkhjemmekontoret: ")
    assert "Musikkhjemmekontoret" in text and " !" not in text and " på ." not in text
    assert "127.0.0.1:8000" in text or "testserver" in text
    assert 'name="viewport"' in html and "Sendt fra Musikkhjemmekontoret." in html
    assert "/konto/confirm-email/" in html
    confirm_url = _link(message, r"http://[^\s]+/konto/confirm-email/[^\s]+/")
    path = re.sub(r"^https?://[^/]+", "", confirm_url)

    # A mail scanner's GET must not confirm; the POST does.
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified

    client.post("/konto/logout/")
    response = client.post("/konto/login/", {"login": "ny.musiker@example.no", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert "Logg ut" in client.get("/").content.decode()

    client.post("/konto/logout/")
    assert "Logg inn" in client.get("/").content.decode()


@pytest.mark.django_db
def test_it_refuses_invalid_signup_data_and_creates_nothing(client):
    response = client.post("/konto/signup/", {"email": "ikke-en-epost", "password1": "a", "password2": "b"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "is-invalid" in html or "invalid-feedback" in html
    assert User.objects.count() == 0
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_an_unverified_user_cannot_log_in(client):
    client.post(
        "/konto/signup/", {"email": "uverifisert@example.no", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD}
    )
    client.post("/konto/logout/")
    response = client.post("/konto/login/", {"login": "uverifisert@example.no", "password": TEST_PASSWORD})
    # allauth sends the person to "verify your email" instead of logging them in.
    assert response.status_code == 302
    assert "/konto/confirm-email/" in response["Location"]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_resets_a_forgotten_password(client):
    UserFactory(email="glemsk@example.no")
    response = client.post("/konto/password/reset/", {"email": "glemsk@example.no"})
    assert response.status_code == 302
    [message] = _deliver_and_parse()
    reset_url = _link(message, r"http://[^\s]+/konto/password/reset/key/[^\s]+/")
    path = re.sub(r"^https?://[^/]+", "", reset_url)
    response = client.get(path, follow=True)
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(form_path, {"password1": "nytt-sterkt-passord-77", "password2": "nytt-sterkt-passord-77"})
    assert response.status_code == 302
    client.logout()
    response = client.post("/konto/login/", {"login": "glemsk@example.no", "password": "nytt-sterkt-passord-77"})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_the_account_pages_render_in_both_languages(client):
    html = client.get("/konto/login/").content.decode()
    assert "Logg inn" in html and 'lang="nb"' in html
    assert "form-control" in html  # crispy-bootstrap5 look
    client.cookies["django_language"] = "en"
    html = client.get("/konto/signup/").content.decode()
    assert "Sign Up" in html and 'lang="en"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language,expected", [("nb", 'lang="nb"'), ("en", 'lang="en"')])
@pytest.mark.parametrize(
    "path,signed_in",
    [
        ("/konto/login/", False),
        ("/konto/signup/", False),
        ("/konto/password/reset/", False),
        ("/konto/password/reset/done/", False),
        ("/konto/confirm-email/", False),
        ("/konto/email/", True),
        ("/konto/password/change/", True),
        ("/konto/logout/", True),
    ],
)
def test_every_account_page_uses_the_site_layout(client, path, signed_in, language, expected):
    if signed_in:
        client.force_login(UserFactory())
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    assert 'id="main"' in html and "bootstrap.min.css" in html


def _links(message) -> list[str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return re.findall(r"https?://[^\s\"'<>]+", text) + re.findall(r'href="(https?://[^"]+)"', html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, data",
    [
        ("/konto/signup/", {"email": "ny@example.no", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD}),
        ("/konto/password/reset/", {"email": "kjent@example.no"}),
        ("/konto/password/reset/", {"email": "ukjent@example.no"}),
    ],
    ids=["verification", "password-reset", "unknown-account"],
)
def test_it_builds_account_email_links_from_site_url_not_the_host_header(client, settings, path, data):
    # A Host header naming another site (a proxy passing it through, ALLOWED_HOSTS too wide):
    # every link in the email still points at SITE_URL.
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://musikkhjemmekontoret.example"
    UserFactory(email="kjent@example.no")
    response = client.post(path, data, HTTP_HOST="evil.example")
    assert response.status_code == 302
    [message] = _deliver_and_parse()
    links = [link for link in _links(message) if "/konto/" in link]
    assert links, message.get_body(preferencelist=("plain",)).get_content()
    for link in links:
        assert link.startswith("https://musikkhjemmekontoret.example/konto/"), link
    assert "evil.example" not in message.as_string()
