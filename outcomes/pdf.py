"""The course certificate as a PDF, drawn with fpdf2 (pure Python) in DejaVu Sans, a free
Unicode font bundled in outcomes/fonts/ (licence there), so æ, ø and å render. The texts come
from the certificate's record in the active language; the verification address is printed in
full so it can be typed from paper."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from outcomes.models import Certificate

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSans"
# fontTools reports every table it drops while subsetting the font: noise in the logs.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


def verification_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("certificate_verify", args=[certificate.code])


def day_text(day) -> str:
    return dateformat.format(day, pgettext("certificate date format", "j. F Y"))


def hours_text(certificate: Certificate) -> str:
    hours = formats.number_format(certificate.hours, decimal_pos=1 if certificate.minutes % 60 else 0)
    # "1 time", but "1,5 timer" and "2 timer".
    return ngettext("%(hours)s time", "%(hours)s timer", 1 if certificate.minutes == 60 else 2) % {"hours": hours}


def period_text(certificate: Certificate) -> str:
    if certificate.first_day == certificate.last_day:
        return day_text(certificate.first_day)
    return _("%(first)s – %(last)s") % {
        "first": day_text(certificate.first_day),
        "last": day_text(certificate.last_day),
    }


def certificate_lines(certificate: Certificate) -> dict[str, str]:
    """What the certificate says, in the active language (the PDF and the verification page)."""
    return {
        "heading": _("Kursbevis"),
        "name": certificate.name,
        "completed": _("har gjennomført kurset"),
        "course": certificate.course_title,
        "office": _("arrangert av %(office)s") % {"office": certificate.office_name},
        "period": period_text(certificate),
        "hours": _("Omfang: %(hours)s (deltok på %(attended)s av %(total)s økter)")
        % {
            "hours": hours_text(certificate),
            "attended": certificate.sessions_attended,
            "total": certificate.sessions_total,
        },
        "verify": _("Kontroller kursbeviset:"),
        "url": verification_url(certificate),
    }


def certificate_pdf(certificate: Certificate, *, language: str) -> bytes:
    # fpdf2 (with fontTools) is imported when a certificate is made, not with the URLs: it
    # would add about 45 MB to every web and worker process.
    from fpdf import FPDF

    with translation.override(language):
        lines = certificate_lines(certificate)
        pdf = FPDF(orientation="landscape", format="A4")
        pdf.set_creation_date(certificate.issued_at)  # the same certificate gives the same dates
        pdf.set_title(f"{lines['heading']}: {certificate.course_title}")
        pdf.set_author(certificate.office_name)
        pdf.set_creator(settings.PLATFORM_NAME)
        pdf.set_lang(language)
        pdf.add_font(FAMILY, "", FONTS / "DejaVuSans.ttf")
        pdf.add_font(FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
        pdf.set_auto_page_break(False)
        pdf.add_page()
        width = pdf.epw
        pdf.set_draw_color(26, 79, 139)
        pdf.set_line_width(1.2)
        pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
        pdf.set_y(32)
        pdf.set_font(FAMILY, "B", 34)
        pdf.cell(width, 16, lines["heading"], align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)
        pdf.set_font(FAMILY, "B", 24)
        pdf.multi_cell(width, 12, lines["name"], align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 14)
        pdf.cell(width, 10, lines["completed"], align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "B", 20)
        pdf.multi_cell(width, 11, lines["course"], align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 14)
        for key in ("office", "period", "hours"):
            pdf.multi_cell(width, 9, lines[key], align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(pdf.h - 40)
        pdf.set_font(FAMILY, "", 10)
        pdf.cell(width, 6, lines["verify"], align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(width, 6, lines["url"], align="C", link=lines["url"], new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())
