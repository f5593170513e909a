"""Consent and rights gate publication; publishing a session recording queues one
follow-up per registrant, split by attendance, exactly once."""

import email
from email import policy

import pytest
from django.core import mail
from django.utils import timezone

from library.models import Contributor, Resource
from library.services import PublishError, resource_publish, resource_unpublish
from library.tests.factories import ContributorFactory, PastSessionFactory, RecordingFactory
from registrations.models import Notification, Registration
from registrations.tests.factories import JoinLinkFactory, RegistrationFactory
from registrations.tests.mailkit import deliver, html_of, text_of
from webinars.tests.factories import course_session


@pytest.fixture
def session(office_a):
    return PastSessionFactory(organisation=office_a, title="Strømming for viderekomne")


@pytest.fixture
def recording(office_a, session):
    return RecordingFactory(
        organisation=office_a, session=session, slug="opptak-stromming", status="draft", published_at=None
    )


def test_a_pending_consent_blocks_publishing(client, organiser_a, recording):
    ContributorFactory(resource=recording, name="Kari Utøver", consent=Contributor.Consent.PENDING)
    client.force_login(organiser_a)
    response = client.post(f"/arbeidsrom/ressurser/{recording.pk}/publiser/", follow=True)
    html = response.content.decode()
    assert "Opptaket kan ikke publiseres ennå." in html
    assert "Samtykke mangler fra: Kari Utøver." in html
    recording.refresh_from_db()
    assert recording.status == Resource.Status.DRAFT
    assert not Notification.objects.exists()


def test_a_refused_consent_blocks_publishing(recording):
    ContributorFactory(resource=recording, name="Per Foredrag", consent=Contributor.Consent.REFUSED)
    with pytest.raises(PublishError, match="Samtykke er nektet av: Per Foredrag."):
        resource_publish(resource=recording)
    assert Resource.objects.get(pk=recording.pk).status == Resource.Status.DRAFT


def test_unticked_rights_block_publishing(recording):
    ContributorFactory(resource=recording)
    Resource.objects.filter(pk=recording.pk).update(rights_cleared=False)
    with pytest.raises(PublishError, match="tredjepartsmusikk"):
        resource_publish(resource=recording)
    assert Resource.objects.get(pk=recording.pk).status == Resource.Status.DRAFT


def test_the_organiser_records_consent_and_rights_then_publishes(client, organiser_a, recording):
    Resource.objects.filter(pk=recording.pk).update(rights_cleared=False)
    person = ContributorFactory(resource=recording, name="Kari Utøver", consent=Contributor.Consent.PENDING)
    client.force_login(organiser_a)
    page = client.get(f"/arbeidsrom/ressurser/{recording.pk}/samtykke/").content.decode()
    assert "Samtykke mangler fra: Kari Utøver." in page
    data = {
        "medvirkende-TOTAL_FORMS": "3",
        "medvirkende-INITIAL_FORMS": "1",
        "medvirkende-MIN_NUM_FORMS": "0",
        "medvirkende-MAX_NUM_FORMS": "1000",
        "medvirkende-0-id": str(person.pk),
        "medvirkende-0-name": "Kari Utøver",
        "medvirkende-0-role": "performer",
        "medvirkende-0-consent": "given",
        "medvirkende-1-name": "Ola Foredrag",
        "medvirkende-1-role": "speaker",
        "medvirkende-1-consent": "given",
        "medvirkende-2-name": "",
        "medvirkende-2-role": "speaker",
        "medvirkende-2-consent": "pending",
        "rights_cleared": "on",
    }
    response = client.post(f"/arbeidsrom/ressurser/{recording.pk}/samtykke/", data, follow=True)
    assert "Alt er klart for publisering." in response.content.decode()
    assert set(recording.contributors.values_list("name", "consent")) == {
        ("Kari Utøver", "given"),
        ("Ola Foredrag", "given"),
    }
    response = client.post(f"/arbeidsrom/ressurser/{recording.pk}/publiser/", follow=True)
    assert "er publisert" in response.content.decode()
    assert Resource.objects.get(pk=recording.pk).status == Resource.Status.PUBLISHED


def test_publishing_sends_one_followup_per_registrant_split_by_attendance(recording, session):
    came = JoinLinkFactory(
        registration__session=session, registration__email="kom@example.no", first_joined_at=timezone.now()
    )
    JoinLinkFactory(registration__session=session, registration__email="uteble@example.no")
    RegistrationFactory(session=session, email="uten-lenke@example.no")
    RegistrationFactory(session=session, email="avmeldt@example.no", status=Registration.Status.CANCELLED)
    RegistrationFactory(session=session, email="venter@example.no", status=Registration.Status.WAITLISTED)
    RegistrationFactory(session=PastSessionFactory(organisation=session.organisation), email="annet@example.no")

    resource_publish(resource=recording)

    rows = {n.to_email: n for n in Notification.objects.filter(kind=Notification.Kind.RECORDING)}
    assert set(rows) == {"kom@example.no", "uteble@example.no", "uten-lenke@example.no"}
    assert rows["kom@example.no"].payload == {"resource_id": recording.pk, "attended": True}
    assert rows["uteble@example.no"].payload == {"resource_id": recording.pk, "attended": False}
    assert rows["uten-lenke@example.no"].payload["attended"] is False
    assert rows["kom@example.no"].registration_id == came.registration_id
    assert rows["kom@example.no"].session_id == session.pk


def test_course_registrants_get_the_followup_for_a_course_session(recording, session):
    link = course_session(session=session, course__organisation=session.organisation)
    registration = RegistrationFactory(offering=link.course.offering, email="kurs@example.no")
    JoinLinkFactory(registration=registration, session=session, first_joined_at=timezone.now())
    resource_publish(resource=recording)
    row = Notification.objects.get(kind=Notification.Kind.RECORDING)
    assert (row.to_email, row.payload["attended"]) == ("kurs@example.no", True)


def test_followups_go_once_even_after_republishing(client, organiser_a, recording, session):
    RegistrationFactory(session=session, email="en@example.no")
    RegistrationFactory(session=session, email="to@example.no")
    client.force_login(organiser_a)
    client.post(f"/arbeidsrom/ressurser/{recording.pk}/publiser/")
    client.post(f"/arbeidsrom/ressurser/{recording.pk}/publiser/")
    resource_unpublish(resource=recording)
    resource_publish(resource=recording)
    assert Notification.objects.filter(kind=Notification.Kind.RECORDING).count() == 2


def test_a_recording_without_a_session_sends_nothing(office_a):
    recording = RecordingFactory(organisation=office_a, status="draft")
    resource_publish(resource=recording)
    assert not Notification.objects.exists()


def test_recordings_attach_only_to_past_sessions_of_ones_own_office(client, organiser_a, office_a, office_b):
    from datetime import timedelta

    future = PastSessionFactory(organisation=office_a, starts_at=timezone.now() + timedelta(days=2))
    theirs = PastSessionFactory(organisation=office_b)
    client.force_login(organiser_a)
    base = {
        "kind": "recording",
        "organisation": office_a.pk,
        "title": "Opptak",
        "language": "nb",
        "visibility": "public",
        "video_url": "https://vimeo.com/76979871",
    }
    response = client.post("/arbeidsrom/ressurser/ny/", {**base, "session": future.pk})
    assert "Opptak kan bare knyttes til et webinar som er over." in response.content.decode()
    response = client.post("/arbeidsrom/ressurser/ny/", {**base, "session": theirs.pk})
    assert "Velg et gyldig valg" in response.content.decode()
    assert not Resource.objects.exists()


def build(notification):
    from registrations.emails import build_message

    message = build_message(notification).message()
    return email.message_from_bytes(message.as_bytes(), policy=policy.default)


def test_the_followup_email_thanks_attendees_and_tells_no_shows_what_they_missed(recording, session, settings):
    settings.SITE_URL = "https://musikk.example.no"
    JoinLinkFactory(
        registration__session=session,
        registration__email="kom@example.no",
        registration__name="Kari",
        first_joined_at=timezone.now(),
    )
    JoinLinkFactory(registration__session=session, registration__email="uteble@example.no", registration__name="Ola")
    resource_publish(resource=recording)
    came = build(Notification.objects.get(to_email="kom@example.no"))
    missed = build(Notification.objects.get(to_email="uteble@example.no"))
    assert came["Subject"].strip() == "Takk for at du var med på «Strømming for viderekomne» – her er opptaket"
    assert missed["Subject"].strip() == "Her er det du gikk glipp av: opptaket av «Strømming for viderekomne»"
    for message in (came, missed):
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "https://musikk.example.no/ressursbank/opptak-stromming/" in text
        assert 'href="https://musikk.example.no/ressursbank/opptak-stromming/"' in html
        assert recording.video_url not in text + html
    assert mail.outbox == []  # built, not sent: the outbox sweeper sends


def test_the_followup_email_follows_the_registrants_language(recording, session):
    RegistrationFactory(session=session, email="en@example.com", language="en")
    resource_publish(resource=recording)
    message = build(Notification.objects.get(to_email="en@example.com"))
    assert message["Subject"].strip() == "Here is what you missed: the recording of “Strømming for viderekomne”"


def test_publishing_a_recording_reaches_the_people_who_came_end_to_end(client, organiser_a, recording, session):

    JoinLinkFactory(registration__session=session, registration__email="kom@example.no", first_joined_at=timezone.now())
    JoinLinkFactory(registration__session=session, registration__email="uteble@example.no")
    page = client.get(f"/webinarer/{session.slug}/").content.decode()
    assert "/ressursbank/opptak-stromming/" not in page, "a draft recording is not linked"

    client.force_login(organiser_a)
    client.post(f"/arbeidsrom/ressurser/{recording.pk}/publiser/")
    client.post(f"/arbeidsrom/ressurser/{recording.pk}/publiser/")  # a double click sends nothing twice
    client.logout()

    page = client.get(f"/webinarer/{session.slug}/").content.decode()
    assert 'href="/ressursbank/opptak-stromming/"' in page
    assert "Se opptaket og oppsummeringen i ressursbanken" in page
    messages = {m["To"].addresses[0].addr_spec: m for m in deliver()}
    assert sorted(messages) == ["kom@example.no", "uteble@example.no"]
    for message in messages.values():
        assert "/ressursbank/opptak-stromming/" in text_of(message)
        assert "/ressursbank/opptak-stromming/" in html_of(message)
    assert text_of(messages["kom@example.no"]) != text_of(messages["uteble@example.no"]), "split by attendance"
    assert deliver() == [], "once"
