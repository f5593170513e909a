"""Emails fit a phone: every kind's HTML, rendered by a browser 375 px wide, is at most as
wide as the screen (no horizontal scrolling), even with long titles and personal links."""

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from library.services import resource_publish
from library.tests.factories import PastSessionFactory, RecordingFactory
from registrations import services
from registrations.email_kinds import account_payload
from registrations.models import Notification
from registrations.outbox import enqueue, notification_new
from registrations.tests.factories import JoinLinkFactory
from registrations.tests.mailkit import deliver, html_of
from webinars import services as session_services
from webinars.tests.factories import SessionFactory, course_with_sessions

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

LONG = "Økonomi for selvstendige musikere: avtaler, royalties, strømmeinntekter og merverdiavgift"


def _emails(office_a) -> list:
    user = UserFactory(email="en-svaert-lang-adresse.for-en-deltaker@musikkhjemmekontoret-eksempel.no")
    course = course_with_sessions(2, organisation=office_a, title=LONG, capacity=1)
    session = SessionFactory(organisation=office_a, title=LONG, capacity=1)
    for offering in (course.offering, session.offering):
        services.registration_create(offering=offering, user=user, name="", email=user.email, language="nb", answers={})
    services.registration_create(
        offering=session.offering, user=None, name="Gjest", email="gjest@example.no", language="en", answers={}
    )
    session_services.session_cancel(session=session)
    past = PastSessionFactory(organisation=office_a, title=LONG)
    JoinLinkFactory(registration__session=past, registration__email="kom@example.no", first_joined_at=timezone.now())
    resource_publish(resource=RecordingFactory(organisation=office_a, session=past, status="draft", published_at=None))
    # An account email as allauth renders it: text only, put into the platform's layout.
    enqueue(
        notification_new(
            kind=Notification.Kind.ACCOUNT,
            to_email=user.email,
            language="nb",
            # Sealed, as the account adapter writes it (an unsealed payload is never sent).
            payload=account_payload(
                subject="Bekreft e-postadressen",
                text="Hei!\n\nhttp://127.0.0.1:8000/konto/confirm-email/" + "x" * 120 + "/",
            ),
        )
    )
    return deliver()


def test_every_email_fits_a_375_px_screen(page, office_a):
    emails = _emails(office_a)
    assert len(emails) == 6
    page.set_viewport_size({"width": 375, "height": 667})
    for message in emails:
        page.set_content(html_of(message))
        widths = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
        assert widths[0] <= 375 and widths[1] <= 375, (message["Subject"], widths)
