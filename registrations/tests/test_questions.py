import pytest
from django.core.cache import cache

from registrations.models import Question, Registration
from registrations.tests.factories import QuestionFactory
from webinars.tests.factories import SessionFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.mark.django_db
def test_an_organiser_adds_edits_and_deletes_questions(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a)
    client.force_login(organiser_a)
    url = f"/arbeidsrom/webinarer/{session.pk}/sporsmal/"
    response = client.post(
        url,
        {
            "kind": "choice",
            "label": "Hvilket nivå?",
            "label_en": "Which level?",
            "choices_text": "Nybegynner | Beginner\nErfaren | Experienced",
            "required": "on",
            "position": "1",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get(offering=session.offering)
    assert question.choices == [{"nb": "Nybegynner", "en": "Beginner"}, {"nb": "Erfaren", "en": "Experienced"}]
    assert question.required
    page = client.get(url).content.decode()
    assert "Hvilket nivå?" in page and "Which level?" in page

    edit = f"/arbeidsrom/sporsmal/{question.pk}/"
    assert "Nybegynner | Beginner" in client.get(edit).content.decode()
    client.post(edit, {"kind": "boolean", "label": "Har du spilt før?", "label_en": "", "position": "1"})
    question.refresh_from_db()
    assert (question.kind, question.choices, question.required) == ("boolean", [], False)

    assert client.post(f"/arbeidsrom/sporsmal/{question.pk}/slett/").status_code == 302
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_a_choice_question_needs_two_choices(client, organiser_a, office_a):
    session = SessionFactory(organisation=office_a)
    client.force_login(organiser_a)
    response = client.post(
        f"/arbeidsrom/webinarer/{session.pk}/sporsmal/",
        {"kind": "multiple", "label": "Hva?", "choices_text": "Bare én", "position": "0"},
    )
    assert "Skriv minst to svaralternativer" in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_another_office_cannot_edit_or_delete_questions(client, organiser_b, office_a):
    question = QuestionFactory(offering=SessionFactory(organisation=office_a).offering)
    client.force_login(organiser_b)
    assert client.get(f"/arbeidsrom/sporsmal/{question.pk}/").status_code == 404
    assert client.post(f"/arbeidsrom/sporsmal/{question.pk}/slett/").status_code == 404
    assert Question.objects.filter(pk=question.pk).exists()


def _questions(session):
    text = QuestionFactory(offering=session.offering, label="Instrument", label_en="Instrument (en)", required=True)
    choice = QuestionFactory(
        offering=session.offering,
        kind=Question.Kind.CHOICE,
        label="Nivå",
        label_en="Level",
        choices=[{"nb": "Nybegynner", "en": "Beginner"}, {"nb": "Erfaren", "en": "Experienced"}],
        required=True,
    )
    several = QuestionFactory(
        offering=session.offering, kind=Question.Kind.MULTIPLE, label="Sjangre", choices=["Pop", "Jazz"]
    )
    yes_no = QuestionFactory(offering=session.offering, kind=Question.Kind.BOOLEAN, label="Første gang?", required=True)
    return text, choice, several, yes_no


@pytest.mark.django_db
def test_required_questions_are_enforced_and_answers_kept(client, participant, organiser_a, office_a):
    session = SessionFactory(organisation=office_a)
    text, choice, several, yes_no = _questions(session)
    client.force_login(participant)
    url = f"/webinarer/{session.pk and session.slug}/pamelding/"
    page = client.get(url).content.decode()
    assert "Instrument" in page and "Nybegynner" in page and "Første gang?" in page
    response = client.post(url, {f"q{several.pk}": ["Jazz"]})
    assert response.status_code == 200
    assert response.content.decode().count("Feltet er påkrevet.") == 3
    assert not Registration.objects.exists()
    response = client.post(url, {f"q{choice.pk}": "Ukjent", f"q{text.pk}": "Gitar", f"q{yes_no.pk}": "nei"})
    assert "Velg et gyldig valg" in response.content.decode()
    assert not Registration.objects.exists()
    response = client.post(
        url,
        {f"q{text.pk}": "Gitar", f"q{choice.pk}": "Erfaren", f"q{several.pk}": ["Pop", "Jazz"], f"q{yes_no.pk}": "nei"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.answers == {
        str(text.pk): "Gitar",
        str(choice.pk): "Erfaren",
        str(several.pk): ["Pop", "Jazz"],
        str(yes_no.pk): False,
    }
    client.force_login(organiser_a)
    page = client.get(f"/arbeidsrom/webinarer/{session.pk}/pameldinger/").content.decode()
    # Each person's answers open in their own detail, under the question (not one column each).
    for question, shown in [
        ("Instrument", "Gitar"),
        ("Nivå", "Erfaren"),
        ("Sjangre", "Pop, Jazz"),
        ("Første gang?", "Nei"),
    ]:
        assert f'<dt>{question}</dt><dd class="text-break">{shown}</dd>' in page
    csv_text = client.get(f"/arbeidsrom/webinarer/{session.pk}/pameldinger.csv").content.decode("utf-8-sig")
    header, row = csv_text.splitlines()[:2]
    assert "Instrument;Nivå;Sjangre;Første gang?" in header
    assert "Gitar;Erfaren;Pop, Jazz;Nei" in row

    # An English-speaking organiser gets the questions and the answers' choices in English too.
    client.cookies["django_language"] = "en"
    csv_text = client.get(f"/arbeidsrom/webinarer/{session.pk}/pameldinger.csv").content.decode("utf-8-sig")
    header, row = csv_text.splitlines()[:2]
    assert header.startswith("Name;Email;")
    assert "Instrument (en);Level;" in header and "Nivå" not in header
    assert "Gitar;Experienced;Pop, Jazz;No" in row


@pytest.mark.django_db
def test_questions_show_in_the_visitors_language(client):
    session = SessionFactory()
    _questions(session)
    page = client.get(f"/webinarer/{session.slug}/pamelding/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Level" in page and "Beginner" in page and "Instrument (en)" in page
