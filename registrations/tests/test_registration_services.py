from datetime import timedelta

import pytest
from django.utils import timezone, translation

from courses.services import course_sessions_set
from registrations import services
from registrations.models import JoinLink, Notification, Registration
from registrations.tests.factories import workflow_kinds
from webinars.models import Status
from webinars.services import session_update
from webinars.tests.factories import SessionFactory, course_with_sessions


def _register_user(registrable, user, **kwargs):
    """Register for a webinar (a session) or a course: both register for their offering."""
    return services.registration_create(
        offering=registrable.offering,
        user=user,
        name=user.get_full_name(),
        email=user.email,
        language="nb",
        answers={},
        **kwargs,
    )


def _register_guest(registrable, email, name="Gjest Gjestesen"):
    return services.registration_create(
        offering=registrable.offering, name=name, email=email, language="en", answers={}
    )


def _kinds(registration):
    return workflow_kinds(registration)


@pytest.mark.django_db
def test_it_confirms_a_signed_in_participant_at_once(participant):
    session = SessionFactory(capacity=2)
    registration = _register_user(session, participant)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.user == participant
    assert _kinds(registration) == [Notification.Kind.CONFIRMED]
    notification = Notification.objects.get(registration=registration, kind=Notification.Kind.CONFIRMED)
    assert notification.to_email == "participant@example.no"
    assert notification.state == Notification.State.PENDING
    assert JoinLink.objects.filter(registration=registration, session=session).count() == 1
    assert registration.revision == 0


@pytest.mark.django_db
def test_it_waitlists_when_full_in_order():
    session = SessionFactory(capacity=1)
    from accounts.tests.factories import UserFactory

    users = [UserFactory() for _ in range(3)]
    first, second, third = (_register_user(session, u) for u in users)
    assert first.status == Registration.Status.CONFIRMED
    assert [second.status, third.status] == [Registration.Status.WAITLISTED] * 2
    assert _kinds(second) == [Notification.Kind.WAITLISTED]
    positions = dict(
        Registration.objects.filter(offering=session.offering)
        .with_waitlist_position()
        .values_list("id", "waitlist_position")
    )
    assert positions == {first.id: None, second.id: 1, third.id: 2}


@pytest.mark.django_db
def test_it_returns_the_existing_registration_case_insensitively(participant):
    session = SessionFactory()
    first = _register_user(session, participant)
    again = services.registration_create(
        offering=session.offering, name="X", email="PARTICIPANT@Example.NO", language="nb", answers={}
    )
    assert again.pk == first.pk
    assert Registration.objects.filter(offering=session.offering).count() == 1
    assert _kinds(first) == [Notification.Kind.CONFIRMED]


@pytest.mark.django_db
def test_it_sends_guests_an_optin_that_takes_the_seat():
    session = SessionFactory(capacity=1)
    registration = _register_guest(session, "gjest@example.no")
    assert registration.status == Registration.Status.PENDING
    assert registration.consented_at is not None
    assert len(registration.optin_token) >= 43
    assert timedelta(hours=23, minutes=59) < registration.optin_expires_at - timezone.now() <= timedelta(hours=24)
    optin = Notification.objects.get(registration=registration, kind=Notification.Kind.OPTIN)
    assert optin.kind == Notification.Kind.OPTIN
    assert optin.language == "en"
    # The outbox row holds no secret: the email is built with the registration's current token.
    assert "optin_token" not in optin.payload and registration.optin_token not in str(optin.payload)

    confirmed = services.registration_confirm_optin(token=registration.optin_token)
    assert confirmed.status == Registration.Status.CONFIRMED
    assert _kinds(confirmed) == [Notification.Kind.OPTIN, Notification.Kind.CONFIRMED]
    # Following the link twice changes nothing.
    assert services.registration_confirm_optin(token=registration.optin_token).status == Registration.Status.CONFIRMED
    assert len(workflow_kinds(registration)) == 2


@pytest.mark.django_db
def test_it_waitlists_a_guest_when_the_offering_filled_before_the_optin(participant):
    session = SessionFactory(capacity=1)
    guest = _register_guest(session, "gjest@example.no")
    _register_user(session, participant)
    assert services.registration_confirm_optin(token=guest.optin_token).status == Registration.Status.WAITLISTED


@pytest.mark.django_db
def test_it_refuses_an_expired_optin_and_a_new_attempt_renews_it():
    session = SessionFactory()
    guest = _register_guest(session, "gjest@example.no")
    Registration.objects.filter(pk=guest.pk).update(optin_expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.OptinInvalid):
        services.registration_confirm_optin(token=guest.optin_token)
    assert Registration.objects.get(pk=guest.pk).status == Registration.Status.PENDING

    again = _register_guest(session, "Gjest@example.no")
    assert again.pk == guest.pk
    assert again.optin_token != guest.optin_token
    assert services.registration_confirm_optin(token=again.optin_token).status == Registration.Status.CONFIRMED
    with pytest.raises(services.OptinInvalid):
        services.registration_confirm_optin(token="unknown")


@pytest.mark.django_db
def test_registering_again_resends_the_same_optin_link_while_it_is_valid():
    from registrations.tests.mailkit import deliver, text_of

    session = SessionFactory()
    guest = _register_guest(session, "gjest@example.no")
    Registration.objects.filter(pk=guest.pk).update(optin_expires_at=timezone.now() + timedelta(hours=1))

    again = _register_guest(session, "Gjest@example.no")

    assert again.pk == guest.pk and again.optin_token == guest.optin_token
    # The re-sent email promises 24 hours, so the link is good for that long again.
    assert again.optin_expires_at - timezone.now() > timedelta(hours=23, minutes=59)
    link = f"http://127.0.0.1:8000/pamelding/bekreft/{guest.optin_token}/"
    first, second = deliver()
    assert link in text_of(first) and link in text_of(second)
    # The first email's link still takes the seat.
    assert services.registration_confirm_optin(token=guest.optin_token).status == Registration.Status.CONFIRMED


@pytest.mark.django_db
def test_it_promotes_the_first_in_line_when_someone_cancels():
    from accounts.tests.factories import UserFactory

    session = SessionFactory(capacity=1)
    seated, first, second = (_register_user(session, UserFactory()) for _ in range(3))
    cancelled = services.registration_cancel(registration=seated)
    assert cancelled.status == Registration.Status.CANCELLED
    assert cancelled.revision == 1
    assert _kinds(cancelled) == [Notification.Kind.CONFIRMED, Notification.Kind.CANCELLED]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Registration.Status.CONFIRMED
    assert first.revision == 1
    assert _kinds(first) == [Notification.Kind.WAITLISTED, Notification.Kind.PROMOTED]
    assert second.status == Registration.Status.WAITLISTED
    assert Registration.objects.with_waitlist_position().get(pk=second.pk).waitlist_position == 1

    # Cancelling twice is harmless: no second email, no second promotion.
    services.registration_cancel(registration=seated)
    assert _kinds(cancelled) == [Notification.Kind.CONFIRMED, Notification.Kind.CANCELLED]
    second.refresh_from_db()
    assert second.status == Registration.Status.WAITLISTED


@pytest.mark.django_db
def test_it_marks_an_organiser_cancellation(participant):
    session = SessionFactory()
    registration = _register_user(session, participant)
    services.registration_cancel(registration=registration, by_organiser=True)
    cancelled = Notification.objects.get(registration=registration, kind=Notification.Kind.CANCELLED)
    assert cancelled.payload["by_organiser"] is True


def _raise_capacity(session, capacity):
    session_update(session=session, capacity=capacity)


@pytest.mark.django_db
def test_it_promotes_in_order_when_capacity_grows():
    from accounts.tests.factories import UserFactory

    session = SessionFactory(capacity=1)
    registrations = [_register_user(session, UserFactory()) for _ in range(4)]
    _raise_capacity(session, 3)
    statuses = [Registration.objects.get(pk=r.pk).status for r in registrations]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    assert Registration.objects.with_waitlist_position().get(pk=registrations[3].pk).waitlist_position == 1
    assert Notification.objects.filter(kind=Notification.Kind.PROMOTED).count() == 2


@pytest.mark.django_db
def test_it_gives_a_course_registration_a_join_link_per_session(participant):
    course = course_with_sessions(3, capacity=1)
    registration = _register_user(course, participant)
    assert registration.offering.course == course
    assert registration.status == Registration.Status.CONFIRMED
    sessions = set(course.offering.sessions.values_list("id", flat=True))
    assert set(registration.join_links.values_list("session_id", flat=True)) == sessions

    from accounts.tests.factories import UserFactory

    assert _register_user(course, UserFactory()).status == Registration.Status.WAITLISTED


@pytest.mark.django_db
def test_it_follows_course_session_changes_with_join_links(participant):
    course = course_with_sessions(2)
    registration = _register_user(course, participant)
    removed, kept = course.offering.sessions_in_order()
    added = SessionFactory(organisation=course.organisation, capacity=None)
    course_sessions_set(course=course, sessions=[kept, added])
    links = {link.session_id: link for link in registration.join_links.all()}
    assert links[added.pk].revoked_at is None
    assert links[removed.pk].revoked_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, reason",
    [
        ({"status": Status.CANCELLED}, "Arrangementet er avlyst."),
        ({"status": Status.DRAFT}, "Arrangementet er ikke publisert."),
        ({"starts_at": timezone.now() - timedelta(minutes=5)}, "Arrangementet har allerede startet."),
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "Påmeldingen har ikke åpnet ennå."),
        ({"registration_closes_at": timezone.now() - timedelta(days=1)}, "Påmeldingen er stengt."),
    ],
)
def test_it_refuses_registration_when_closed_and_writes_nothing(participant, change, reason):
    session = SessionFactory(**change)
    with pytest.raises(services.RegistrationClosed) as exc:
        _register_user(session, participant)
    with translation.override("nb"):
        assert str(exc.value) == reason
    assert Registration.objects.count() == 0
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_it_lets_an_organiser_promote_past_capacity():
    from accounts.tests.factories import UserFactory

    session = SessionFactory(capacity=1)
    _register_user(session, UserFactory())
    waiting = _register_user(session, UserFactory())
    promoted = services.registration_promote(registration=waiting)
    assert promoted.status == Registration.Status.CONFIRMED
    assert _kinds(promoted) == [Notification.Kind.WAITLISTED, Notification.Kind.PROMOTED]


@pytest.mark.django_db
def test_the_demo_seed_registers_the_demo_participant_once():
    import io

    from accounts.tests.factories import UserFactory
    from registrations import demo

    user = UserFactory(email="deltaker@example.no")
    sessions = [SessionFactory(capacity=5) for _ in range(2)]
    out = io.StringIO()
    demo.seed(out)
    demo.seed(out)
    assert Registration.objects.filter(email=user.email).count() == 2
    assert set(Registration.objects.values_list("offering", flat=True)) == {s.offering_id for s in sessions}
