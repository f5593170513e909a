"""The guest's "check your email" page reveals nothing about which addresses are registered
(issue 11, item 2): it echoes the address as typed, and is the same page for a known and an
unknown address."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from registrations import services
from webinars.tests.factories import SessionFactory

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # the guest rate limit counts in the cache
    yield
    cache.clear()


def _register_as_guest(client, session, email: str) -> str:
    response = client.post(
        f"/webinarer/{session.slug}/pamelding/",
        {"name": "Ola Nordmann", "email": email, "consent": "on"},
        follow=True,
    )
    assert response.redirect_chain == [("/pamelding/sjekk-e-post/", 302)]
    return CSRF.sub("", response.content.decode())


@pytest.mark.django_db
def test_it_echoes_the_address_as_typed_not_the_stored_one(client):
    session = SessionFactory()
    services.registration_create(
        offering=session.offering, name="Kari", email="deltaker@example.no", language="nb", answers={}
    )
    page = _register_as_guest(client, session, "DELTAKER@EXAMPLE.NO")
    assert "DELTAKER@EXAMPLE.NO" in page
    assert "deltaker@example.no" not in page


@pytest.mark.django_db
def test_it_shows_the_same_page_for_a_known_and_an_unknown_address():
    session = SessionFactory()
    services.registration_create(
        offering=session.offering, name="Kari", email="kjent@example.no", language="nb", answers={}
    )
    known = _register_as_guest(Client(), session, "KJENT@example.no")
    unknown = _register_as_guest(Client(), session, "UKJENT@example.no")
    assert known.replace("KJENT@example.no", "<address>") == unknown.replace("UKJENT@example.no", "<address>")
