"""What a typed number or date may be. Python's dates run from year 1 to 9999 and the databases'
integers to 2³¹ or 2⁶³, but turning an extreme date into a UTC instant, adding a day to it, or
storing a 30-digit number fails with an exception, not a form error. Every date a person types
(catalogue filters, schedules, registration windows) and every number an organiser sets is
checked against these bounds in the form, and again in the model's validation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# The personal join link opens at most a day before the start.
JOIN_OPENS_MAX_MINUTES = 24 * 60
# More seats than any online event of the music field, and far below the columns' limits.
CAPACITY_MAX = 100_000


def date_out_of_range_message() -> str:
    return _("Velg en dato mellom år %(first)d og %(last)d.") % {
        "first": EARLIEST_DATE.year,
        "last": LATEST_DATE.year,
    }


# A wall-clock time inside the range, in any zone (UTC−12 to UTC+14), is an instant inside these.
EARLIEST_INSTANT = datetime.combine(EARLIEST_DATE, time.min, tzinfo=UTC) - timedelta(days=1)
LATEST_INSTANT = datetime.combine(LATEST_DATE, time.min, tzinfo=UTC) + timedelta(days=2)


def validate_date_in_range(value: date | datetime | None) -> None:
    """A date, or a wall-clock (naive) date and time, within the range; an instant (aware)
    within the range in some zone."""
    if value is None:
        return
    if isinstance(value, datetime) and value.tzinfo is not None:
        inside = EARLIEST_INSTANT <= value < LATEST_INSTANT
    else:
        inside = EARLIEST_DATE <= (value.date() if isinstance(value, datetime) else value) <= LATEST_DATE
    if not inside:
        raise ValidationError(date_out_of_range_message(), code="date_out_of_range")


class BoundedDateField(forms.DateField):
    default_validators = [validate_date_in_range]

    def widget_attrs(self, widget):
        # The browser's date picker offers only the dates the server takes.
        return {**super().widget_attrs(widget), "min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}


class BoundedDateTimeField(forms.DateTimeField):
    default_validators = [validate_date_in_range]

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "min": f"{EARLIEST_DATE}T00:00", "max": f"{LATEST_DATE}T23:59"}


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
