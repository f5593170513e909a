"""What a typed number or date may be. Python's dates run from year 1 to 9999 and the databases'
integers to 2³¹ or 2⁶³, but turning an extreme date into a UTC instant, adding a day to it, or
storing a 30-digit number fails with an exception, not a form error. Every date a person types
(catalogue filters, schedules, registration windows) and every number an organiser sets is
checked against these bounds in the form, and again in the model's validation. Ids read from
a request are checked in accounts/ids.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
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
