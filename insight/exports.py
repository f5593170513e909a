"""The national export for a period: the same figures as the national view, per office, per
topic and per offering, as CSV (one table, a `nivå` column says which) and as XLSX (one sheet
each), written with openpyxl."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from insight.figures import Figures, Row
from insight.periods import Period
from registrations.exports import csv_safe


def _headings() -> list[str]:
    return [
        _("Påmeldinger"),
        _("Unike personer"),
        _("Bekreftet"),
        _("Deltok"),
        _("Oppmøte (%)"),
        _("Uteble"),
        _("Fra venteliste"),
        _("Avmeldt"),
    ]


def _numbers(row: Row) -> list:
    rate = row.attendance_rate
    return [
        row.registrations,
        row.people,
        row.confirmed,
        row.attended,
        round(rate * 100, 1) if rate is not None else "",
        row.no_shows,
        row.conversions,
        row.cancellations,
    ]


def _tables(*, figures: Figures, offices: list[Row], topics: list[Row]) -> dict[str, tuple[list, list]]:
    head = _headings()
    total = [[_("Alle kontorer"), *_numbers(figures.total)]]
    return {
        _("Kontorer"): ([_("Kontor"), *head], [[row.label, *_numbers(row)] for row in offices] + total),
        _("Temaer"): ([_("Tema"), *head], [[row.label, *_numbers(row)] for row in topics]),
        _("Tilbud"): (
            [_("Kontor"), _("Tilbud"), _("Type"), _("Første økt"), *head, *(c.label for c in figures.extra_columns)],
            [
                [
                    row.office,
                    row.label,
                    row.kind,
                    row.starts_at.date().isoformat() if row.starts_at else "",
                    *_numbers(row),
                    *(row.extra.get(c.key) or "" for c in figures.extra_columns),
                ]
                for row in figures.offerings
            ],
        ),
    }


def csv_text(*, period: Period, figures: Figures, offices: list[Row], topics: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Periode"), period.first.isoformat(), period.last.isoformat()])
    for level, (head, rows) in _tables(figures=figures, offices=offices, topics=topics).items():
        writer.writerow([])
        writer.writerow([_("Nivå"), *head])
        for row in rows:
            writer.writerow([level, *(csv_safe(v) if isinstance(v, str) else v for v in row)])
    return out.getvalue()


def xlsx_bytes(*, period: Period, figures: Figures, offices: list[Row], topics: list[Row]) -> bytes:
    from openpyxl import Workbook  # imported when an export is made: the web and worker processes stay small

    book = Workbook(write_only=True)
    for level, (head, rows) in _tables(figures=figures, offices=offices, topics=topics).items():
        sheet = book.create_sheet(title=level[:31])
        sheet.append([_("Periode"), period.first.isoformat(), period.last.isoformat()])
        sheet.append(head)
        for row in rows:
            # Titles are organisers' text: a leading "=" must stay text, not become a formula.
            sheet.append([csv_safe(v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
