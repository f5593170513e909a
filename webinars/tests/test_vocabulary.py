"""One vocabulary of topics and audiences (webinars/vocabulary.py), one wording everywhere:
the rows written from it, the library's "who are you" picker, and every filter and form that
offers them say the same, in Bokmål and in English."""

import re

import pytest
from django.utils import translation

from courses.forms import CourseForm
from webinars.forms import CatalogueFilterForm, SessionForm
from webinars.models import Audience, Topic
from webinars.tests.factories import SessionFactory
from webinars.vocabulary import AUDIENCES, TOPICS, vocabulary_seed


def _options(html: str, name: str) -> set[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, name
    return {label.strip() for value, label in re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)<', select.group(0))}


@pytest.mark.django_db
def test_it_writes_the_rows_in_the_vocabularys_wording():
    Audience.objects.create(slug="selskap", name="Selskap", name_en="Company")  # an old wording
    vocabulary_seed()
    vocabulary_seed()  # safe to run twice
    assert Audience.objects.count() == len(AUDIENCES) and Topic.objects.count() == len(TOPICS)
    for term in AUDIENCES + TOPICS:
        row = (Audience if term in AUDIENCES else Topic).objects.get(slug=term.slug)
        for language in ("nb", "en"):
            with translation.override(language):
                assert row.local_name == str(term.label)
        # Every term has its English name in the catalogue.
        assert term.name_en != term.name, term.slug
    assert Audience.objects.get(slug="selskap").name == "Plateselskap og management"
    assert Audience.objects.get(slug="arrangor").name_en == "Promoter and venue"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_page_and_form_names_the_audiences_alike(client, organiser_a, language):
    vocabulary_seed()
    SessionFactory()
    client.cookies["django_language"] = language
    with translation.override(language):
        expected = {str(term.label) for term in AUDIENCES}
        topics = {str(term.label) for term in TOPICS}
        # Organisers' forms name them in the active language too, not by the rows' Bokmål str().
        for form in (SessionForm(user=organiser_a), CourseForm(user=organiser_a)):
            assert {label for _value, label in form.fields["audiences"].choices} == expected
            assert {label for _value, label in form.fields["topics"].choices} == topics
        assert {label for value, label in CatalogueFilterForm().fields["malgruppe"].choices if value} == expected
    home = client.get("/").content.decode()
    picker = set(re.findall(r'malgruppe=[\w-]+"[^>]*>\s*([^<]+?)\s*<', home))
    assert picker == expected
    assert _options(client.get("/webinarer/").content.decode(), "malgruppe") >= expected
    assert _options(client.get("/webinarer/").content.decode(), "tema") >= topics
    assert _options(client.get("/ressursbank/").content.decode(), "malgruppe") >= expected
    assert _options(client.get("/ressursbank/").content.decode(), "tema") >= topics
