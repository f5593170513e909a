"""The three questions the resource bank opens with, and the "who are you" picker.

Each leads to a filtered list of the library; the slugs are the shared topic and
audience slugs that sessions, courses and resources are tagged with.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


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

# (audience slug, label in the picker)
WHO_ARE_YOU = [
    ("selvstendig", _("Selvstendig næringsdrivende")),
    ("ansatt", _("Ansatt")),
    ("selvstendig-og-ansatt", _("Selvstendig næringsdrivende og ansatt")),
    ("frilanser", _("Frilanser")),
    ("arrangor", _("Arrangør")),
    ("selskap", _("Selskap")),
]

# The shared vocabulary (also created by webinars/demo.py; whoever runs first creates it).
AUDIENCES = [
    ("selvstendig", "Selvstendig næringsdrivende", "Self-employed"),
    ("ansatt", "Ansatt", "Employee"),
    ("selvstendig-og-ansatt", "Både selvstendig og ansatt", "Both self-employed and employed"),
    ("frilanser", "Frilanser", "Freelancer"),
    ("arrangor", "Arrangør", "Promoter"),
    ("selskap", "Selskap", "Company"),
]
TOPICS = [
    ("utgivelse", "Utgivelse", "Releasing music"),
    ("inntekt", "Inntekt", "Income"),
    ("stotteordninger", "Støtteordninger", "Grants and support schemes"),
    ("stromming", "Strømming", "Streaming"),
    ("konsert", "Konsert", "Concerts"),
    ("rettigheter", "Rettigheter", "Rights"),
    ("skatt-og-trygd", "Skatt og trygd", "Tax and social security"),
]


def localized(obj) -> str:
    """The English name of a topic or audience when English is active and one is set."""
    if (get_language() or "nb").startswith("en") and getattr(obj, "name_en", ""):
        return obj.name_en
    return obj.name
