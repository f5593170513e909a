"""A speaker who asks to be forgotten (issue 15, docs/privacy.md): an organiser erases them
from the office's sessions on the offering's workspace page. The sessions stay; another
office's programme is not theirs to change; the messages lose the name; the page says where
the office's own texts still name the speaker."""

import re

import pytest
from django.test import Client

from registrations.models import Message, PrivacyRecord
from webinars.models import Session, Speaker
from webinars.tests.factories import SessionFactory, SpeakerFactory, course_with_sessions

pytestmark = pytest.mark.django_db


def _erase_links(html: str) -> list[str]:
    return re.findall(r'action="(/arbeidsrom/foredragsholdere/\d+/slett/)"', html)


def test_an_organiser_erases_a_speaker_from_every_session_of_the_office(client, organiser_a, office_a, office_b):
    first = SessionFactory(organisation=office_a, description="Med Sigrid Solist på fiolin.")
    second = SessionFactory(organisation=office_a, title="Vårkonsert")
    elsewhere = SessionFactory(organisation=office_b)
    SpeakerFactory(session=first, name="Sigrid Solist", bio="Fiolinist fra Bodø")
    SpeakerFactory(session=first, name="Per Produsent")
    SpeakerFactory(session=second, name="sigrid solist")
    SpeakerFactory(session=elsewhere, name="Sigrid Solist")
    Message.objects.create(
        offering=first.offering, audience="confirmed", subject="Om Sigrid Solist", body="Hilsen fra Sigrid  Solist."
    )
    visitor = Client()
    assert "Fiolinist fra Bodø" in visitor.get(f"/webinarer/{first.slug}/").content.decode()  # now cached
    client.force_login(organiser_a)

    html = client.get(f"/arbeidsrom/webinarer/{first.pk}/oversikt/").content.decode()
    assert 'Foredragsholdere <span class="badge text-bg-secondary">2</span>' in html
    sigrid, _per = _erase_links(html)
    assert client.get(sigrid).status_code == 405  # only a POST erases

    page = client.post(sigrid, follow=True).content.decode()
    assert "Opplysningene om foredragsholderen Sigrid Solist er slettet fra 2 økter." in page
    # The description is the office's own text: the page says where to rewrite it.
    assert "Navnet står fortsatt i teksten dere har skrevet om:" in page and f"«{first.title}»" in page
    assert list(Speaker.objects.filter(session__organisation=office_a).values_list("name", flat=True)) == [
        "Per Produsent"
    ]
    assert Speaker.objects.filter(session=elsewhere).exists()  # another office's programme
    assert Session.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
    message = Message.objects.get()
    assert (message.subject, message.body) == ("Om [slettet]", "Hilsen fra [slettet].")
    assert PrivacyRecord.objects.get().counts == {"speakers": 2, "messages": 1}
    # The public page no longer names her (the catalogue's cache was emptied); it is still there.
    public = visitor.get(f"/webinarer/{first.slug}/")
    assert public.status_code == 200
    assert "Fiolinist fra Bodø" not in public.content.decode() and "Per Produsent" in public.content.decode()


def test_another_office_cannot_erase_a_speaker(client, organiser_b, office_a):
    speaker = SpeakerFactory(session=SessionFactory(organisation=office_a))
    client.force_login(organiser_b)
    assert client.post(f"/arbeidsrom/foredragsholdere/{speaker.pk}/slett/").status_code == 404
    assert client.post("/arbeidsrom/foredragsholdere/99999999/slett/").status_code == 404
    assert Speaker.objects.filter(pk=speaker.pk).exists()
    assert not PrivacyRecord.objects.exists()


def test_a_course_lists_its_sessions_speakers_and_returns_to_its_page(client, organiser_a, office_a):
    course = course_with_sessions(2, organisation=office_a)
    session = course.offering.sessions.first()
    SpeakerFactory(session=session, name="Kurt Kursholder")
    client.force_login(organiser_a)
    html = client.get(f"/arbeidsrom/kurs/{course.pk}/oversikt/").content.decode()
    assert f'Kurt Kursholder <span class="small text-body-secondary">({session.title})</span>' in html
    (link,) = _erase_links(html)
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == f"/arbeidsrom/kurs/{course.pk}/oversikt/#foredragsholdere"
    assert not Speaker.objects.exists()
