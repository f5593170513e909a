"""The organisers' CSV export, shaped for Excel with Norwegian characters."""

from __future__ import annotations

import csv
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _

from registrations.forms import answer_display, question_label
from registrations.models import Question, Registration

# A cell starting with one of these is read as a formula by Excel and LibreOffice.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_safe(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _local(value, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""


def registrations_csv_rows(
    out, *, offering, registrations: list[Registration], questions: list[Question], language: str | None = None
) -> None:
    """Write the registrations as CSV to `out`: UTF-8 with a BOM and `;` as separator,
    which is what Excel with Norwegian regional settings opens without asking.

    Everything, the organiser's questions and the answers' choices included, is in
    `language` (default: the request's, which the column headings follow too)."""
    language = language or translation.get_language() or "nb"
    zone = ZoneInfo(getattr(offering, "timezone", "Europe/Oslo") or "Europe/Oslo")
    out.write("\ufeff")
    csv_writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")

    def writerow(values) -> None:
        # Every cell, headings included: an organiser's question label is a heading.
        csv_writer.writerow([csv_safe(value) for value in values])

    writerow(
        [
            _("Navn"),
            _("E-post"),
            _("Status"),
            _("Registrert"),
            _("Bekreftet"),
            _("Plass på ventelisten"),
            *[question_label(q, language) for q in questions],
            _("Første innlogging"),
            _("Antall innlogginger"),
        ]
    )
    for registration in registrations:
        links = list(registration.join_links.all())
        first = min((link.first_joined_at for link in links if link.first_joined_at), default=None)
        writerow(
            [
                registration.name,
                registration.email,
                registration.get_status_display(),
                _local(registration.created_at, zone),
                _local(registration.confirmed_at, zone),
                getattr(registration, "waitlist_position", None) or "",
                *[answer_display(q, registration.answers.get(str(q.pk)), language) for q in questions],
                _local(first, zone),
                sum(link.join_count for link in links),
            ]
        )
