"""\"Min konto\" and the privacy notice (issue 15): a signed-in person sees, downloads, changes
and deletes their data; the notice is linked from the forms, the footer and the emails."""

import json
import re

import pytest
from django.core.cache import cache
from django.utils import translation

from accounts.models import User
from registrations.models import Registration
from registrations.tests.mailkit import calendar_parts, deliver, html_of, text_of
from registrations.tests.privacy_world import GUNNAR, KARI, dump, world_fill

PASSWORD = "et-langt-passord-for-test-1"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_a_participant_sees_and_downloads_their_data():
    world = world_fill()
    client = world.clients["kari"]
    page = client.get("/min-konto/").content.decode()
    for value in (KARI["email"], KARI["answer"], KARI["plan"], world.past.title, world.future.title):
        assert value in page
    assert GUNNAR["email"] not in page and GUNNAR["answer"] not in page
    assert 'href="/personvern/"' in page

    response = client.get("/min-konto/mine-opplysninger.json")
    assert response["Content-Disposition"] == 'attachment; filename="mine-opplysninger.json"'
    data = json.loads(response.content)
    assert data["profile"]["email"] == KARI["email"]
    answers = {a["answer"] for r in data["registrations"] for a in r["answers"]}
    assert answers == {KARI["answer"], KARI["plan"]}
    (past,) = [r for r in data["registrations"] if r["offering"] == world.past.title]
    assert past["attendance"][0]["first_joined_at"]
    assert {"Påminnelse", "Melding fra arrangør"} <= {e["kind"] for e in data["emails"]}

    readable = client.get("/min-konto/mine-opplysninger.html").content.decode()
    assert KARI["answer"] in readable and "Deltok i" in readable


@pytest.mark.django_db
def test_a_participant_changes_name_and_language(client, participant):
    client.force_login(participant)
    response = client.post("/min-konto/", {"display_name": "Kari Ny", "preferred_language": "en"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.display_name, participant.preferred_language) == ("Kari Ny", "en")
    assert 'href="/konto/email/"' in client.get("/min-konto/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_participant_deletes_their_account_with_their_password():
    world = world_fill()
    kari = User.objects.get(email=KARI["email"])
    kari.set_password(PASSWORD)
    kari.save()
    client = world.clients["kari"]
    client.force_login(kari)

    wrong = client.post("/min-konto/slett/", {"password": "feil"})
    assert "Passordet stemmer ikke" in wrong.content.decode()
    assert User.objects.filter(pk=kari.pk).exists()

    response = client.post("/min-konto/slett/", {"password": PASSWORD}, follow=True)
    assert "Kontoen din er slettet" in response.content.decode()
    (cancel,) = [m for m in deliver() if m["To"].addresses[0].addr_spec == KARI["email"]]
    alternative, _ = calendar_parts(cancel)
    assert "METHOD:CANCEL" in alternative.get_content()
    text = dump().lower()
    for value in (KARI["email"], KARI["name"], KARI["answer"], KARI["plan"]):
        assert value.lower() not in text
    assert Registration.objects.get(offering=world.future.offering, email=GUNNAR["email"]).status == "confirmed"
    assert client.get("/min-konto/").status_code == 302  # signed out


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_privacy_notice_is_there_in_both_languages(client, language):
    with translation.override(language):
        page = client.get("/personvern/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    heading = {"nb": "Personvernerklæring", "en": "Privacy notice"}[language]
    assert f"<h1>{heading}</h1>" in page
    assert "365" in page
    # The site's footer links to it from every page.
    assert 'href="/personvern/"' in client.get("/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_every_registration_email_links_to_the_notice_and_to_erasure():
    world = world_fill()
    registration = Registration.objects.get(offering=world.future.offering, email=GUNNAR["email"])
    from registrations.models import Notification

    Notification.objects.filter(registration=registration, kind="waitlisted").update(state="pending", sent_at=None)
    (email,) = deliver()
    for body in (text_of(email), html_of(email)):
        assert re.search(rf"http://[^\s\"]+/personvern/\?tilbud={world.future.offering_id}#tilbud", body)
        assert f"/pamelding/{registration.manage_token}/slett/" in body
    assert "/personvern/" in world.clients["gunnar"].get(f"/webinarer/{world.future.slug}/pamelding/").content.decode()
