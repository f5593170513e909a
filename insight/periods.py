"""The period a dashboard shows: a preset (this quarter, last quarter, this year) or a custom
range of dates, read from the query string and validated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

OSLO = ZoneInfo("Europe/Oslo")
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    first: date  # inclusive
    last: date  # inclusive

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=OSLO)

    @property
    def ends_at(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=OSLO)


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def preset_period(preset: str, today: date) -> Period:
    if preset == "forrige-kvartal":
        this = _quarter_start(today)
        first = _quarter_start(this - timedelta(days=1))
        return Period(first, this - timedelta(days=1))
    if preset == "ar":
        return Period(date(today.year, 1, 1), date(today.year, 12, 31))
    first = _quarter_start(today)
    next_quarter = _quarter_start(first + timedelta(days=95))
    return Period(first, next_quarter - timedelta(days=1))


class PeriodForm(forms.Form):
    PRESETS = [
        ("kvartal", _("Dette kvartalet")),
        ("forrige-kvartal", _("Forrige kvartal")),
        ("ar", _("I år")),
        ("egen", _("Egendefinert")),
    ]
    periode = forms.ChoiceField(label=_("Periode"), choices=PRESETS, required=False)
    fra = forms.DateField(
        label=_("Fra og med"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    til = forms.DateField(
        label=_("Til og med"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "periode" else "form-control"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("periode") == "egen":
            first, last = cleaned.get("fra"), cleaned.get("til")
            if not first or not last:
                raise forms.ValidationError(_("Velg både fra-dato og til-dato for en egendefinert periode."))
            if first > last:
                raise forms.ValidationError(_("Fra-datoen må være før eller lik til-datoen."))
            if (last - first).days > MAX_DAYS:
                raise forms.ValidationError(_("Perioden kan være høyst tre år."))
        return cleaned

    def period(self) -> Period:
        """The chosen period; this quarter when nothing (valid) was chosen."""
        today = timezone.localdate(timezone=OSLO)
        if not self.is_bound or not self.is_valid():
            return preset_period("kvartal", today)
        if self.cleaned_data.get("periode") == "egen":
            return Period(self.cleaned_data["fra"], self.cleaned_data["til"])
        return preset_period(self.cleaned_data.get("periode") or "kvartal", today)


def period_form(query) -> PeriodForm:
    """Bound only when the query string chose something, so a first visit shows no errors."""
    if any(key in query for key in ("periode", "fra", "til")):
        return PeriodForm(query)
    return PeriodForm(initial={"periode": "kvartal"})
