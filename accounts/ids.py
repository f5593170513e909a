"""Ids and numbers a view or a form reads straight from a request. The databases' id columns
hold 64-bit numbers; a longer one must be refused before a query is built (SQLite's driver
raises OverflowError on it, Python's int() refuses more than 4300 digits), and str.isdigit()
accepts "²", which int() does not."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field for a list of ids, which refuses an id no column can hold before asking
    the database: SQLite's driver raises OverflowError on a 30-digit id instead of finding
    nothing. Use it for every many-to-many a form posts (ModelForm's Meta.field_classes)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        meta = self.queryset.model._meta
        field = meta.pk if key == "pk" else meta.get_field(key)
        if isinstance(field, models.IntegerField):  # the automatic id fields are integer fields
            low, high = connections[self.queryset.db].ops.integer_field_range(field.get_internal_type())
            for item in value:  # clean() has checked it is a list
                try:
                    number = int(item)
                except (TypeError, ValueError):
                    continue  # Django's own check refuses it
                if not low <= number <= high:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                    )
        return super()._check_values(value)


# The largest id of an automatic primary key (a 64-bit column on both databases).
ID_MAX = 2**63 - 1


def whole_number(text: str, *, maximum: int = ID_MAX) -> int | None:
    """`text` as a non-negative whole number no larger than `maximum`, or None. For values a
    view reads straight from a request: str.isdigit() accepts "²", which int() refuses, and
    int() refuses numbers of more than 4300 digits."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if number <= maximum else None
