from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.text import is_control_character

RATING_CHOICES = [
    (5, _("5 – Svært bra")),
    (4, _("4 – Bra")),
    (3, _("3 – Middels")),
    (2, _("2 – Dårlig")),
    (1, _("1 – Svært dårlig")),
]
COMMENT_MAX = 2000


class CommentField(forms.CharField):
    """Free text over several lines: line breaks and tabs stay, other control characters
    (and invisible bidirectional controls) are removed."""

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(ch for ch in value if ch in "\n\t" or not is_control_character(ch)).strip()


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Hvor fornøyd var du med økten?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg en vurdering fra 1 til 5.")},
    )
    comment = CommentField(
        label=_("Vil du si noe mer? (valgfritt)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    anonymous = forms.BooleanField(
        label=_("Send anonymt: arrangøren ser ikke hvem svaret er fra"),
        required=False,
    )
