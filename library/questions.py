"""The three questions the resource bank opens with, and the "who are you" picker.

Each leads to a filtered list of the library; the slugs are the shared topic and
audience slugs that sessions, courses and resources are tagged with.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from webinars.vocabulary import AUDIENCES


@dataclass(frozen=True)
class Question:
    slug: str
    text: str
    lead: str
    params: dict


QUESTIONS = [
    Question(
        "selvstendig-og-ansatt",
        _("Jeg er både selvstendig næringsdrivende og ansatt – hva gjelder for meg?"),
        _("Skatt, trygd og rettigheter når du har både enkeltpersonforetak og lønn."),
        {"malgruppe": "selvstendig-og-ansatt"},
    ),
    Question(
        "gi-ut-musikk",
        _("Hvordan gir jeg ut musikk nå?"),
        _("Utgivelse, strømming, distribusjon og rettigheter steg for steg."),
        {"tema": "utgivelse"},
    ),
    Question(
        "nye-inntekter",
        _("Hvordan bygger jeg nye inntektskilder?"),
        _("Støtteordninger, konserter på nett og andre måter å tjene penger på musikken."),
        {"tema": "inntekt"},
    ),
]
QUESTIONS_BY_SLUG = {q.slug: q for q in QUESTIONS}

# (audience slug, label in the picker): the vocabulary's audiences, in its wording.
WHO_ARE_YOU = [(term.slug, term.label) for term in AUDIENCES]
