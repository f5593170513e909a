"""The three questions the resource bank opens with, and the "who are you" picker.

Each leads to a filtered list of the library; the slugs are the shared topic and
audience slugs that sessions, courses and resources are tagged with.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from webinars.demo import AUDIENCES as DEMO_AUDIENCES


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

# (audience slug, label in the picker): the same wording as the audiences' names, everywhere
# (webinars/demo.py AUDIENCES is the one list; "audience" context keeps "Arrangør" the
# audience apart from "Arrangør" the organiser role).
WHO_ARE_YOU = [
    ("selvstendig", pgettext_lazy("audience", "Selvstendig næringsdrivende")),
    ("ansatt", pgettext_lazy("audience", "Ansatt")),
    ("selvstendig-og-ansatt", pgettext_lazy("audience", "Både selvstendig og ansatt")),
    ("frilanser", pgettext_lazy("audience", "Frilanser")),
    ("arrangor", pgettext_lazy("audience", "Arrangør")),
    ("selskap", pgettext_lazy("audience", "Plateselskap og management")),
]

# The shared vocabulary: one list of audiences, created by whichever demo runs first.
AUDIENCES = DEMO_AUDIENCES
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
