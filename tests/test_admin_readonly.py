"""The admin cannot bypass the services (issue 11, item 10): the rows the services write are
read-only there, even for a superuser, and an outbox row's payload is never shown."""

import pytest

from accounts.tests.factories import UserFactory
from library.models import Resource
from library.tests.factories import ContributorFactory, RecordingFactory
from outcomes.models import Certificate, Feedback
from outcomes.services import certificate_issue
from outcomes.tests.factories import FeedbackFactory, ended_course
from registrations.models import Message, Notification, Question, Registration
from registrations.tests.factories import JoinLinkFactory, QuestionFactory, RegistrationFactory
from webinars.models import Course, Offering, Session
from webinars.tests.factories import STREAM_URL, CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db

PAYLOAD_SECRET = "https://example.no/konto/password/reset/key/3-hemmelig-nokkel/"


@pytest.fixture
def rows(office_a):
    session = SessionFactory(organisation=office_a, capacity=1)
    registration = RegistrationFactory(session=session)
    JoinLinkFactory(registration=registration, session=session)
    waiting = RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)
    notification = Notification.objects.create(
        kind=Notification.Kind.ACCOUNT, to_email="kari@example.no", payload={"text": PAYLOAD_SECRET}
    )
    message = Message.objects.create(
        offering=session.offering, audience=Message.Audience.CONFIRMED, subject="Hei", body="Velkommen"
    )
    recording = RecordingFactory(organisation=office_a, status=Resource.Status.DRAFT)
    ContributorFactory(resource=recording)
    return {
        Registration: registration,
        Session: session,
        Course: CourseFactory(organisation=office_a),
        Offering: session.offering,
        Notification: notification,
        Message: message,
        Question: QuestionFactory(offering=session.offering),
        Resource: recording,
        Feedback: FeedbackFactory(registration=registration, anonymous=True, comment="Nyttig"),
        Certificate: certificate_issue(registration=ended_course(organisation=office_a).registration),
        "waiting": waiting,
    }


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(email="drift@example.no", is_staff=True, is_superuser=True))
    return client


READ_ONLY = [Registration, Session, Course, Offering, Notification, Message, Question, Resource, Feedback, Certificate]


def _counts():
    return {model: model.objects.count() for model in READ_ONLY}


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_a_superuser_can_look_but_not_add_change_or_delete(superuser_client, rows, model):
    client = superuser_client
    row = rows[model]
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    before = _counts()
    assert client.get(base).status_code == 200
    page = client.get(f"{base}{row.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # a view, not a form
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}add/", {}).status_code == 403
    assert client.post(f"{base}{row.pk}/change/", {}).status_code == 403
    assert client.get(f"{base}{row.pk}/delete/").status_code == 403
    assert client.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(base, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert _counts() == before


def test_deleting_a_confirmed_registration_is_impossible_so_the_waitlist_stays_true(superuser_client, rows):
    registration = rows[Registration]
    superuser_client.post(f"/admin/registrations/registration/{registration.pk}/delete/", {"post": "yes"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert Offering.objects.get(pk=registration.offering_id).seats_taken == 1


def test_an_outbox_payload_and_a_stream_url_are_never_shown(superuser_client, rows):
    notification = rows[Notification]
    for url in [
        "/admin/registrations/notification/",
        f"/admin/registrations/notification/{notification.pk}/change/",
        f"/admin/webinars/session/{rows[Session].pk}/change/",
        "/admin/webinars/session/",
    ]:
        page = superuser_client.get(url).content.decode()
        assert "hemmelig-nokkel" not in page, url
        assert STREAM_URL not in page and "hemmelig-stroemmelenke" not in page, url


def test_the_registration_page_shows_no_token(superuser_client, rows):
    registration = rows[Registration]
    page = superuser_client.get(f"/admin/registrations/registration/{registration.pk}/change/").content.decode()
    assert registration.manage_token not in page
    assert registration.join_links.get().token not in page


@pytest.mark.parametrize("url", ["/admin/auth/group/add/", "/admin/accounts/user/{pk}/change/"])
def test_an_id_no_column_holds_is_a_form_error_in_the_editable_admin(superuser_client, participant, url):
    response = superuser_client.post(
        url.format(pk=participant.pk),
        {"name": "Gruppe", "email": participant.email, "permissions": "9" * 30, "user_permissions": "9" * 30},
    )
    assert response.status_code == 200  # the form again, with its error; SQLite raised OverflowError


def test_a_membership_with_an_id_no_column_holds_is_a_form_error(superuser_client, participant):
    response = superuser_client.post(
        f"/admin/accounts/user/{participant.pk}/change/",
        {
            "email": participant.email,
            "preferred_language": "nb",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-organisation": "9" * 30,
            "memberships-0-role": "organiser",
        },
    )
    assert response.status_code == 200


def test_feedback_names_nobody_and_a_certificate_hides_its_code(superuser_client, rows):
    feedback, certificate = rows[Feedback], rows[Certificate]
    page = superuser_client.get(f"/admin/outcomes/feedback/{feedback.pk}/change/").content.decode()
    assert "Nyttig" in page
    registration = rows[Registration]
    assert registration.email not in page and registration.name not in page
    page = superuser_client.get(f"/admin/outcomes/certificate/{certificate.pk}/change/").content.decode()
    assert certificate.name in page and certificate.code not in page
