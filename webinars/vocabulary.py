"""The shared vocabulary: the topics and audiences that sessions, courses and library
resources are tagged with, in one list with one wording everywhere.

Each term is a slug and its Bokmål name, translated through the catalogue in a context of
its own ("audience": "Arrangør" the audience reads "Promoter and venue" while the organiser
role keeps "Organiser"). The rows in the database (`Topic`, `Audience`: `name`, `name_en`)
are written from these lists (`vocabulary_seed`), so a name read from a row (`local_name`) and
a label read from here (the library's "who are you" picker) say the same in both languages.
It lives in webinars, the lowest app that has the models; courses, registrations and the
library above it import it from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from webinars.models import Audience, Topic


@dataclass(frozen=True)
class Term:
    slug: str
    label: Promise  # the Bokmål name, translated in the active language when rendered

    @property
    def name(self) -> str:
        with translation.override("nb"):
            return str(self.label)

    @property
    def name_en(self) -> str:
        with translation.override("en"):
            return str(self.label)


TOPICS = [
    Term("utgivelse", pgettext_lazy("topic", "Utgivelse")),
    Term("inntekt", pgettext_lazy("topic", "Inntekt")),
    Term("stotteordninger", pgettext_lazy("topic", "Støtteordninger")),
    Term("stromming", pgettext_lazy("topic", "Strømming")),
    Term("konsert", pgettext_lazy("topic", "Konsert og livestrømming")),
    Term("rettigheter", pgettext_lazy("topic", "Rettigheter og avtaler")),
    Term("skatt-og-trygd", pgettext_lazy("topic", "Skatt og trygd")),
]

AUDIENCES = [
    Term("selvstendig", pgettext_lazy("audience", "Selvstendig næringsdrivende")),
    Term("ansatt", pgettext_lazy("audience", "Ansatt")),
    Term("selvstendig-og-ansatt", pgettext_lazy("audience", "Både selvstendig og ansatt")),
    Term("frilanser", pgettext_lazy("audience", "Frilanser")),
    Term("arrangor", pgettext_lazy("audience", "Arrangør")),
    Term("selskap", pgettext_lazy("audience", "Plateselskap og management")),
]


def vocabulary_seed() -> tuple[dict[str, Topic], dict[str, Audience]]:
    """Write the topics and audiences with the vocabulary's wording (safe to run twice)."""
    topics = {
        term.slug: Topic.objects.update_or_create(
            slug=term.slug, defaults={"name": term.name, "name_en": term.name_en}
        )[0]
        for term in TOPICS
    }
    audiences = {
        term.slug: Audience.objects.update_or_create(
            slug=term.slug, defaults={"name": term.name, "name_en": term.name_en, "position": position}
        )[0]
        for position, term in enumerate(AUDIENCES)
    }
    return topics, audiences


def vocabulary_choices(form, *, topics: str = "topics", audiences: str = "audiences") -> None:
    """Offer the vocabulary in a form's topic and audience fields, named in the active
    language as everywhere else (a model choice field would show the Bokmål `str()`)."""
    for name, model in ((topics, Topic), (audiences, Audience)):
        field = form.fields[name]
        field.queryset = model.objects.all()
        field.label_from_instance = lambda term: term.local_name
