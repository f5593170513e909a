"""Pages with join or manage links or personal data are never stored by a browser or proxy
(issue 11, item 14): `Cache-Control: no-store`, for signed-in visitors and for pages reached by
a secret link alike. Public catalogue pages stay cacheable."""

import pytest
from django.core.cache import cache

from accounts.tests.factories import UserFactory
from registrations.feeds import calendar_token_regenerate_for
from registrations.tests.factories import JoinLinkFactory, RegistrationFactory
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def registered(participant, office_a):
    session = SessionFactory(organisation=office_a)
    registration = RegistrationFactory(session=session, user=participant, email=participant.email)
    link = JoinLinkFactory(registration=registration, session=session)
    return session, registration, link


def test_a_participants_pages_are_not_stored(client, participant, registered):
    session, _registration, _link = registered
    client.force_login(participant)
    for url in [
        "/mine-pameldinger/",
        "/mine-pameldinger/kalender/",
        f"/webinarer/{session.slug}/pamelding/",  # shows the registration and its join link
        "/konto/email/",
        "/konto/2fa/",
        "/konto/password/change/",
        "/",  # any page a signed-in person sees
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url


def test_pages_reached_by_a_secret_link_are_not_stored(client, participant, registered):
    _session, registration, link = registered
    token = calendar_token_regenerate_for(participant)
    cache.clear()
    client.post(
        f"/webinarer/{SessionFactory().slug}/pamelding/",
        {"name": "Ola", "email": "ola@example.no", "consent": "on"},
    )
    for url in [
        f"/pamelding/{registration.manage_token}/",
        f"/pamelding/avmeld/{registration.manage_token}/",
        f"/paminnelser/avslutt/{registration.manage_token}/",
        f"/join/{link.token}/",
        f"/kalender/{token}.ics",
        "/pamelding/sjekk-e-post/",  # echoes the address typed
    ]:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert _no_store(response), url


def test_an_organisers_pages_are_not_stored(client, organiser_a, registered):
    session, _registration, _link = registered
    client.force_login(organiser_a)
    for url in [
        "/arbeidsrom/",
        f"/arbeidsrom/webinarer/{session.pk}/pameldinger/",
        f"/arbeidsrom/webinarer/{session.pk}/pameldinger.csv",
        f"/arbeidsrom/webinarer/{session.pk}/meldinger/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url


def test_staff_pages_are_not_stored(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert _no_store(client.get("/admin/registrations/registration/"))


def test_public_pages_and_feeds_keep_their_caching(client, registered):
    session, _registration, _link = registered
    assert not _no_store(client.get("/webinarer/"))
    assert not _no_store(client.get(f"/webinarer/{session.slug}/"))
    assert client.get("/webinarer/kalender.ics")["Cache-Control"] == "public, max-age=900"
