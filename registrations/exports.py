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


def export_columns(questions: list[Question], language: str) -> list[tuple[str, str, bool]]:
    """Every column an export can have: (key, heading, in the default export). A question
    marked sensitive is left out unless the organiser chooses it."""
    return [
        ("name", _("Navn"), True),
        ("email", _("E-post"), True),
        ("status", _("Status"), True),
        ("created", _("Registrert"), True),
        ("confirmed", _("Bekreftet"), True),
        ("waitlist", _("Plass på ventelisten"), True),
        *[(f"q{q.pk}", question_label(q, language), not q.sensitive) for q in questions],
        ("first_joined", _("Første innlogging"), True),
        ("join_count", _("Antall innlogginger"), True),
    ]


def registrations_csv_rows(
    out,
    *,
    offering,
    registrations: list[Registration],
    questions: list[Question],
    language: str | None = None,
    columns: list[str] | None = None,
) -> list[str]:
    """Write the registrations as CSV to `out`: UTF-8 with a BOM and `;` as separator,
    which is what Excel with Norwegian regional settings opens without asking.

    Everything, the organiser's questions and the answers' choices included, is in
    `language` (default: the request's, which the column headings follow too). Only the
    `columns` chosen (keys of `export_columns`; default: the default ones) are written, in
    their fixed order; returns the keys written."""
    language = language or translation.get_language() or "nb"
    available = export_columns(questions, language)
    chosen = set(columns) if columns else {key for key, _heading, default in available if default}
    keys = [key for key, _heading, _default in available if key in chosen]
    by_question = {f"q{q.pk}": q for q in questions}
    zone = ZoneInfo(getattr(offering, "timezone", "Europe/Oslo") or "Europe/Oslo")
    out.write("\ufeff")
    csv_writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")

    def writerow(values) -> None:
        # Every cell, headings included: an organiser's question label is a heading.
        csv_writer.writerow([csv_safe(value) for value in values])

    headings = {key: heading for key, heading, _default in available}
    writerow([headings[key] for key in keys])
    for registration in registrations:
        links = list(registration.join_links.all())
        first = min((link.first_joined_at for link in links if link.first_joined_at), default=None)
        cells = {
            "name": registration.name,
            "email": registration.email,
            "status": registration.get_status_display(),
            "created": _local(registration.created_at, zone),
            "confirmed": _local(registration.confirmed_at, zone),
            "waitlist": getattr(registration, "waitlist_position", None) or "",
            "first_joined": _local(first, zone),
            "join_count": sum(link.join_count for link in links),
        }
        for key, question in by_question.items():
            cells[key] = answer_display(question, registration.answers.get(str(question.pk)), language)
        writerow([cells[key] for key in keys])
    return keys
