from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.ids import BoundedModelMultipleChoiceField
from following.services import followable_offices, followable_topics


class OfficeChoice(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class TopicChoice(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.local_name


class FollowForm(forms.Form):
    """What a person follows and the language of their digest."""

    organisations = OfficeChoice(
        label=_("Musikkontorer"),
        queryset=followable_offices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = TopicChoice(
        label=_("Temaer"),
        queryset=followable_topics(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Språk i ukesoppsummeringen"), choices=settings.LANGUAGES, widget=forms.RadioSelect, initial="nb"
    )

    def __init__(self, *args, require_choice: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_choice = require_choice

    def clean(self):
        data = super().clean()
        if self.require_choice and not data.get("organisations") and not data.get("topics"):
            raise forms.ValidationError(_("Velg minst ett musikkontor eller tema."))
        return data


class GuestFollowForm(FollowForm):
    """A guest also gives an address (confirmed by a link sent to it) and their consent."""

    email = forms.EmailField(label=_("E-postadresse"), max_length=254)
    consent = forms.BooleanField(
        label=_("Jeg samtykker i at adressen min lagres for å sende meg ukesoppsummeringen, til jeg melder meg av."),
        required=True,
        error_messages={"required": _("Du må samtykke for å få ukesoppsummeringen.")},
    )

    field_order = ["email", "organisations", "topics", "language", "consent"]
