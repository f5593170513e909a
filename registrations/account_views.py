""" "Min konto" (issue 15): a signed-in person sees what is stored about them, downloads it
(JSON, and a readable HTML page), changes their name and language (the address through
allauth's email page, which verifies the new one), and deletes the account, which erases
their registrations (registrations/erasure.py, through the pre_delete receiver)."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.text import plain_line
from registrations.forms import profile_audience_field, profile_county_field
from registrations.models import ParticipantProfile
from registrations.personal_data import PERSON_DATA_TEMPLATES, person_data
from webinars.models import Audience

# Sections apps above registrations add to Min konto (following: what the person follows),
# as template names registered from their AppConfig.ready; this module never names them.
ACCOUNT_SECTIONS: list[str] = []


def register_account_section(template_name: str) -> None:
    if template_name not in ACCOUNT_SECTIONS:
        ACCOUNT_SECTIONS.append(template_name)


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("Navn"), max_length=150, required=False)
    preferred_language = forms.ChoiceField(label=gettext_lazy("Språk i e-poster"), choices=settings.LANGUAGES)

    def __init__(self, *args, audiences: list[Audience], language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.audiences = {str(a.pk): a for a in audiences}
        # The same optional questions as the registration form, which they fill in.
        self.fields["audience"] = profile_audience_field(audiences, language)
        self.fields["county"] = profile_county_field()

    def clean_display_name(self):
        return plain_line(self.cleaned_data["display_name"])


class DeleteForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Passord"), widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("Passordet stemmer ikke."))
        return ""


def _language() -> str:
    return "en" if (get_language() or "nb").startswith("en") else "nb"


@never_cache
@login_required
def my_account(request):
    user = request.user
    profile = ParticipantProfile.objects.filter(user=user).first() or ParticipantProfile(user=user)
    form = ProfileForm(
        request.POST or None,
        initial={
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "audience": profile.audience_id or "",
            "county": profile.county,
        },
        audiences=list(Audience.objects.all()),
        language=_language(),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user.display_name = form.cleaned_data["display_name"]
            user.preferred_language = form.cleaned_data["preferred_language"]
            user.save(update_fields=["display_name", "preferred_language"])
            profile.audience = form.audiences.get(form.cleaned_data["audience"])
            profile.county = form.cleaned_data["county"]
            profile.save()
        messages.success(request, _("Endringene er lagret."))
        return redirect("my_account")
    return render(
        request,
        "registrations/account.html",
        {"form": form, "data": person_data(user, language=_language()), "account_sections": ACCOUNT_SECTIONS},
    )


@never_cache
@login_required
def my_account_download(request, fmt: str):
    data = person_data(request.user, language=_language())
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        body = render_to_string(
            "registrations/account_data.html",
            {"data": data, "data_templates": PERSON_DATA_TEMPLATES},
            request=request,
        )
        response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mine-opplysninger.{fmt}"'
    return response


@never_cache
@login_required
def my_account_delete(request):
    form = DeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user.delete()  # the erasure receiver cancels and anonymises the registrations
        messages.success(request, _("Kontoen din er slettet, og påmeldingene dine er meldt av og anonymisert."))
        return redirect("home")
    return render(request, "registrations/account_delete.html", {"form": form})
