from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, slug_re
from django.db import models
from django.db.models import Q
from django.forms.models import construct_instance
from django.http import QueryDict
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from accounts.ids import BoundedModelMultipleChoiceField, whole_number
from accounts.models import Organisation
from accounts.permissions import managed_organisations
from accounts.text import PlainLineField, PlainTextField, plain_line
from webinars.bounds import CAPACITY_MAX, JOIN_OPENS_MAX_MINUTES, BoundedDateField, BoundedDateTimeField
from webinars.models import PRIVACY_NOTE_MAX, Audience, Session, Topic, join_opens_message
from webinars.services import validate_capacity
from webinars.vocabulary import vocabulary_choices
from webinars.zones import (
    DEFAULT_ZONE,
    AmbiguousTime,
    NonExistentTime,
    get_zone,
    is_valid_zone,
    local_to_utc,
    picker_zone,
    picker_zones,
    utc_to_local,
    zone_label,
)

FOLD_CHOICES = [
    ("", _("Ikke aktuelt")),
    ("0", _("Første gang (sommertid)")),
    ("1", _("Andre gang (vintertid)")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ZoneInput(forms.TextInput):
    """A text field with the zones as a <datalist>: browsers filter the list as one types, and
    without a list (or JavaScript) the zone can still be typed."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs'].get('id', name)}-list"
        return context

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        list_id = f"{(attrs or {}).get('id', name)}-list"
        options = format_html_join("", '<option value="{}">{}</option>', ((z, zone_label(z)) for z in picker_zones()))
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, options)


class ZoneField(forms.CharField):
    """An IANA zone from the picker's list (webinars.zones.picker_zones). A session keeps a
    zone it already has even when the list no longer offers it."""

    widget = ZoneInput

    def __init__(self, *, keep: str | None = None, **kwargs):
        super().__init__(max_length=64, **kwargs)
        self.keep = keep

    def clean(self, value):
        text = super().clean(value)
        if self.keep and text == self.keep:
            return text
        zone = picker_zone(text)
        if zone is None or not is_valid_zone(zone):
            raise ValidationError(
                _("«%(zone)s» er ikke en tidssone vi kjenner. Velg fra lista, for eksempel Europe/Oslo.")
                % {"zone": text[:64]}
            )
        return zone


class LocalDateTimeField(BoundedDateTimeField):
    """A wall-clock date and time, left naive: the session's zone, not the server's,
    decides what instant it is."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        with timezone.override(UTC):
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result else result


def _day_text(day: date) -> str:
    # Translators: PHP-style date format in the time-change errors, e.g. "28. mars 2027".
    return dateformat.format(day, pgettext("form error date format", "j. F Y"))


def nonexistent_message(day: date, clock, zone: str) -> str:
    return _(
        "Klokkeslettet %(time)s finnes ikke den %(date)s i %(zone)s fordi klokka stilles fram den natta. "
        "Velg et annet klokkeslett."
    ) % {"time": clock.strftime("%H:%M"), "date": _day_text(day), "zone": zone}


def ambiguous_message(day: date, clock, zone: str) -> str:
    return _(
        "Klokkeslettet %(time)s finnes to ganger den %(date)s i %(zone)s fordi klokka stilles tilbake den natta. "
        "Velg om du mener første gang (sommertid) eller andre gang (vintertid)."
    ) % {"time": clock.strftime("%H:%M"), "date": _day_text(day), "zone": zone}


class ScheduleForm(forms.Form):
    """Start and end as local date and time in the session's zone, with the two DST traps handled."""

    starts_on = BoundedDateField(label=_("Dato"), widget=DateInput())
    starts_time = forms.TimeField(label=_("Starter kl."), widget=TimeInput())
    starts_fold = forms.ChoiceField(
        label=_("Hvis starttiden finnes to ganger (natta klokka stilles tilbake)"),
        choices=FOLD_CHOICES,
        required=False,
    )
    ends_on = BoundedDateField(
        label=_("Sluttdato"), widget=DateInput(), required=False, help_text=_("Tom betyr samme dag som start.")
    )
    ends_time = forms.TimeField(label=_("Slutter kl."), widget=TimeInput())
    ends_fold = forms.ChoiceField(
        label=_("Hvis sluttiden finnes to ganger (natta klokka stilles tilbake)"),
        choices=FOLD_CHOICES,
        required=False,
    )

    FOLD_FIELDS = ("starts_fold", "ends_fold")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.hide_unneeded_folds()

    def hide_unneeded_folds(self) -> None:
        """The "which of the two" choice is shown only for a time that exists twice: when the
        submitted time turned out to be ambiguous (its error is on the field), a choice was
        already made, or the saved time lies in the repeated hour. Otherwise it is a hidden,
        empty field, and nobody reads about the night the clocks go back."""
        for name in self.FOLD_FIELDS:
            if name not in self.fields:
                continue
            if self.is_bound:
                needed = bool(self.data.get(name)) or (self._errors is not None and name in self._errors)
            else:
                needed = bool(self.initial.get(name))
            if not needed:
                self.fields[name].widget = forms.HiddenInput()
            else:
                self.fields[name].widget = forms.Select(choices=FOLD_CHOICES)

    def full_clean(self):
        super().full_clean()
        self.hide_unneeded_folds()

    def set_schedule_initial(self, starts_at: datetime, ends_at: datetime, zone: str) -> None:
        start, end = utc_to_local(starts_at, zone), utc_to_local(ends_at, zone)
        self.initial.update(
            starts_on=start.date(),
            starts_time=start.time().replace(tzinfo=None),
            ends_time=end.time().replace(tzinfo=None),
            ends_on=end.date() if end.date() != start.date() else None,
            # Keep an edit of a time in the repeated hour where it was.
            starts_fold=str(start.fold) if start.utcoffset() != start.replace(fold=1 - start.fold).utcoffset() else "",
            ends_fold=str(end.fold) if end.utcoffset() != end.replace(fold=1 - end.fold).utcoffset() else "",
        )

    def clean_schedule(self, zone: str) -> None:
        data = self.cleaned_data
        instants = {}
        for prefix in ("starts", "ends"):
            day = data.get(f"{prefix}_on") or (data.get("starts_on") if prefix == "ends" else None)
            clock = data.get(f"{prefix}_time")
            if not day or not clock:
                return
            fold = data.get(f"{prefix}_fold")
            try:
                instants[prefix] = local_to_utc(day, clock, zone, int(fold) if fold else None)
            except NonExistentTime:
                self.add_error(f"{prefix}_time", nonexistent_message(day, clock, zone))
            except AmbiguousTime:
                self.add_error(f"{prefix}_fold", ambiguous_message(day, clock, zone))
        if len(instants) == 2:
            if instants["ends"] <= instants["starts"]:
                self.add_error("ends_time", _("Slutttidspunktet må være etter starttidspunktet."))
            else:
                data["starts_at"], data["ends_at"] = instants["starts"], instants["ends"]


def local_datetime_to_utc(form: forms.Form, field: str, zone: str) -> datetime | None:
    value = form.cleaned_data.get(field)
    if not value:
        return None
    try:
        # In the repeated autumn hour, a registration deadline means the first occurrence.
        return local_to_utc(value.date(), value.time(), zone, fold=0)
    except NonExistentTime:
        form.add_error(field, nonexistent_message(value.date(), value.time(), zone))
        return None


class SpeakersField(forms.CharField):
    """One speaker per line: "Navn | kort presentasjon"."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        speakers = []
        for line in text.splitlines():
            name, _sep, bio = (plain_line(part) for part in line.partition("|"))
            if name:
                if len(name) > 150 or len(bio) > 500:
                    raise ValidationError(_("Navn kan ha høyst 150 tegn og presentasjonen høyst 500."))
                speakers.append((name, bio))
        return speakers


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def capacity_field() -> forms.IntegerField:
    # No min_value: clean_capacity gives the clearer message for a negative number.
    return forms.IntegerField(
        label=_("Antall plasser"), required=False, max_value=CAPACITY_MAX, help_text=_("Tom betyr ubegrenset.")
    )


def privacy_note_fields() -> tuple[PlainTextField, PlainTextField]:
    """The office's privacy note of an offering (webinars' and courses' forms), in Bokmål and
    in English: plain text, shown beside the consent and on the privacy notice."""
    return (
        PlainTextField(
            label=_("Kontorets personvernmerknad"),
            max_length=PRIVACY_NOTE_MAX,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_(
                "Valgfritt. Vises ved samtykket i påmeldingsskjemaet og i personvernerklæringen for dette "
                "tilbudet, for eksempel hvem ved kontoret som kan svare, eller hva svarene brukes til. Ren tekst."
            ),
        ),
        PlainTextField(
            label=_("Kontorets personvernmerknad på engelsk"),
            max_length=PRIVACY_NOTE_MAX,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Vises på engelske sider. Tom viser den norske."),
        ),
    )


def privacy_note_initial(form, offering) -> None:
    form.initial["privacy_note"] = offering.privacy_note
    form.initial["privacy_note_en"] = offering.privacy_note_en


def clean_offering_capacity(form) -> int | None:
    """The capacity field of a session's or a course's form, checked against the seats taken."""
    capacity = form.cleaned_data.get("capacity")
    if capacity is not None and capacity < 0:
        raise ValidationError(_("Antall plasser kan ikke være negativt."))
    if form.instance.pk:
        try:
            validate_capacity(form.instance.offering, capacity)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["capacity"]) from exc
    return capacity


class SessionForm(ScheduleForm, forms.ModelForm):
    capacity = capacity_field()
    registration_opens_at = LocalDateTimeField(label=_("Påmelding åpner"), required=False)
    registration_closes_at = LocalDateTimeField(label=_("Påmelding stenger"), required=False)
    timezone = ZoneField(
        label=_("Tidssone"),
        initial=DEFAULT_ZONE,
        help_text=_("Skriv for å søke, for eksempel «London» eller «New York»."),
    )
    privacy_note, privacy_note_en = privacy_note_fields()
    speakers = SpeakersField(
        label=_("Foredragsholdere"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Én per linje: Navn | kort presentasjon"),
    )

    class Meta:
        model = Session
        # ModelForm reads the callback from Meta, not from the form class.
        formfield_callback = _formfield
        fields = [
            "organisation",
            "cohosts",
            "title",
            "slug",
            "summary",
            "description",
            "language",
            "topics",
            "audiences",
            "stream_url",
            "join_opens_minutes",
        ]
        field_classes = {
            "title": PlainLineField,
            "cohosts": BoundedModelMultipleChoiceField,
            "topics": BoundedModelMultipleChoiceField,
            "audiences": BoundedModelMultipleChoiceField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "cohosts": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
            "audiences": forms.CheckboxSelectMultiple,
        }

    field_order = [
        "organisation",
        "title",
        "slug",
        "summary",
        "description",
        "timezone",
        "starts_on",
        "starts_time",
        "starts_fold",
        "ends_on",
        "ends_time",
        "ends_fold",
        "language",
        "topics",
        "audiences",
        "speakers",
        "cohosts",
        "stream_url",
        "join_opens_minutes",
        "capacity",
        "registration_opens_at",
        "registration_closes_at",
        "privacy_note",
        "privacy_note_en",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = managed_organisations(user)
        self.fields["organisation"].empty_label = None
        self.fields["cohosts"].queryset = Organisation.objects.all()
        vocabulary_choices(self)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Delen av nettadressen etter /webinarer/. Tom lager en av tittelen.")
        join_opens = self.fields["join_opens_minutes"]
        join_opens.validators.append(MaxValueValidator(JOIN_OPENS_MAX_MINUTES, message=join_opens_message()))
        join_opens.widget.attrs["max"] = JOIN_OPENS_MAX_MINUTES
        self.fields["stream_url"].help_text = _(
            "Zoom-, Teams-, YouTube- eller annen lenke. Den vises aldri offentlig; påmeldte får en personlig "
            "deltakerlenke."
        )
        instance = self.instance
        if instance.pk:
            zone = instance.timezone
            self.initial["timezone"] = zone
            self.initial["capacity"] = instance.offering.capacity
            privacy_note_initial(self, instance.offering)
            self.set_schedule_initial(instance.starts_at, instance.ends_at, zone)
            for field in ("registration_opens_at", "registration_closes_at"):
                value = getattr(instance.offering, field)
                self.initial[field] = utc_to_local(value, zone).replace(tzinfo=None) if value else None
            self.initial["speakers"] = "\n".join(
                f"{s.name} | {s.bio}" if s.bio else s.name for s in instance.speakers.all()
            )
            self.fields["timezone"].keep = zone
        self.hide_unneeded_folds()

    def clean_capacity(self):
        return clean_offering_capacity(self)

    def clean(self):
        data = super().clean()
        zone = data.get("timezone")
        if not zone:
            return data
        self.clean_schedule(zone)
        opens = local_datetime_to_utc(self, "registration_opens_at", zone)
        closes = local_datetime_to_utc(self, "registration_closes_at", zone)
        data["registration_opens_at_utc"], data["registration_closes_at_utc"] = opens, closes
        ends_at = data.get("ends_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Påmeldingen må stenge etter at den åpner."))
        if ends_at and opens and opens >= ends_at:
            self.add_error("registration_opens_at", _("Påmeldingen må åpne før webinaret er slutt."))
        if ends_at and closes and closes > ends_at:
            self.add_error("registration_closes_at", _("Påmeldingen kan ikke stenge etter at webinaret er slutt."))
        return data

    def service_kwargs(self) -> dict:
        """What session_create/session_update take, from the cleaned form."""
        data = self.cleaned_data
        kwargs = {name: data[name] for name in self.Meta.fields}
        kwargs.update(
            timezone=data["timezone"],
            capacity=data["capacity"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            registration_opens_at=data["registration_opens_at_utc"],
            registration_closes_at=data["registration_closes_at_utc"],
            privacy_note=data["privacy_note"],
            privacy_note_en=data["privacy_note_en"],
            speakers=data["speakers"],
        )
        kwargs["topics"] = list(kwargs["topics"])
        kwargs["audiences"] = list(kwargs["audiences"])
        kwargs["cohosts"] = [o for o in kwargs["cohosts"] if o != data["organisation"]]
        return kwargs

    def _post_clean(self):
        # The model's own validation runs in the service with the UTC times in place;
        # here only the unique slug is checked so the error lands on its field.
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        self.validate_unique()


class RescheduleForm(ScheduleForm):
    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        if not self.is_bound:
            self.set_schedule_initial(session.starts_at, session.ends_at, session.timezone)

    def clean(self):
        data = super().clean()
        self.clean_schedule(self.session.timezone)
        unchanged = (data.get("starts_at"), data.get("ends_at")) == (self.session.starts_at, self.session.ends_at)
        if "starts_at" in data and unchanged:
            raise ValidationError(_("Det nye tidspunktet er det samme som det gamle."))
        return data


class DuplicateForm(forms.Form):
    title = PlainLineField(label=_("Tittel"), max_length=200)
    starts_on = BoundedDateField(label=_("Ny dato"), widget=DateInput())

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        local = utc_to_local(session.starts_at, session.timezone)
        self.initial.setdefault("title", session.title)
        self.initial.setdefault("starts_on", local.date() + timedelta(days=7))

    def clean(self):
        data = super().clean()
        if not data.get("starts_on"):
            return data
        local = utc_to_local(self.session.starts_at, self.session.timezone)
        clock = local.time().replace(tzinfo=None)
        try:
            # Same wall-clock time on the new day; the duration is kept.
            data["starts_at"] = local_to_utc(data["starts_on"], clock, self.session.timezone, fold=local.fold)
        except NonExistentTime:
            self.add_error("starts_on", nonexistent_message(data["starts_on"], clock, self.session.timezone))
        return data


# Far beyond any catalogue's last page (the paginator shows the last page for a larger number).
PAGE_MAX = 100_000
WHEN_CHOICES = [("", _("Når som helst")), ("uke", _("Denne uka")), ("maned", _("Denne måneden"))]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    kontor = forms.ModelChoiceField(
        label=_("Kontor"), queryset=Organisation.objects.none(), to_field_name="slug", required=False
    )
    tema = forms.ModelChoiceField(label=_("Tema"), queryset=Topic.objects.none(), to_field_name="slug", required=False)
    malgruppe = forms.ModelChoiceField(
        label=_("Målgruppe"), queryset=Audience.objects.none(), to_field_name="slug", required=False
    )
    sprak = forms.ChoiceField(label=_("Språk"), required=False)
    nar = forms.ChoiceField(label=_("Når"), choices=WHEN_CHOICES, required=False)
    fra = BoundedDateField(label=_("Fra dato"), required=False, widget=DateInput())
    til = BoundedDateField(label=_("Til dato"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["kontor"].queryset = Organisation.objects.all()
        self.fields["kontor"].empty_label = _("Alle kontor")
        vocabulary_choices(self, topics="tema", audiences="malgruppe")
        self.fields["tema"].empty_label = _("Alle temaer")
        self.fields["malgruppe"].empty_label = _("Alle målgrupper")
        self.fields["sprak"].choices = [("", _("Alle språk")), *settings.LANGUAGES]
        self.fields["kontor"].label_from_instance = lambda o: o.name
        # Rendered by hand (webinars/_filter_form.html): crispy is too slow for a page this busy.
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css

    @classmethod
    def canonical_query(cls, data: QueryDict) -> QueryDict | None:
        """What a catalogue list depends on, and so its cache key: the filters and the page
        number, each once (the last value, as the form reads it); unknown parameters dropped.
        None when a value is malformed (the page then shows the error, uncached). Checked
        without the database: an office, topic or audience only needs to look like a slug."""
        query = QueryDict(mutable=True)
        form = cls()
        for name in [*form.fields, "side"]:
            if name not in data:
                continue
            value = data[name]
            if name == "side":
                if value and whole_number(value, maximum=PAGE_MAX) is None:
                    return None
            elif isinstance(form.fields[name], forms.ModelChoiceField):
                if value and not (len(value) <= 100 and slug_re.fullmatch(value)):
                    return None
            else:
                try:
                    form.fields[name].clean(value)
                except ValidationError:
                    return None
            query[name] = value
        query._mutable = False
        return query

    def date_bounds(self, now: datetime) -> tuple[datetime | None, datetime | None]:
        """The [start, end) of the chosen period, as calendar days in Norway."""
        data = self.cleaned_data
        zone = get_zone(DEFAULT_ZONE)
        today = utc_to_local(now, DEFAULT_ZONE).date()
        start = end = None
        if data.get("nar") == "uke":
            start, end = today, today + timedelta(days=7 - today.weekday())
        elif data.get("nar") == "maned":
            start = today
            end = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        if data.get("fra"):
            start = max(start, data["fra"]) if start else data["fra"]
        if data.get("til"):
            until = data["til"] + timedelta(days=1)
            end = min(end, until) if end else until
        return (
            datetime.combine(start, datetime.min.time(), tzinfo=zone) if start else None,
            datetime.combine(end, datetime.min.time(), tzinfo=zone) if end else None,
        )

    def filter_sessions(self, sessions, now: datetime):
        data = self.cleaned_data
        if data.get("q"):
            sessions = sessions.search(data["q"])
        if data.get("kontor"):
            cohosted = Session.cohosts.through.objects.filter(organisation=data["kontor"]).values("session")
            sessions = sessions.filter(Q(organisation=data["kontor"]) | Q(pk__in=cohosted))
        sessions = self._filter_by_subject(sessions)
        start, end = self.date_bounds(now)
        if start:
            sessions = sessions.filter(ends_at__gte=start)
        if end:
            sessions = sessions.filter(starts_at__lt=end)
        return sessions

    def filter_courses(self, courses, now: datetime):
        data = self.cleaned_data
        if data.get("q"):
            courses = courses.search(data["q"])
        if data.get("kontor"):
            courses = courses.filter(organisation=data["kontor"])
        courses = self._filter_by_subject(courses)
        start, end = self.date_bounds(now)
        if start:
            courses = courses.filter(last_ends_at__gte=start)
        if end:
            courses = courses.filter(first_starts_at__lt=end)
        return courses

    def _filter_by_subject(self, queryset):
        """Topic, audience and language: the same fields on sessions and courses."""
        data = self.cleaned_data
        if data.get("tema"):
            queryset = queryset.filter(topics=data["tema"])
        if data.get("malgruppe"):
            queryset = queryset.filter(audiences=data["malgruppe"])
        if data.get("sprak"):
            queryset = queryset.filter(language=data["sprak"])
        return queryset


def error_summary(*forms: forms.BaseForm | None, rows: forms.BaseFormSet | None = None, row_label=None) -> list[dict]:
    """Every error of the page's forms, for the summary at its top: the field's label, the
    message and the field's id to link to (workspace/_error_summary.html). Rows of a formset
    are named by `row_label` ("Økt %(n)d")."""
    entries: list[dict] = []

    def add(form, prefix: str = "") -> None:
        for message in form.non_field_errors():
            entries.append({"href": "", "label": prefix.rstrip(": "), "message": message})
        for field in form.visible_fields():
            for message in field.errors:
                target = field.id_for_label or f"div_{field.auto_id}"
                entries.append({"href": f"#{target}", "label": f"{prefix}{field.label}", "message": message})

    for form in forms:
        if form is not None and form.is_bound:
            add(form)
    if rows is not None and rows.is_bound:
        for message in rows.non_form_errors():
            entries.append({"href": "", "label": "", "message": message})
        for n, form in enumerate(rows.forms, start=1):
            add(form, f"{row_label % {'n': n}}: " if row_label else "")
    return entries
