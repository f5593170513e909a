"""The optional role and county (issue 16): asked on the registration form (county only where
the office asks), filled in from the profile under "Min konto", stored on the registration."""

import pytest

from accounts.tests.factories import UserFactory
from registrations.models import County, ParticipantProfile, Registration
from webinars.tests.factories import AudienceFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_it_stores_the_role_a_signed_in_person_picks(client):
    musician = AudienceFactory(name="Musiker")
    session = SessionFactory()
    user = UserFactory()
    client.force_login(user)
    page = client.get(f"/webinarer/{session.slug}/pamelding/").content.decode()
    assert "Hva beskriver deg best? (frivillig)" in page
    assert 'name="county"' not in page  # the office does not ask
    response = client.post(f"/webinarer/{session.slug}/pamelding/", {"audience": str(musician.pk)})
    assert response.status_code == 302
    registration = Registration.objects.get(user=user)
    assert registration.audience == musician and registration.county == ""


def test_the_role_is_never_required_and_a_bad_value_is_refused(client):
    AudienceFactory()
    session = SessionFactory()
    client.force_login(UserFactory())
    response = client.post(f"/webinarer/{session.slug}/pamelding/", {"audience": "999999"})
    assert response.status_code == 200
    assert not Registration.objects.exists()
    assert client.post(f"/webinarer/{session.slug}/pamelding/", {}).status_code == 302
    assert Registration.objects.get().audience is None


def test_a_guest_gives_the_county_when_the_office_asks(client):
    session = SessionFactory()
    session.offering.organisation.asks_county = True
    session.offering.organisation.save()
    page = client.get(f"/webinarer/{session.slug}/pamelding/").content.decode()
    assert "Hvilket fylke bor du i? (frivillig)" in page
    response = client.post(
        f"/webinarer/{session.slug}/pamelding/",
        {"name": "Kari", "email": "kari@example.no", "consent": "on", "county": County.FINNMARK},
    )
    assert response.status_code == 302
    assert Registration.objects.get().county == "56"
    bad = client.post(
        f"/webinarer/{session.slug}/pamelding/",
        {"name": "Ola", "email": "ola@example.no", "consent": "on", "county": "99"},
    )
    assert bad.status_code == 200 and Registration.objects.count() == 1


def test_the_profile_fills_in_the_form(client):
    freelancer = AudienceFactory(name="Frilanser", name_en="Freelancer")
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/min-konto/",
        {"display_name": "Kari", "preferred_language": "nb", "audience": str(freelancer.pk), "county": "50"},
    )
    assert response.status_code == 302
    profile = ParticipantProfile.objects.get(user=user)
    assert profile.audience == freelancer and profile.county == "50"
    account = client.get("/min-konto/").content.decode()
    assert "Frilanser" in account and "Trøndelag" in account
    session = SessionFactory()
    session.offering.organisation.asks_county = True
    session.offering.organisation.save()
    page = client.get(f"/webinarer/{session.slug}/pamelding/").content.decode()
    assert f'<option value="{freelancer.pk}" selected>' in page
    assert '<option value="50" selected>' in page
    # Clearing the profile is allowed: both are optional.
    client.post("/min-konto/", {"display_name": "Kari", "preferred_language": "nb", "audience": "", "county": ""})
    profile.refresh_from_db()
    assert profile.audience is None and profile.county == ""


def test_the_role_is_shown_in_english(client):
    AudienceFactory(name="Frilanser", name_en="Freelancer")
    session = SessionFactory()
    client.cookies["django_language"] = "en"
    page = client.get(f"/webinarer/{session.slug}/pamelding/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Freelancer" in page and "What describes you best? (optional)" in page
