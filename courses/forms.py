from django import forms
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from accounts.ids import BoundedModelMultipleChoiceField
from accounts.permissions import managed_organisations
from accounts.text import PlainLineField
from webinars.forms import (
    LocalDateTimeField,
    capacity_field,
    clean_offering_capacity,
    local_datetime_to_utc,
    privacy_note_fields,
    privacy_note_initial,
)
from webinars.models import Course
from webinars.vocabulary import vocabulary_choices
from webinars.zones import DEFAULT_ZONE, utc_to_local


class CourseForm(forms.ModelForm):
    capacity = capacity_field()
    registration_opens_at = LocalDateTimeField(label=_("Påmelding åpner (norsk tid)"), required=False)
    registration_closes_at = LocalDateTimeField(label=_("Påmelding stenger (norsk tid)"), required=False)
    certificate_threshold = forms.IntegerField(
        label=_("Oppmøte for kursbevis (prosent av øktene)"),
        min_value=1,
        max_value=100,
        initial=75,
        required=False,
        help_text=_(
            "Deltakere som var med på minst så stor del av øktene, kan laste ned kursbevis. Tomt beholder verdien (75 for et nytt kurs)."
        ),
    )
    privacy_note, privacy_note_en = privacy_note_fields()

    class Meta:
        model = Course
        fields = [
            "organisation",
            "title",
            "slug",
            "summary",
            "description",
            "language",
            "topics",
            "audiences",
            "featured",
        ]
        field_classes = {
            "title": PlainLineField,
            "topics": BoundedModelMultipleChoiceField,
            "audiences": BoundedModelMultipleChoiceField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "topics": forms.CheckboxSelectMultiple,
            "audiences": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = managed_organisations(user)
        self.fields["organisation"].empty_label = None
        vocabulary_choices(self)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Delen av nettadressen etter /kurs/. Tom lager en av tittelen.")
        if self.instance.pk:
            offering = self.instance.offering
            self.initial["capacity"] = offering.capacity
            self.initial["certificate_threshold"] = offering.certificate_threshold
            privacy_note_initial(self, offering)
            for field in ("registration_opens_at", "registration_closes_at"):
                value = getattr(offering, field)
                if value:
                    self.initial[field] = utc_to_local(value, DEFAULT_ZONE).replace(tzinfo=None)

    def clean_capacity(self):
        return clean_offering_capacity(self)

    def clean(self):
        data = super().clean()
        opens = local_datetime_to_utc(self, "registration_opens_at", DEFAULT_ZONE)
        closes = local_datetime_to_utc(self, "registration_closes_at", DEFAULT_ZONE)
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Påmeldingen må stenge etter at den åpner."))
        data["registration_opens_at_utc"], data["registration_closes_at_utc"] = opens, closes
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {name: data[name] for name in self.Meta.fields}
        kwargs["topics"] = list(kwargs["topics"])
        kwargs["audiences"] = list(kwargs["audiences"])
        kwargs["capacity"] = data["capacity"]
        if data.get("certificate_threshold") is not None:
            kwargs["certificate_threshold"] = data["certificate_threshold"]
        kwargs["registration_opens_at"] = data["registration_opens_at_utc"]
        kwargs["registration_closes_at"] = data["registration_closes_at_utc"]
        kwargs["privacy_note"] = data["privacy_note"]
        kwargs["privacy_note_en"] = data["privacy_note_en"]
        return kwargs

    def _post_clean(self):
        # Model validation runs in the service; only the unique slug is checked here.
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        self.validate_unique()
