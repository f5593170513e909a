from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.addresses import address_field_prepare
from accounts.text import PlainLineField

# allauth's email fields take international addresses (accounts/addresses.py): an IDNA domain
# always, a non-ASCII local part where the mail server offers SMTPUTF8, and otherwise a message
# that says what to change instead of Django's generic one.


class SignupForm(AllauthSignupForm):
    display_name = PlainLineField(label=_("Navn"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        address_field_prepare(self.fields["email"])

    def save(self, request):
        user = super().save(request)
        user.display_name = self.cleaned_data.get("display_name", "")
        user.preferred_language = (get_language() or "nb")[:2] if (get_language() or "nb")[:2] in ("nb", "en") else "nb"
        user.save(update_fields=["display_name", "preferred_language"])
        return user


class AddEmailForm(AllauthAddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        address_field_prepare(self.fields["email"])


class ResetPasswordForm(AllauthResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        address_field_prepare(self.fields["email"])


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Looking an account up sends nothing: any address's shape is accepted.
        address_field_prepare(self.fields["login"], deliverable=False)
