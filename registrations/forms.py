from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.addresses import EmailAddressField
from accounts.text import PlainLineField, has_control_characters, plain_line
from registrations.models import Question, county_choices
from webinars.models import Audience

YES, NO = "ja", "nei"


def single_line(value: str) -> str:
    """Collapse every kind of whitespace (CR, LF, tab, Unicode line separators) to one space,
    so a name can never carry a line break into an email header."""
    return " ".join(value.split())


def question_label(question: Question, language: str) -> str:
    if language == "en" and question.label_en:
        return question.label_en
    return question.label


def question_choices(question: Question, language: str) -> list[tuple[str, str]]:
    """(stored value, label in `language`) pairs; choices are stored as "bokmål" strings or
    {"nb": …, "en": …} objects, and the Bokmål text is what an answer keeps."""
    pairs = []
    for choice in question.choices or []:
        if isinstance(choice, dict):
            value = str(choice.get("nb", ""))
            label = str(choice.get("en") or value) if language == "en" else value
        else:
            value = label = str(choice)
        if value:
            pairs.append((value, label))
    return pairs


def answer_display(question: Question, value, language: str = "nb") -> str:
    if value is None or value == "" or value == []:
        return ""
    if question.kind == Question.Kind.BOOLEAN:
        return str(_("Ja") if value else _("Nei"))
    labels = dict(question_choices(question, language))
    if isinstance(value, list):
        return ", ".join(labels.get(v, v) for v in value)
    return str(labels.get(value, value))


def _question_field(question: Question, language: str) -> forms.Field:
    label = question_label(question, language)
    required = question.required
    if question.kind == Question.Kind.CHOICE:
        return forms.ChoiceField(
            label=label, required=required, choices=question_choices(question, language), widget=forms.RadioSelect
        )
    if question.kind == Question.Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            label=label,
            required=required,
            choices=question_choices(question, language),
            widget=forms.CheckboxSelectMultiple,
        )
    if question.kind == Question.Kind.BOOLEAN:
        # Two explicit answers: a required yes/no must be answered, not forced to "yes".
        return forms.TypedChoiceField(
            label=label,
            required=required,
            choices=[(YES, _("Ja")), (NO, _("Nei"))],
            coerce=lambda v: v == YES,
            empty_value=None,
            widget=forms.RadioSelect,
        )
    return forms.CharField(label=label, required=required, max_length=500)


def profile_audience_field(audiences: list[Audience], language: str) -> forms.ChoiceField:
    """The optional "which of these are you?" question (musician, freelancer, …), from a list the
    caller has read: validating it costs no query."""
    names = [(str(a.pk), a.name_en if language == "en" and a.name_en else a.name) for a in audiences]
    return forms.ChoiceField(
        label=_("Hva beskriver deg best? (frivillig)"),
        required=False,
        choices=[("", _("Vil ikke si"))] + names,
        help_text=_("Brukes bare i arrangørenes anonyme tall over hvem de når."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def profile_county_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Hvilket fylke bor du i? (frivillig)"),
        required=False,
        choices=[("", _("Vil ikke si"))] + county_choices(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class RegistrationForm(forms.Form):
    """The registration form: name, email and consent for guests, plus the offering's questions."""

    name = forms.CharField(label=_("Navn"), max_length=150)
    # International addresses: an IDNA domain always, a non-ASCII local part where the mail
    # server offers SMTPUTF8 (accounts/addresses.py).
    email = EmailAddressField(label=_("E-post"), max_length=254)
    consent = forms.BooleanField(
        label=_("Jeg godtar at navnet og e-postadressen min lagres for å håndtere påmeldingen (personvern)."),
        required=True,
    )

    def __init__(
        self,
        *args,
        questions: list[Question],
        guest: bool,
        language: str,
        audiences: list[Audience] | None = None,
        asks_county: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        if not guest:
            for name in ("name", "email", "consent"):
                del self.fields[name]
        for question in questions:
            self.fields[f"q{question.pk}"] = _question_field(question, language)
        self.audiences = {str(a.pk): a for a in audiences or []}
        if self.audiences:
            self.fields["audience"] = profile_audience_field(audiences, language)
        if asks_county:
            self.fields["county"] = profile_county_field()
        for field in self.fields.values():
            # Bootstrap's classes; the template (registrations/_registration_fields.html) does the rest.
            choice = isinstance(field.widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple)
            field.widget.attrs["class"] = "form-check-input" if choice else "form-control"

    def full_clean(self):
        super().full_clean()
        # Mark invalid fields the Bootstrap way and point them at their error text
        # (Django adds aria-invalid itself).
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] += " is-invalid"
                widget.attrs.setdefault("aria-describedby", f"id_{name}_error")

    def clean_name(self) -> str:
        name = single_line(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Skriv inn navnet ditt."))
        if has_control_characters(name):
            raise forms.ValidationError(_("Navnet inneholder tegn som ikke er tillatt."))
        return name

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()

    def audience(self) -> Audience | None:
        return self.audiences.get(self.cleaned_data.get("audience") or "")

    def county(self) -> str:
        return self.cleaned_data.get("county") or ""

    def answers(self) -> dict:
        """Answers keyed by question id (as a string), skipping the unanswered."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if value is None or value == "" or value == []:
                continue
            result[str(question.pk)] = value
        return result


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Svaralternativer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ett alternativ per linje. Skriv gjerne engelsk tekst etter en loddrett strek: «Ja | Yes»."),
    )

    class Meta:
        model = Question
        fields = ["kind", "label", "label_en", "required", "sensitive", "position"]
        field_classes = {"label": PlainLineField, "label_en": PlainLineField}
        labels = {"position": _("Rekkefølge")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            lines = []
            for choice in self.instance.choices or []:
                if isinstance(choice, dict):
                    lines.append(
                        f"{choice.get('nb', '')} | {choice['en']}" if choice.get("en") else choice.get("nb", "")
                    )
                else:
                    lines.append(str(choice))
            self.fields["choices_text"].initial = "\n".join(lines)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        choices = []
        for line in (cleaned.get("choices_text") or "").splitlines():
            nb, _sep, en = line.partition("|")
            nb, en = plain_line(nb), plain_line(en)
            if nb:
                choices.append({"nb": nb, "en": en} if en else {"nb": nb})
        if kind in (Question.Kind.CHOICE, Question.Kind.MULTIPLE):
            if len(choices) < 2:
                self.add_error("choices_text", _("Skriv minst to svaralternativer, ett per linje."))
            elif len({c["nb"].lower() for c in choices}) != len(choices):
                self.add_error("choices_text", _("Svaralternativene må være forskjellige."))
        else:
            choices = []
        self.instance.choices = choices
        return cleaned
