from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.db import models
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.ids import BoundedModelMultipleChoiceField
from accounts.models import Organisation
from accounts.permissions import managed_organisations
from accounts.text import PlainLineField
from library.models import Contributor, Resource
from library.uploads import validate_document
from webinars.models import Course, Session
from webinars.vocabulary import vocabulary_choices

# Longer than any recording of a webinar or course day, and far below the column's limit.
RECORDING_MAX_MINUTES = 24 * 60


class FilterForm(forms.Form):
    """The search box and filters of the library list (GET; every field optional)."""

    q = forms.CharField(label=_("Søk"), required=False, max_length=200)
    type = forms.ChoiceField(label=_("Type"), required=False)
    tema = forms.ChoiceField(label=_("Tema"), required=False)
    malgruppe = forms.ChoiceField(label=_("Hvem er du?"), required=False)
    kontor = forms.ChoiceField(label=_("Musikkontor"), required=False)
    sprak = forms.ChoiceField(label=_("Språk"), required=False)

    def __init__(self, *args, topics, audiences, offices, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Alle"))]
        self.fields["type"].choices = everything + list(Resource.Kind.choices)
        self.fields["tema"].choices = everything + [(t.slug, t.local_name) for t in topics]
        self.fields["malgruppe"].choices = everything + [(a.slug, a.local_name) for a in audiences]
        self.fields["kontor"].choices = everything + [(o.slug, o.short_name or o.name) for o in offices]
        self.fields["sprak"].choices = everything + list(Resource._meta.get_field("language").choices)

    def filters(self) -> dict:
        """The valid filters; an unknown value (a stale link) is ignored rather than an error page."""
        self.is_valid()  # cleaned_data keeps the fields that did validate
        return {k: v for k, v in self.cleaned_data.items() if v}


_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def norwegian_slug(text: str) -> str:
    # slugify() drops ø and æ entirely ("støtte" → "sttte"); spell them out first.
    return slugify(text.translate(_NORWEGIAN))[:200]


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ResourceForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("Fil (PDF, PPTX eller ODP)"),
        required=False,
        help_text=_("Bare for dokumenter."),
    )

    class Meta:
        model = Resource
        formfield_callback = _formfield
        fields = [
            "kind",
            "organisation",
            "title",
            "slug",
            "summary",
            "body",
            "topics",
            "audiences",
            "language",
            "visibility",
            "session",
            "course",
            "related",
            "video_url",
            "duration_minutes",
            "transcript",
            "url",
            "partner",
        ]
        field_classes = {
            "title": PlainLineField,
            "topics": BoundedModelMultipleChoiceField,
            "audiences": BoundedModelMultipleChoiceField,
            "related": BoundedModelMultipleChoiceField,
        }
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "audiences": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "transcript": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "slug": _("Brukes i nettadressen. La stå tom for å lage den fra tittelen."),
            "session": _("Webinaret opptaket er fra, eller webinaret hvis påmeldte skal få se ressursen."),
            "course": _("Kurset hvis påmeldte skal få se ressursen."),
            "video_url": _("Bare for opptak: YouTube- eller Vimeo-lenke."),
            "url": _("Bare for lenker: adressen til siden hos den andre organisasjonen."),
            "body": _("Markdown. For veiledere er dette selve veiledningen."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offices = managed_organisations(user)
        self.fields["organisation"].queryset = offices
        self.fields["organisation"].empty_label = None
        self.fields["slug"].required = False
        duration = self.fields["duration_minutes"]
        duration.validators.append(MaxValueValidator(RECORDING_MAX_MINUTES))
        duration.widget.attrs["max"] = RECORDING_MAX_MINUTES
        self.fields["session"].queryset = Session.objects.filter(organisation__in=offices).order_by("-starts_at")
        self.fields["course"].queryset = Course.objects.filter(organisation__in=offices)
        self.fields["partner"].queryset = Organisation.objects.all()
        vocabulary_choices(self)
        related = Resource.objects.filter(organisation__in=offices) | Resource.objects.public()
        if self.instance.pk:
            related = related.exclude(pk=self.instance.pk)
        self.fields["related"].queryset = related.order_by("title").distinct()
        self.fields["related"].required = False

    def clean_slug(self):
        return self.cleaned_data.get("slug", "")

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            validate_document(upload)
        return upload

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        title = data.get("title") or ""
        slug = data.get("slug") or norwegian_slug(title)
        if not slug and title:
            self.add_error("slug", _("Skriv en adresse med bokstaver eller tall."))
        if slug:
            clash = Resource.objects.filter(slug=slug)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("slug", _("Adressen er allerede i bruk. Velg en annen."))
            data["slug"] = slug
        if kind == Resource.Kind.RECORDING:
            if not data.get("video_url"):
                self.add_error("video_url", _("Et opptak trenger en videolenke."))
            session = data.get("session")
            if session and session.ends_at > timezone.now():
                self.add_error("session", _("Opptak kan bare knyttes til et webinar som er over."))
            elif session and data.get("organisation") and session.organisation_id != data["organisation"].pk:
                self.add_error("session", _("Velg et webinar fra samme kontor som opptaket."))
        if kind == Resource.Kind.LINK and not data.get("url"):
            self.add_error("url", _("En lenke trenger en adresse."))
        if (
            kind == Resource.Kind.DOCUMENT
            and "upload" not in self.errors
            and not data.get("upload")
            and not self.instance.file
        ):
            self.add_error("upload", _("Last opp dokumentet."))
        if kind == Resource.Kind.GUIDE and not data.get("body"):
            self.add_error("body", _("En veileder trenger innhold."))
        if data.get("visibility") == Resource.Visibility.REGISTRANTS and not (
            data.get("session") or data.get("course")
        ):
            self.add_error("visibility", _("Velg webinaret eller kurset hvis påmeldte skal få se ressursen."))
        return data

    def save(self, commit=True):
        resource = super().save(commit=False)
        resource.slug = self.cleaned_data["slug"]
        upload = self.cleaned_data.get("upload")
        if upload:
            resource.file = upload
            resource.file_name = upload.name
            resource.file_size = upload.size
        if commit:
            resource.save()
            self.save_m2m()
        return resource


class RightsForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["rights_cleared"]


class ContributorForm(forms.ModelForm):
    class Meta:
        model = Contributor
        fields = ["name", "role", "consent"]
        field_classes = {"name": PlainLineField}


# At most this many performers on one recording. Django builds as many forms as the posted
# TOTAL_FORMS says, up to absolute_max (1000 by default): a tampered count made one request
# build and render 1000 forms (12 s, a 5 MB page). The crawler found it.
CONTRIBUTORS_MAX = 50
ContributorFormSet = inlineformset_factory(
    Resource,
    Contributor,
    form=ContributorForm,
    fields=["name", "role", "consent"],
    extra=2,
    can_delete=True,
    max_num=CONTRIBUTORS_MAX,
    absolute_max=CONTRIBUTORS_MAX,
    validate_max=True,
)
