"""Checks for uploaded documents: the extension, the file's own signature and its size.

Django's multipart parser already strips directory parts from an upload's name; a name
that still carries a separator or `..` (a crafted request, a file handed over by other
code) is refused outright rather than cleaned, so the person sees what happened.
"""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension → the bytes such a file starts with (PDF header; zip container for OOXML and ODF).
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".pptx": (b"PK\x03\x04",),
    ".odp": (b"PK\x03\x04",),
}


def validate_document(upload) -> None:
    name = upload.name or ""
    if "/" in name or "\\" in name or ".." in name or any(not ch.isprintable() for ch in name):
        raise ValidationError(
            _("Filnavnet «%(name)s» inneholder mappeskille eller «..». Gi filen et vanlig navn og prøv igjen."),
            code="bad_name",
            params={"name": name},
        )
    suffix = PurePath(name).suffix.lower()
    if suffix not in SIGNATURES:
        raise ValidationError(
            _("Bare PDF (.pdf) og presentasjoner (.pptx, .odp) kan lastes opp."),
            code="bad_type",
        )
    limit = settings.LIBRARY_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Filen er for stor (%(size)s). Største tillatte størrelse er %(limit)s."),
            code="too_big",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SIGNATURES[suffix]):
        raise ValidationError(
            _("Innholdet i filen stemmer ikke med filtypen %(suffix)s. Last opp en ekte PDF- eller presentasjonsfil."),
            code="bad_signature",
            params={"suffix": suffix},
        )
