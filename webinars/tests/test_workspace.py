from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from registrations.tests.factories import RegistrationFactory
from webinars import signals
from webinars.models import Session, Status
from webinars.services import session_cancel, session_reschedule, session_update
from webinars.tests.factories import SessionFactory, TopicFactory, course_with_sessions
from webinars.tests.test_timezones import form_data

pytestmark = pytest.mark.django_db

SESSION_VIEWS = ["", "endre/", "flytt/", "avlys/", "dupliser/", "oversikt/"]


class Received:
    """Collects what a signal sends, as a registrations receiver would see it."""

    def __init__(self, signal):
        self.calls = []
        self.signal = signal
        signal.connect(self.receive)

    def receive(self, sender, **kwargs):
        self.calls.append(kwargs)

    def close(self):
        self.signal.disconnect(self.receive)


@pytest.fixture
def received():
    listeners = []

    def listen(signal):
        listener = Received(signal)
        listeners.append(listener)
        return listener

    yield listen
    for listener in listeners:
        listener.close()


def test_anonymous_visitors_are_sent_to_login(client, office_a):
    session = SessionFactory(organisation=office_a)
    for url in ["/arbeidsrom/", "/arbeidsrom/webinarer/ny/", f"/arbeidsrom/webinarer/{session.pk}/endre/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")


def test_participants_get_404_on_the_workspace(client, participant, office_a):
    session = SessionFactory(organisation=office_a)
    client.force_login(participant)
    assert client.get("/arbeidsrom/").status_code == 404
    assert client.get("/arbeidsrom/webinarer/ny/").status_code == 404
    assert client.get(f"/arbeidsrom/webinarer/{session.pk}/endre/").status_code == 404


def test_an_organiser_of_another_office_cannot_see_or_change_drafts(client, organiser_b, office_a):
    draft = SessionFactory(organisation=office_a, title="Kontor As utkast", status=Status.DRAFT)
    client.force_login(organiser_b)
    assert "Kontor As utkast" not in client.get("/arbeidsrom/").content.decode()
    for suffix in SESSION_VIEWS:
        assert client.get(f"/arbeidsrom/webinarer/{draft.pk}/{suffix}").status_code == 404, suffix
    for suffix in ["endre/", "publiser/", "flytt/", "avlys/", "dupliser/"]:
        assert client.post(f"/arbeidsrom/webinarer/{draft.pk}/{suffix}", {}).status_code == 404, suffix
    assert client.get(f"/webinarer/{draft.slug}/").status_code == 404
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.revision == 0
    assert Session.objects.count() == 1


def test_the_workspace_lists_every_status_of_the_organisers_office(client, organiser_a, office_a, office_b):
    SessionFactory(organisation=office_a, title="Eget utkast", status=Status.DRAFT)
    SessionFactory(organisation=office_a, title="Eget avlyst", status=Status.CANCELLED)
    SessionFactory(organisation=office_b, title="Andres webinar")
    client.force_login(organiser_a)
    html = client.get("/arbeidsrom/").content.decode()
    assert "Eget utkast" in html and "Eget avlyst" in html
    assert "Andres webinar" not in html


def test_an_organiser_creates_previews_and_publishes_a_webinar(client, organiser_a, office_a):
    topic = TopicFactory(slug="stromming", name="Strømming")
    client.force_login(organiser_a)
    data = form_data(
        office_a,
        title="Strømming for nybegynnere",
        description="Vi ser på **plattformene**.",
        topics=[topic.pk],
        capacity="50",
        speakers="Kari Nordmann | Produsent\nOla Nordmann",
    )
    response = client.post("/arbeidsrom/webinarer/ny/", data)
    session = Session.objects.get()
    assert response["Location"] == f"/arbeidsrom/webinarer/{session.pk}/"
    assert session.status == Status.DRAFT and session.slug == "stromming-for-nybegynnere"
    assert [s.name for s in session.speakers.all()] == ["Kari Nordmann", "Ola Nordmann"]

    preview = client.get(f"/arbeidsrom/webinarer/{session.pk}/").content.decode()
    assert "Forhåndsvisning" in preview and "<strong>plattformene</strong>" in preview
    assert client.get("/webinarer/stromming-for-nybegynnere/").status_code == 404

    client.post(f"/arbeidsrom/webinarer/{session.pk}/publiser/")
    client.logout()
    assert "Strømming for nybegynnere" in client.get("/webinarer/?tema=stromming").content.decode()


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"ends_time": "09:00"}, "Slutttidspunktet må være etter starttidspunktet."),
        ({"stream_url": "javascript:alert(1)"}, "nettadresse"),
        ({"stream_url": "ftp://zoom.us/j/1"}, "begynner med http:// eller https://"),
        ({"capacity": "-3"}, "Antall plasser kan ikke være negativt."),
        (
            {"registration_opens_at": "2027-01-10T10:00", "registration_closes_at": "2027-01-09T10:00"},
            "Påmeldingen må stenge etter at den åpner.",
        ),
        ({"registration_opens_at": "2027-01-15T10:00"}, "Påmeldingen må åpne før webinaret er slutt."),
        ({"timezone": "Mars/Olympus"}, "«Mars/Olympus» er ikke en tidssone vi kjenner"),
        ({"timezone": "W-SU"}, "«W-SU» er ikke en tidssone vi kjenner"),
    ],
)
def test_the_form_refuses_bad_input_with_a_clear_message(client, organiser_a, office_a, overrides, message):
    client.force_login(organiser_a)
    response = client.post("/arbeidsrom/webinarer/ny/", form_data(office_a, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Session.objects.exists()


def test_the_form_is_grouped_and_its_errors_are_summed_up_at_the_top(client, organiser_a, office_a):
    client.force_login(organiser_a)
    blank = client.get("/arbeidsrom/webinarer/ny/").content.decode()
    for legend in ("Hva", "Når", "Hvor det strømmes", "Påmelding"):
        assert f'<legend class="h4">{legend}</legend>' in blank
    assert '<details class="mb-4">' in blank  # the rarely used settings start folded
    assert 'id="error-summary"' not in blank

    data = form_data(
        office_a, capacity="-1", registration_opens_at="2027-01-10T10:00", registration_closes_at="2027-01-09T10:00"
    )
    html = client.post("/arbeidsrom/webinarer/ny/", data).content.decode()
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert '<a href="#id_capacity">Antall plasser</a>: Antall plasser kan ikke være negativt.' in summary
    assert '<a href="#id_registration_closes_at">Påmelding stenger</a>: Påmeldingen må stenge etter' in summary
    assert html.index('id="error-summary"') < html.index('<form method="post" novalidate>')
    assert '<details class="mb-4" open>' in html  # the error in a folded field is shown
    assert not Session.objects.exists()


def test_capacity_cannot_go_below_the_confirmed_registrations(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a, capacity=10)
    for n in range(4):
        RegistrationFactory(session=session, email=f"p{n}@example.no", status="confirmed")
    client.force_login(organiser_a)
    html = client.get(f"/arbeidsrom/webinarer/{session.pk}/endre/").content.decode()
    data = {}
    # Re-post the form as rendered, with a capacity below the four confirmed.
    import re

    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        data[name] = value
    data.update(form_data(office_a, starts_on=data["starts_on"], starts_time=data["starts_time"]))
    data.update(ends_time=data["starts_time"][:2] + ":59", capacity="3")
    response = client.post(f"/arbeidsrom/webinarer/{session.pk}/endre/", data)
    assert "Det er allerede 4 påmeldte" in response.content.decode()
    session.refresh_from_db()
    assert session.capacity == 10
    with pytest.raises(ValidationError):
        session_update(session=session, capacity=2)


def test_capacity_change_sends_capacity_changed(office_a, received):
    session = SessionFactory(organisation=office_a, capacity=10)
    changed = received(signals.capacity_changed)
    session_update(session=session, capacity=20)
    assert changed.calls[0]["old_capacity"] == 10 and changed.calls[0]["offering"].capacity == 20


def test_reschedule_bumps_the_revision_and_sends_the_signal(office_a, received):
    session = SessionFactory(organisation=office_a)
    old_start = session.starts_at
    rescheduled = received(signals.session_rescheduled)
    moved = session_reschedule(
        session=session, starts_at=old_start + timedelta(days=1), ends_at=old_start + timedelta(days=1, hours=2)
    )
    assert moved.revision == 1
    assert rescheduled.calls[0]["old_starts_at"] == old_start
    assert rescheduled.calls[0]["session"].starts_at == old_start + timedelta(days=1)


def test_rescheduling_through_the_form(client, organiser_a, office_a, received):
    session = SessionFactory(
        organisation=office_a,
        starts_at=datetime(2027, 2, 1, 9, 0, tzinfo=UTC),
        ends_at=datetime(2027, 2, 1, 10, 0, tzinfo=UTC),
    )
    rescheduled = received(signals.session_rescheduled)
    client.force_login(organiser_a)
    data = {"starts_on": "2027-02-03", "starts_time": "12:00", "ends_time": "13:30", "starts_fold": "", "ends_fold": ""}
    response = client.post(f"/arbeidsrom/webinarer/{session.pk}/flytt/", data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == datetime(2027, 2, 3, 11, 0, tzinfo=UTC)
    assert session.revision == 1 and len(rescheduled.calls) == 1


def test_editing_the_time_goes_through_reschedule(office_a, received):
    session = SessionFactory(organisation=office_a)
    rescheduled = received(signals.session_rescheduled)
    updated = session_update(
        session=session, starts_at=session.starts_at + timedelta(hours=1), ends_at=session.ends_at + timedelta(hours=1)
    )
    assert updated.revision == 1 and len(rescheduled.calls) == 1


def test_editing_what_an_invite_shows_bumps_the_revision_and_sends_the_signal(office_a, received):
    session = SessionFactory(organisation=office_a, title="Gammel tittel", summary="Kort", timezone="Europe/Oslo")
    changed = received(signals.session_details_changed)

    session_update(session=session, title="Gammel tittel", summary="Kort", capacity=25, join_opens_minutes=20)
    session.refresh_from_db()
    assert session.revision == 0 and changed.calls == []

    updated = session_update(session=session, title="Ny tittel", description="Mer tekst", timezone="Europe/London")
    assert updated.revision == 1
    [call] = changed.calls
    assert call["session"].title == "Ny tittel"
    assert call["changed"] == {"title", "timezone"}


def test_a_new_title_with_a_new_time_sends_only_the_reschedule(office_a, received):
    session = SessionFactory(organisation=office_a)
    changed = received(signals.session_details_changed)
    rescheduled = received(signals.session_rescheduled)
    session_update(
        session=session,
        title="Flyttet",
        starts_at=session.starts_at + timedelta(hours=1),
        ends_at=session.ends_at + timedelta(hours=1),
    )
    assert len(rescheduled.calls) == 1 and changed.calls == []
    assert rescheduled.calls[0]["session"].title == "Flyttet"


def test_cancel_bumps_the_revision_and_sends_the_signal(client, organiser_a, office_a, received):
    session = SessionFactory(organisation=office_a, title="Skal avlyses")
    # A webinar is cancelled with its offering: the whole offering's signal, not one session's.
    cancelled = received(signals.offering_cancelled)
    one_session = received(signals.session_cancelled)
    client.force_login(organiser_a)
    client.post(f"/arbeidsrom/webinarer/{session.pk}/avlys/")
    session.refresh_from_db()
    assert session.status == Status.CANCELLED and session.revision == 1
    assert session.offering.status == Status.CANCELLED
    assert cancelled.calls[0]["offering"].pk == session.offering_id
    assert cancelled.calls[0]["offering"].status == Status.CANCELLED
    assert one_session.calls == []
    # Twice is harmless: no second signal, no second bump.
    session_cancel(session=session)
    session.refresh_from_db()
    assert session.revision == 1 and len(cancelled.calls) == 1
    client.logout()
    assert "Skal avlyses" not in client.get("/webinarer/").content.decode()


def test_cancelling_one_session_of_a_course_leaves_the_course_going(office_a, received):
    course = course_with_sessions(2, organisation=office_a)
    first, second = course.offering.sessions_in_order()
    one_session = received(signals.session_cancelled)
    whole = received(signals.offering_cancelled)
    session_cancel(session=first)
    first.refresh_from_db()
    second.refresh_from_db()
    course.offering.refresh_from_db()
    assert first.status == Status.CANCELLED and first.revision == 1
    assert second.status == Status.PUBLISHED and course.offering.status == Status.PUBLISHED
    assert [call["session"].pk for call in one_session.calls] == [first.pk]
    assert whole.calls == []


def test_a_failing_receiver_rolls_the_cancel_back(office_a):
    session = SessionFactory(organisation=office_a)

    def explode(sender, **kwargs):
        raise RuntimeError("outbox down")

    signals.offering_cancelled.connect(explode)
    try:
        with pytest.raises(RuntimeError):
            session_cancel(session=session)
    finally:
        signals.offering_cancelled.disconnect(explode)
    session.refresh_from_db()
    assert session.status == Status.PUBLISHED and session.revision == 0
    assert session.offering.status == Status.PUBLISHED


def test_workspace_rows_link_to_the_webinars_own_page(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a)
    client.force_login(organiser_a)
    html = client.get("/arbeidsrom/").content.decode()
    # Registrants, questions, reminders and messages are reached through the webinar's own page.
    assert f"/arbeidsrom/webinarer/{session.pk}/oversikt/" in html
    assert f"/arbeidsrom/webinarer/{session.pk}/endre/" in html
