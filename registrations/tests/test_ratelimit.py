"""The guest rate limit counts the client behind the reverse proxy, not the proxy."""

import pytest
from django.core.cache import cache

from registrations.models import Registration
from webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def register(client, session, email, **headers):
    data = {"name": "Ola Nordmann", "email": email, "consent": "on"}
    return client.post(f"/webinarer/{session.slug}/pamelding/", data, REMOTE_ADDR=PROXY, **headers).status_code


@pytest.fixture
def session(settings):
    # The counts live in the cache, which outlives each test's rolled-back rows.
    cache.clear()
    settings.GUEST_RATE_LIMIT_PER_IP = 2
    return SessionFactory(capacity=50)


def test_it_counts_remote_addr_when_no_proxy_is_trusted(client, session, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert register(client, session, "a@example.no", HTTP_X_FORWARDED_FOR="198.51.100.1") == 302
    assert register(client, session, "b@example.no", HTTP_X_FORWARDED_FOR="198.51.100.2") == 302
    # A client's own header changes nothing: both came from the same address.
    assert register(client, session, "c@example.no", HTTP_X_FORWARDED_FOR="198.51.100.3") == 429
    assert Registration.objects.count() == 2


def test_behind_one_proxy_each_client_is_counted_on_its_own(client, session, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(2):
        assert register(client, session, f"a{n}@example.no", HTTP_X_FORWARDED_FOR="198.51.100.1") == 302
    assert register(client, session, "a9@example.no", HTTP_X_FORWARDED_FOR="198.51.100.1") == 429
    # Another visitor through the same proxy still gets in.
    assert register(client, session, "b@example.no", HTTP_X_FORWARDED_FOR="198.51.100.2") == 302
    assert Registration.objects.count() == 3


def test_a_spoofed_left_most_entry_does_not_escape_the_limit(client, session, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client writes a fresh made-up address each time; the proxy appends the real one.
    for n in range(3):
        forwarded = f"203.0.113.{n}, 198.51.100.1"
        expected = 302 if n < 2 else 429
        assert register(client, session, f"a{n}@example.no", HTTP_X_FORWARDED_FOR=forwarded) == expected
    assert Registration.objects.count() == 2


def test_two_proxies_count_the_entry_two_from_the_right(client, session, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    for n in range(3):
        forwarded = f"203.0.113.{n}, 198.51.100.1, 10.0.0.1"
        expected = 302 if n < 2 else 429
        assert register(client, session, f"a{n}@example.no", HTTP_X_FORWARDED_FOR=forwarded) == expected


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "198.51.100.1:5000", ", ,", None])
def test_a_missing_or_malformed_header_falls_back_to_remote_addr(client, session, settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    assert register(client, session, "a@example.no", **headers) == 302
    assert register(client, session, "b@example.no", **headers) == 302
    # Counted under the proxy's address, which a well-formed header from elsewhere does not share.
    assert register(client, session, "c@example.no", **headers) == 429
    assert register(client, session, "d@example.no", HTTP_X_FORWARDED_FOR="198.51.100.7") == 302
