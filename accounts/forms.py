from allauth.account.forms import SignupForm as AllauthSignupForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.text import PlainLineField


class SignupForm(AllauthSignupForm):
    display_name = PlainLineField(label=_("Navn"), max_length=150, required=False)

    def save(self, request):
        user = super().save(request)
        user.display_name = self.cleaned_data.get("display_name", "")
        user.preferred_language = (get_language() or "nb")[:2] if (get_language() or "nb")[:2] in ("nb", "en") else "nb"
        user.save(update_fields=["display_name", "preferred_language"])
        return user
