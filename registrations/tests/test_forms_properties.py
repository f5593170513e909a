"""Property tests: whatever a visitor submits, the registration forms answer with a page
or a form error (never a 500), write nothing when the input is invalid, and keep names
single-line so they can never inject an email header."""

import pytest
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from registrations.emails import to_address
from registrations.models import JoinLink, Notification, Question, Registration
from registrations.tests.factories import QuestionFactory
from webinars.models import Offering
from webinars.tests.factories import SessionFactory

# Any text a browser could send (lone surrogates cannot be encoded as UTF-8 by a browser).
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
names = st.one_of(
    any_text,
    st.builds(lambda a, b: f"{a}\r\n{b}", any_text, any_text),
    st.sampled_from(["Ola\r\nBcc: offer@evil.example", "Kari\nSubject: hei", "\x00Nul", "Tab\tName", "\u2028Linje"]),
)
emails = st.one_of(st.emails(), any_text, st.sampled_from(["ola@example.no\r\nBcc: x@evil.example", "a@b"]))
consent = st.sampled_from(["on", "", "true", "0", "nei"])
answers = st.one_of(any_text, st.lists(any_text, max_size=3))
# Valid values often enough that the success path is exercised as well.
yes_no_answers = st.one_of(st.sampled_from(["ja", "nei"]), answers)
choice_answers = st.one_of(st.sampled_from(["A", "B", ["X"], ["X", "Y"]]), answers)
text_answers = st.one_of(st.sampled_from(["Gitar", "Fele og sang"]), answers)

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _counts():
    return (Registration.objects.count(), Notification.objects.count(), JoinLink.objects.count())


def _clean_up():
    Registration.objects.all().delete()
    Notification.objects.all().delete()
    Offering.objects.update(seats_taken=0)  # the seats of the registrations just deleted
    cache.clear()


def _assert_header_safe(registration):
    assert "\r" not in registration.name and "\n" not in registration.name
    assert "\r" not in registration.email and "\n" not in registration.email
    # The address as the email builder writes it (a bare "name <email>" is not one when the
    # name holds a ";" or a ",").
    message = EmailMessage("Emne", "Tekst", to=[to_address(registration.name, registration.email)])
    rendered = message.message().as_string()
    header_names = [line.split(":", 1)[0] for line in rendered.split("\n\n", 1)[0].splitlines() if line[:1].strip()]
    # No header a name or address could have smuggled in.
    assert "Bcc" not in header_names
    assert header_names.count("Subject") == 1


@pytest.fixture
def session_with_questions(db):
    session = SessionFactory(capacity=3)
    QuestionFactory(offering=session.offering, kind=Question.Kind.TEXT, required=True, label="Instrument")
    QuestionFactory(offering=session.offering, kind=Question.Kind.CHOICE, choices=["A", "B"], label="Valg")
    QuestionFactory(offering=session.offering, kind=Question.Kind.MULTIPLE, choices=["X", "Y"], label="Flere")
    QuestionFactory(offering=session.offering, kind=Question.Kind.BOOLEAN, label="Ja eller nei", required=True)
    return session


outcomes: set[str] = set()


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(
    name=names,
    email=emails,
    consent=consent,
    text=text_answers,
    choice=choice_answers,
    several=choice_answers,
    yes_no=yes_no_answers,
)
@example(
    name="Ola\r\nBcc: x@evil.example",
    email="ola@example.no",
    consent="on",
    text="Gitar",
    choice="A",
    several=["X"],
    yes_no="ja",
)
@example(name="Åse Ørnsø", email="ase@example.no", consent="on", text="Fele", choice=[], several=[], yes_no="nei")
# Found by hypothesis: a ";" in the name ends an address group unless the name is quoted.
@example(name=";¡", email="0@A.Af", consent="on", text="Gitar", choice="A", several=["X"], yes_no="ja")
def test_the_guest_form_never_fails_and_writes_nothing_when_invalid(
    session_with_questions, name, email, consent, text, choice, several, yes_no
):
    session = session_with_questions
    questions = list(session.offering.questions.all())
    data = {"name": name, "email": email, "consent": consent}
    for question, value in zip(questions, [text, choice, several, yes_no], strict=True):
        data[f"q{question.pk}"] = value
    before = _counts()
    response = Client().post(f"/webinarer/{session.slug}/pamelding/", data)
    try:
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert _counts() == before
            assert 'name="name"' in response.content.decode()
        else:
            assert response["Location"] == "/pamelding/sjekk-e-post/"
            registration = Registration.objects.get()
            _assert_header_safe(registration)
            assert registration.status == Registration.Status.PENDING
            outcomes.add("registered")
    finally:
        _clean_up()


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(text=text_answers, choice=choice_answers, several=choice_answers, yes_no=yes_no_answers, extra=any_text)
def test_the_signed_in_form_never_fails_and_writes_nothing_when_invalid(
    session_with_questions, participant, text, choice, several, yes_no, extra
):
    session = session_with_questions
    questions = list(session.offering.questions.all())
    data = {"name": extra, "unknown": extra}
    for question, value in zip(questions, [text, choice, several, yes_no], strict=True):
        data[f"q{question.pk}"] = value
    client = Client()
    client.force_login(participant)
    before = _counts()
    response = client.post(f"/webinarer/{session.slug}/pamelding/", data)
    try:
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert _counts() == before
        else:
            registration = Registration.objects.get()
            assert registration.name == participant.get_full_name()
            assert set(registration.answers) <= {str(q.pk) for q in questions}
    finally:
        _clean_up()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, stored",
    [
        ("Ola\r\nBcc: offer@evil.example", "Ola Bcc: offer@evil.example"),
        ("  Kari \n Nordmann  ", "Kari Nordmann"),
        ("Linje\u2028skift", "Linje skift"),
    ],
)
def test_line_breaks_in_names_become_spaces(client, name, stored):
    session = SessionFactory()
    response = client.post(
        f"/webinarer/{session.slug}/pamelding/", {"name": name, "email": "ola@example.no", "consent": "on"}
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.name == stored
    _assert_header_safe(registration)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Ola\x07Bjelle", "Null\x00", "Escape\x1b[31m", "   "])
def test_control_characters_in_names_are_refused(client, name):
    session = SessionFactory()
    response = client.post(
        f"/webinarer/{session.slug}/pamelding/", {"name": name, "email": "ola@example.no", "consent": "on"}
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_guest_property_reached_the_success_path():
    # Runs after the property test in this module: it must have registered someone at least once.
    assert "registered" in outcomes
