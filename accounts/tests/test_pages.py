import pytest

from accounts.models import Organisation


@pytest.fixture
def offices(db):
    brak = Organisation.objects.create(
        name="Brak – Bergen", short_name="Brak", slug="brak", region="Vestland", description="Vestlandets kontor."
    )
    Organisation.objects.create(
        name="Musikernes fellesorganisasjon",
        short_name="MFO",
        slug="mfo",
        kind=Organisation.Kind.PARTNER,
        helps_with="Arbeidsrett og kontrakter",
        website="https://mfo.example.no",
    )
    return brak


def test_it_renders_the_home_page_in_bokmal(client, db):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nb" class="no-js">' in html
    assert "Hopp til hovedinnholdet" in html
    assert "Webinarer" in html and "Ressursbank" in html and "Organisasjoner" in html


def test_it_renders_the_home_page_in_english(client, db):
    client.cookies["django_language"] = "en"
    response = client.get("/")
    html = response.content.decode()
    assert '<html lang="en" class="no-js">' in html
    assert "Skip to main content" in html
    assert "Webinars" in html and "Resource bank" in html


def test_it_falls_back_to_bokmal_for_an_unknown_language(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert '<html lang="nb" class="no-js">' in response.content.decode()


def test_it_lists_offices_and_partners(client, offices):
    response = client.get("/organisasjoner/")
    html = response.content.decode()
    assert "Brak – Bergen" in html
    assert "Musikernes fellesorganisasjon" in html
    assert "Arbeidsrett og kontrakter" in html


def test_it_lists_organisations_in_english(client, offices):
    client.cookies["django_language"] = "en"
    html = client.get("/organisasjoner/").content.decode()
    assert "Regional music offices" in html and "Partner organisations" in html


def test_it_shows_an_organisation_page(client, offices):
    response = client.get("/organisasjoner/brak/")
    assert response.status_code == 200
    assert "Vestlandets kontor." in response.content.decode()


def test_it_404s_an_unknown_organisation(client, db):
    assert client.get("/organisasjoner/finnes-ikke/").status_code == 404


def test_switching_language_sets_the_cookie_and_remembers_it_on_the_profile(client, participant):
    client.force_login(participant)
    response = client.post("/sprak/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    participant.refresh_from_db()
    assert participant.preferred_language == "en"
    assert '<html lang="en" class="no-js">' in client.get("/").content.decode()


def test_logging_in_brings_the_profiles_language_when_the_browser_has_none(client, db):
    from accounts.tests.factories import TEST_PASSWORD, UserFactory

    UserFactory(email="english@example.com", preferred_language="en")
    response = client.post("/konto/login/", {"login": "english@example.com", "password": TEST_PASSWORD})
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en" class="no-js">' in client.get("/").content.decode()
