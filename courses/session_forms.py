"""The course form's sessions: rows of date, times and title that the organiser fills in or
generates as a series ("hver tirsdag kl. 18, 4 ganger") and can edit before saving. Sessions are
in Norwegian time, as the course's registration window is."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from accounts.text import PlainLineField
from webinars.bounds import BoundedDateField
from webinars.forms import DateInput, TimeInput, nonexistent_message
from webinars.models import stream_url_validator
from webinars.zones import DEFAULT_ZONE, AmbiguousTime, NonExistentTime, local_to_utc

# A course of more than a year of weekly sessions is not something one form should make.
MAX_SESSIONS = 52
INTERVALS = [("7", _("Hver uke")), ("14", _("Annenhver uke")), ("custom", _("Egendefinert"))]


class SessionRowForm(forms.Form):
    starts_on = BoundedDateField(label=_("Dato"), widget=DateInput())
    starts_time = forms.TimeField(label=_("Starter kl."), widget=TimeInput())
    ends_time = forms.TimeField(label=_("Slutter kl."), widget=TimeInput())
    title = PlainLineField(label=_("Tittel"), max_length=200)

    def clean(self):
        data = super().clean()
        day, start, end = data.get("starts_on"), data.get("starts_time"), data.get("ends_time")
        if not (day and start and end):
            return data
        times = {}
        for name, clock in (("starts_time", start), ("ends_time", end)):
            try:
                times[name] = local_to_utc(day, clock, DEFAULT_ZONE)
            except NonExistentTime:
                self.add_error(name, nonexistent_message(day, clock, DEFAULT_ZONE))
            except AmbiguousTime:
                self.add_error(
                    name, _("Klokkeslettet finnes to ganger denne natta (klokka stilles tilbake). Velg et annet.")
                )
        if len(times) == 2:
            if times["ends_time"] <= times["starts_time"]:
                self.add_error("ends_time", _("Slutttidspunktet må være etter starttidspunktet."))
            else:
                data["starts_at"], data["ends_at"] = times["starts_time"], times["ends_time"]
        return data


class BaseSessionRowFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        starts = [row["starts_at"] for row in rows]
        if len(set(starts)) != len(starts):
            raise ValidationError(_("To økter starter på samme tidspunkt. Endre eller fjern den ene."))

    def sessions(self) -> list[dict]:
        """The rows to save, in order of time: title, starts_at, ends_at (UTC)."""
        rows = [
            {
                "title": f.cleaned_data["title"],
                "starts_at": f.cleaned_data["starts_at"],
                "ends_at": f.cleaned_data["ends_at"],
            }
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        return sorted(rows, key=lambda row: row["starts_at"])

    def rows_kept(self) -> list[dict]:
        """The rows as typed (valid or not), without those ticked for removal: what the page
        shows again after adding rows."""
        kept = []
        for form in self.forms:
            if form.data.get(form.add_prefix("DELETE")):
                continue
            kept.append({name: form.data.get(form.add_prefix(name), "") for name in SessionRowForm.base_fields})
        return kept


SessionRowFormSet = formset_factory(
    SessionRowForm,
    formset=BaseSessionRowFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_SESSIONS,
    validate_max=True,
    absolute_max=MAX_SESSIONS,
)


class SeriesForm(forms.Form):
    """A series of sessions at the same time of day: the first date, how often, how many."""

    first_on = BoundedDateField(label=_("Første dato"), widget=DateInput())
    starts_time = forms.TimeField(label=_("Starter kl."), widget=TimeInput(), initial="18:00")
    ends_time = forms.TimeField(label=_("Slutter kl."), widget=TimeInput(), initial="19:30")
    interval = forms.ChoiceField(label=_("Hvor ofte"), choices=INTERVALS, initial="7")
    every_days = forms.IntegerField(
        label=_("Antall dager mellom øktene"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Bare for «Egendefinert»."),
    )
    count = forms.IntegerField(label=_("Antall økter"), min_value=1, max_value=MAX_SESSIONS, initial=4)
    title = PlainLineField(
        label=_("Tittel på øktene"),
        max_length=180,
        initial=_("Økt"),
        help_text=_("Øktene får nummer etter tittelen: «Økt 1», «Økt 2» …"),
    )

    def clean(self):
        data = super().clean()
        if data.get("interval") == "custom" and not data.get("every_days"):
            self.add_error("every_days", _("Skriv hvor mange dager det skal gå mellom øktene."))
        return data

    def days(self) -> list[date]:
        data = self.cleaned_data
        step = data["every_days"] if data["interval"] == "custom" else int(data["interval"])
        return [data["first_on"] + timedelta(days=step * i) for i in range(data["count"])]

    def rows(self, *, first_number: int) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "starts_on": day.isoformat(),
                "starts_time": data["starts_time"].strftime("%H:%M"),
                "ends_time": data["ends_time"].strftime("%H:%M"),
                "title": f"{data['title']} {first_number + i}",
            }
            for i, day in enumerate(self.days())
        ]

    def description(self) -> str:
        """What was made, in words: "hver tirsdag kl. 18:00, 4 ganger"."""
        data = self.cleaned_data
        # Translators: PHP-style weekday name, e.g. "tirsdag".
        weekday = dateformat.format(data["first_on"], pgettext("weekday format", "l"))
        values = {"weekday": weekday, "time": data["starts_time"].strftime("%H:%M"), "count": data["count"]}
        if data["interval"] == "7":
            return _("hver %(weekday)s kl. %(time)s, %(count)d ganger") % values
        if data["interval"] == "14":
            return _("annenhver %(weekday)s kl. %(time)s, %(count)d ganger") % values
        return _("hver %(days)d. dag kl. %(time)s, %(count)d ganger") % {**values, "days": data["every_days"]}


class SessionDefaultsForm(forms.Form):
    """What every new session of the course gets."""

    stream_url = forms.URLField(
        label=_("Strømmelenke for øktene"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[stream_url_validator],
        help_text=_("Valgfri. Kan endres for hver økt senere. Den vises aldri offentlig."),
    )
