"""The organiser workspace for resources: own office only, drafts, review, publish."""

from library.models import Resource
from library.tests.factories import ResourceFactory


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get("/arbeidsrom/ressurser/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_participants_get_404(client, participant, office_a):
    resource = ResourceFactory(organisation=office_a)
    client.force_login(participant)
    assert client.get("/arbeidsrom/ressurser/").status_code == 404
    assert client.get(f"/arbeidsrom/ressurser/{resource.pk}/").status_code == 404
    assert client.post(f"/arbeidsrom/ressurser/{resource.pk}/avpubliser/").status_code == 404


def test_another_offices_organiser_gets_404(client, organiser_b, office_a):
    resource = ResourceFactory(organisation=office_a, title="Kontor A sin")
    client.force_login(organiser_b)
    assert "Kontor A sin" not in client.get("/arbeidsrom/ressurser/").content.decode()
    for suffix in ("", "samtykke/"):
        assert client.get(f"/arbeidsrom/ressurser/{resource.pk}/{suffix}").status_code == 404
    for action in ("publiser", "avpubliser", "gjennomgatt"):
        assert client.post(f"/arbeidsrom/ressurser/{resource.pk}/{action}/").status_code == 404
    resource.refresh_from_db()
    assert resource.status == Resource.Status.PUBLISHED and resource.reviewed_at is None


def test_an_organiser_creates_a_draft_guide_and_publishes_it(client, organiser_a, office_a):
    client.force_login(organiser_a)
    response = client.post(
        "/arbeidsrom/ressurser/ny/",
        {
            "kind": "guide",
            "organisation": office_a.pk,
            "title": "Slik søker du støtte",
            "summary": "Kort om søknader.",
            "body": "## Først\n\nLes retningslinjene.<script>alert(1)</script>",
            "language": "nb",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert (resource.slug, resource.status) == ("slik-soker-du-stotte", Resource.Status.DRAFT)
    # (the page also carries the "saved" message, so look for the list link)
    assert ">Slik søker du støtte</a>" not in client.get("/ressursbank/").content.decode()
    client.post(f"/arbeidsrom/ressurser/{resource.pk}/publiser/")
    client.logout()
    page = client.get("/ressursbank/slik-soker-du-stotte/").content.decode()
    assert "<h2>Først</h2>" in page
    assert "<script>alert(1)" not in page


def test_an_organiser_edits_reviews_and_unpublishes(client, organiser_a, office_a):
    resource = ResourceFactory(organisation=office_a, title="Gammel tittel")
    client.force_login(organiser_a)
    form = client.get(f"/arbeidsrom/ressurser/{resource.pk}/").content.decode()
    assert 'value="Gammel tittel"' in form
    client.post(
        f"/arbeidsrom/ressurser/{resource.pk}/",
        {
            "kind": "guide",
            "organisation": office_a.pk,
            "title": "Ny tittel",
            "slug": resource.slug,
            "body": "Oppdatert.",
            "language": "nb",
            "visibility": "public",
        },
    )
    client.post(f"/arbeidsrom/ressurser/{resource.pk}/gjennomgatt/")
    resource.refresh_from_db()
    assert resource.title == "Ny tittel" and resource.reviewed_at is not None
    listing = client.get("/arbeidsrom/ressurser/").content.decode()
    assert "Ny tittel" in listing and "Publisert" in listing
    client.post(f"/arbeidsrom/ressurser/{resource.pk}/avpubliser/")
    resource.refresh_from_db()
    assert resource.status == Resource.Status.DRAFT


def test_the_form_explains_missing_kind_specific_fields(client, organiser_a, office_a):
    client.force_login(organiser_a)
    for kind, message in [
        ("recording", "Et opptak trenger en videolenke."),
        ("link", "En lenke trenger en adresse."),
        ("document", "Last opp dokumentet."),
        ("guide", "En veileder trenger innhold."),
    ]:
        response = client.post(
            "/arbeidsrom/ressurser/ny/",
            {"kind": kind, "organisation": office_a.pk, "title": "X", "language": "nb", "visibility": "public"},
        )
        assert message in response.content.decode()
    response = client.post(
        "/arbeidsrom/ressurser/ny/",
        {
            "kind": "guide",
            "organisation": office_a.pk,
            "title": "X",
            "body": "y",
            "language": "nb",
            "visibility": "registrants",
        },
    )
    assert "Velg webinaret eller kurset" in response.content.decode()
    assert not Resource.objects.exists()


def test_the_slug_must_be_unique(client, organiser_a, office_a):
    ResourceFactory(organisation=office_a, slug="opptatt")
    client.force_login(organiser_a)
    response = client.post(
        "/arbeidsrom/ressurser/ny/",
        {
            "kind": "guide",
            "organisation": office_a.pk,
            "title": "Opptatt",
            "slug": "opptatt",
            "body": "y",
            "language": "nb",
            "visibility": "public",
        },
    )
    assert "Adressen er allerede i bruk." in response.content.decode()
