"""On a phone (390×844): the survey from its signed link, without signing in, and the course
certificate's download link on "Mine påmeldinger", with its verification page; axe finds no
serious or critical violation on any of them."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.tests.factories import UserFactory
from outcomes.models import Certificate, Feedback
from outcomes.tests.factories import ended_course
from outcomes.tokens import feedback_token
from registrations.models import JoinLink, Registration
from registrations.tests.factories import RegistrationFactory
from tests.browser import assert_accessible, log_in
from webinars.tests.factories import SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_survey_on_a_phone(page, live_server, office_a, language):
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    start = timezone.now() - timedelta(hours=3)
    session = SessionFactory(organisation=office_a, title="Strømming og royalties", starts_at=start)
    registration = RegistrationFactory(session=session, name="Ola Nordmann")
    JoinLink.objects.create(registration=registration, session=session, first_joined_at=start)

    page.goto(f"{live_server.url}/tilbakemelding/{feedback_token(registration.pk, session.pk)}/")
    assert "Strømming og royalties" in page.content()
    assert_accessible(page)
    send = "Send"
    with page.expect_navigation():
        page.get_by_role("button", name=send).click()
    assert Feedback.objects.count() == 0
    assert_accessible(page)  # with the error shown

    page.get_by_label("4 –").check()
    page.locator("textarea[name=comment]").fill("Gode eksempler, for lite tid.")
    page.locator("input[name=anonymous]").check()
    with page.expect_navigation():
        page.get_by_role("button", name=send).click()
    thanks = "Takk for tilbakemeldingen!" if language == "nb" else "Thank you for your feedback!"
    assert page.get_by_text(thanks).is_visible()
    assert_accessible(page)
    answer = Feedback.objects.get()
    assert (answer.rating, answer.anonymous) == (4, True)


def test_the_certificate_link_and_verification_on_a_phone(page, live_server, office_a):
    page.set_viewport_size(PHONE)
    ended = ended_course(organisation=office_a, title="Låtskriving", sessions=4, attended=4)
    user = UserFactory(email="ase@example.no", display_name="Åse")
    Registration.objects.filter(pk=ended.registration.pk).update(user=user)
    log_in(page, live_server, user.email)

    page.goto(f"{live_server.url}/mine-pameldinger/")
    link = page.get_by_role("link", name="Last ned kursbevis (PDF)")
    assert link.is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    data = open(download.value.path(), "rb").read()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Åse Ørnulf Særheim" in text and "Låtskriving" in text

    page.goto(f"{live_server.url}/kursbevis/{Certificate.objects.get().code}/")
    assert page.get_by_text("Kursbeviset er ekte.").is_visible()
    assert_accessible(page)


def test_the_organiser_reads_the_feedback_on_a_phone(page, live_server, office_a, organiser_a):
    page.set_viewport_size(PHONE)
    start = timezone.now() - timedelta(days=1)
    session = SessionFactory(organisation=office_a, title="Strømming og royalties", starts_at=start)
    for rating, comment, anonymous in [(5, "Nyttig", False), (3, "Litt kort", True), (4, "", False)]:
        registration = RegistrationFactory(session=session)
        Feedback.objects.create(
            offering=session.offering,
            session=session,
            registration=registration,
            rating=rating,
            comment=comment,
            anonymous=anonymous,
        )
    log_in(page, live_server, organiser_a.email)
    page.goto(f"{live_server.url}/arbeidsrom/webinarer/{session.pk}/oversikt/#tilbakemeldinger")
    assert page.get_by_text("Snitt 4,0 av 5 fra 3 svar.").is_visible()
    assert page.get_by_text("Litt kort").is_visible()
    assert_accessible(page)
