"""Following offices and topics: signed in from an office's page and Min konto, as a guest with
double opt-in through a real SMTP server, and erasure."""

import pytest
from django.core.cache import cache

from accounts.tests.factories import UserFactory
from following.models import Follow, Follower
from following.tests.factories import FollowerFactory, FollowFactory
from following.tests.mail import deliver_to_sink, html_of, link, text_of
from registrations.erasure import person_erase
from registrations.models import PrivacyRecord
from webinars.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def test_it_follows_an_office_from_its_page_and_stops_again(client, participant, office_a):
    client.force_login(participant)
    page = client.get("/organisasjoner/office-a/").content.decode()
    assert "Følg Kontor A" in page

    response = client.post("/folg/kontor/office-a/", {"next": "/organisasjoner/office-a/"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/organisasjoner/office-a/"
    assert "Du følger nå Musikkontor A" in page and "Du følger Kontor A – slutt å følge" in page
    assert Follow.objects.get().organisation == office_a
    assert Follower.objects.get().user == participant

    page = client.post("/folg/kontor/office-a/", {"next": "/organisasjoner/office-a/"}, follow=True).content.decode()
    assert "Du følger ikke lenger Musikkontor A" in page and "Følg Kontor A" in page
    assert not Follow.objects.exists()


def test_a_guest_pressing_follow_is_sent_to_the_follow_page_with_the_office_ticked(client, office_a):
    response = client.post("/folg/kontor/office-a/")
    assert response.status_code == 302 and response["Location"] == "/folg/?kontor=office-a"
    page = client.get("/folg/?kontor=office-a").content.decode()
    assert f'value="{office_a.pk}"' in page
    assert "checked" in page.split(f'value="{office_a.pk}"')[1].split(">")[0]
    assert "/personvern/" in page


def test_min_konto_lists_what_one_follows_and_changes_it(client, participant, office_a, office_b):
    topic = TopicFactory(name="Strømming", name_en="Streaming", slug="stromming")
    client.force_login(participant)
    page = client.get("/min-konto/").content.decode()
    assert "Du følger ingen musikkontorer eller temaer." in page and "/min-konto/folger/" in page

    response = client.post(
        "/min-konto/folger/", {"organisations": [office_b.pk], "topics": [topic.pk], "language": "en"}
    )
    assert response.status_code == 302
    follower = Follower.objects.get(user=participant)
    assert follower.language == "en" and follower.confirmed_at is not None
    page = client.get("/min-konto/").content.decode()
    assert "Musikkontor B" in page and "Strømming" in page and "Musikkontor A" not in page
    data = client.get("/min-konto/mine-opplysninger.json").json()
    assert sorted(f["name"] for f in data["follows"]) == ["Musikkontor B", "Strømming"]
    # The readable download lists them too, with the address the digest goes to.
    download = client.get("/min-konto/mine-opplysninger.html")
    assert download["Content-Disposition"] == 'attachment; filename="mine-opplysninger.html"'
    follows = download.content.decode().split("Det du følger")[1]
    assert "Musikkontor B (musikkontor)" in follows and "Strømming (tema)" in follows
    assert f"ukebrev til {participant.email} (en)" in follows

    client.post("/min-konto/folger/", {"organisations": [office_a.pk], "language": "nb"})
    assert [f.organisation for f in Follow.objects.all()] == [office_a]


def test_a_guest_follows_after_confirming_the_link_in_the_email(client, office_a):
    topic = TopicFactory(name="Strømming", name_en="Streaming", slug="stromming")
    response = client.post(
        "/folg/",
        {
            "email": "gjest@example.no",
            "organisations": [office_a.pk],
            "topics": [topic.pk],
            "language": "en",
            "consent": "on",
        },
    )
    assert response.status_code == 200 and "gjest@example.no" in response.content.decode()
    assert not Follow.objects.exists()  # nothing is followed before the address is confirmed

    (message,) = deliver_to_sink()
    assert message["To"] == "gjest@example.no"
    assert message["Subject"] == "Confirm that you want the weekly digest"
    assert "Musikkontor A" not in text_of(message) and "Kontor A" in text_of(message)
    assert "Streaming" in text_of(message) and "/personvern/" in html_of(message)
    confirm = link(message, "/folg/bekreft/")

    page = client.get(confirm).content.decode()  # a mail scanner's GET confirms nothing
    assert "Bekreft" in page and not Follow.objects.exists()
    response = client.post(confirm)
    follower = Follower.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/folg/administrer/{follower.token}/"
    assert follower.confirmed_at is not None and follower.language == "en"
    assert {(f.organisation_id, f.topic_id) for f in follower.follows.all()} == {(office_a.pk, None), (None, topic.pk)}
    assert client.post(confirm).status_code == 404  # used once


def test_a_guest_must_consent_and_choose_something(client, office_a):
    page = client.post("/folg/", {"email": "gjest@example.no", "language": "nb"}).content.decode()
    assert "Du må samtykke" in page and "Velg minst ett musikkontor eller tema." in page
    assert not Follower.objects.exists()
    assert deliver_to_sink() == []


def test_guest_requests_are_rate_limited(client, office_a, settings):
    settings.GUEST_RATE_LIMIT_PER_EMAIL = 2
    data = {"email": "gjest@example.no", "organisations": [office_a.pk], "language": "nb", "consent": "on"}
    assert client.post("/folg/", data).status_code == 200
    assert client.post("/folg/", data).status_code == 200
    response = client.post("/folg/", data)
    assert response.status_code == 429 and "for mange" in response.content.decode()
    assert len(deliver_to_sink()) == 2


def test_an_expired_link_confirms_nothing(client, office_a):
    from datetime import timedelta

    from django.utils import timezone

    client.post(
        "/folg/", {"email": "gjest@example.no", "organisations": [office_a.pk], "language": "nb", "consent": "on"}
    )
    follower = Follower.objects.get()
    Follower.objects.update(optin_expires_at=timezone.now() - timedelta(minutes=1))
    assert deliver_to_sink() == []  # the link would not work: not sent
    assert client.post(f"/folg/bekreft/{follower.optin_token}/").status_code == 410
    assert not Follow.objects.exists()


def test_erasure_deletes_what_following_holds_about_the_person(office_a):
    user = UserFactory(email="konto@example.no")
    FollowFactory(follower=FollowerFactory(email="gjest@example.no"), organisation=office_a)
    FollowFactory(follower=FollowerFactory(email="konto@example.no", user=user), organisation=office_a)
    other = FollowFactory(follower=FollowerFactory(email="annen@example.no"), organisation=office_a)

    person_erase(email="GJEST@example.no", kind=PrivacyRecord.Kind.GUEST_ERASED)
    assert set(Follower.objects.values_list("email", flat=True)) == {"konto@example.no", "annen@example.no"}
    user.delete()  # deleting the account erases the person (registrations' pre_delete receiver)
    assert list(Follower.objects.all()) == [other.follower]
    assert Follow.objects.count() == 1


def test_guests_who_never_confirm_are_forgotten(office_a, settings):
    from datetime import timedelta

    from django.utils import timezone

    from following.tasks import followers_retention

    settings.RETENTION_PENDING_REGISTRATION_DAYS = 7
    expired = timezone.now() - timedelta(days=8)
    FollowerFactory(email="gammel@example.no", confirmed_at=None, optin_expires_at=expired)
    FollowerFactory(email="fersk@example.no", confirmed_at=None, optin_expires_at=timezone.now())
    FollowerFactory(email="bekreftet@example.no", optin_expires_at=expired)
    assert followers_retention() == {"unconfirmed_deleted": 1}
    assert set(Follower.objects.values_list("email", flat=True)) == {"fersk@example.no", "bekreftet@example.no"}


def test_signing_in_takes_over_the_guest_follows_of_the_same_address(client, participant, office_a, office_b):
    FollowFactory(follower=FollowerFactory(email="PARTICIPANT@example.no"), organisation=office_b)
    client.force_login(participant)
    client.post("/folg/kontor/office-a/")
    follower = Follower.objects.get()
    assert follower.user == participant
    assert {f.organisation for f in follower.follows.all()} == {office_a, office_b}


def test_bad_input_gives_a_message_and_changes_nothing(client, participant, office_a):
    page = client.post(
        "/folg/", {"email": "x", "organisations": ["9" * 30], "language": "zz", "consent": "on"}
    ).content.decode()
    assert "Skriv inn en gyldig e-postadresse." in page or "gyldig" in page
    client.force_login(participant)
    assert client.post("/min-konto/folger/", {"organisations": ["9" * 30], "language": "nb"}).status_code == 200
    response = client.post("/folg/kontor/office-a/", {"next": "5"})
    assert response.status_code == 302 and response["Location"] == "/organisasjoner/office-a/"
    response = client.post("/folg/kontor/office-a/", {"next": "https://evil.example/"})
    assert response["Location"] == "/organisasjoner/office-a/"
    assert not Follow.objects.exists()  # followed, then unfollowed by the second press
