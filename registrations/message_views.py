"""Organiser messages, reminder settings, and the reminder opt-out link of reminder emails."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from accounts.permissions import managed_organisations, organiser_required
from accounts.text import PlainLineField
from registrations import messaging, reminders
from registrations.email_kinds import offset_text
from registrations.models import Message, Registration
from registrations.offering_pages import managed_offering, offering_workspace_url

# -------------------------------------------------------------- forms


class MessageForm(forms.Form):
    audience = forms.ChoiceField(label=gettext_lazy("Mottakere"), choices=Message.Audience.choices)
    # One line: a subject with a line break would be refused as an email header.
    subject = PlainLineField(label=gettext_lazy("Emne"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Melding"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Ren tekst. Hver mottaker får sin egen e-post med sin personlige lenke."),
    )


UNITS = [("minutes", gettext_lazy("minutter")), ("hours", gettext_lazy("timer")), ("days", gettext_lazy("døgn"))]
UNIT_MINUTES = {"minutes": 1, "hours": 60, "days": 1440}
REMINDER_ROWS = 3


def offset_to_amount(minutes: int) -> tuple[int, str]:
    if minutes % 1440 == 0:
        return minutes // 1440, "days"
    if minutes % 60 == 0:
        return minutes // 60, "hours"
    return minutes, "minutes"


class ReminderOffsetsForm(forms.Form):
    """Up to three reminders, each an amount of minutes, hours or days before the start.

    The catalogue's session form may reuse this: `ReminderOffsetsForm.initial_for(offsets)`
    and `form.offsets()` give and take the stored list of minutes.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(REMINDER_ROWS):
            self.fields[f"amount_{i}"] = forms.IntegerField(
                label=_("Påminnelse %(n)d") % {"n": i + 1}, min_value=1, max_value=40320, required=False
            )
            self.fields[f"unit_{i}"] = forms.ChoiceField(
                label=_("Enhet for påminnelse %(n)d") % {"n": i + 1}, choices=UNITS, initial="hours"
            )

    @staticmethod
    def initial_for(offsets: list[int]) -> dict:
        initial = {}
        for i, minutes in enumerate(reminders.offsets_clean(offsets)[:REMINDER_ROWS]):
            initial[f"amount_{i}"], initial[f"unit_{i}"] = offset_to_amount(minutes)
        return initial

    def clean(self):
        cleaned = super().clean()
        for i in range(REMINDER_ROWS):
            amount = cleaned.get(f"amount_{i}")
            unit = cleaned.get(f"unit_{i}")
            if amount and unit and amount * UNIT_MINUTES[unit] > reminders.MAX_OFFSET_MINUTES:
                self.add_error(f"amount_{i}", _("En påminnelse kan ikke sendes mer enn fire uker før start."))
        return cleaned

    def offsets(self) -> list[int]:
        values = []
        for i in range(REMINDER_ROWS):
            amount = self.cleaned_data.get(f"amount_{i}")
            if amount:
                values.append(amount * UNIT_MINUTES[self.cleaned_data[f"unit_{i}"]])
        return reminders.offsets_clean(values)

    def rows(self):
        return [(self[f"amount_{i}"], self[f"unit_{i}"]) for i in range(REMINDER_ROWS)]


# -------------------------------------------------------------- helpers


def _registrations_url(offering) -> str:
    return offering_workspace_url(offering, "registrations")


# -------------------------------------------------------------- messages


@organiser_required
def workspace_messages(request, pk: int, kind: str):
    offering = managed_offering(request, kind=kind, pk=pk)
    form = MessageForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        recipients = messaging.message_recipients(offering=offering, audience=form.cleaned_data["audience"])
        if request.POST.get("action") == "send":
            message = messaging.message_send(offering=offering, author=request.user, **form.cleaned_data)
            messages.success(request, _("Meldingen sendes nå."))
            return redirect("workspace_message_detail", pk=message.pk)
        preview = {
            **form.cleaned_data,
            "count": recipients.count(),
            "audience_label": dict(Message.Audience.choices)[form.cleaned_data["audience"]],
        }
    sent = [
        (message, messaging.message_progress(message))
        for message in Message.objects.filter(offering=offering).order_by("-created_at")[:20]
    ]
    return render(
        request,
        "registrations/messages/offering_messages.html",
        {
            "offering": offering,
            "form": form,
            "preview": preview,
            "sent": sent,
            "failed": messaging.failed_deliveries(offering=offering)[:50],
            "registrations_url": _registrations_url(offering),
        },
    )


@organiser_required
def workspace_message_detail(request, pk: int):
    managed = managed_organisations(request.user)
    message = get_object_or_404(
        Message.objects.filter(offering__organisation__in=managed).select_related("offering"), pk=pk
    )
    offering = message.offering
    progress = messaging.message_progress(message)
    failed = message.notifications.filter(state="failed").select_related("registration").order_by("id")[:100]
    return render(
        request,
        "registrations/messages/message_detail.html",
        {
            "message": message,
            "offering": offering,
            "progress": progress,
            "failed": failed,
            "back_url": offering_workspace_url(offering, "messages"),
        },
    )


# -------------------------------------------------------------- reminders


@organiser_required
def workspace_reminders(request, pk: int, kind: str):
    offering = managed_offering(request, kind=kind, pk=pk)
    form = ReminderOffsetsForm(request.POST or None, initial=ReminderOffsetsForm.initial_for(offering.reminder_offsets))
    if request.method == "POST" and form.is_valid():
        offering.reminder_offsets = form.offsets()
        offering.save(update_fields=["reminder_offsets"])
        reminders.reminders_resync(offering=offering)
        messages.success(request, _("Påminnelsene er lagret."))
        if request.POST.get("next") == "overview":
            return redirect(offering_workspace_url(offering, "overview") + "#paminnelser")
        return redirect(request.path)
    current = [offset_text(m, request.LANGUAGE_CODE) for m in reminders.offsets_clean(offering.reminder_offsets)]
    return render(
        request,
        "registrations/messages/offering_reminders.html",
        {"offering": offering, "form": form, "current": current, "registrations_url": _registrations_url(offering)},
    )


# -------------------------------------------------------------- reminder opt-out


@never_cache
@csrf_exempt  # RFC 8058 one-click: mail clients POST without our CSRF token; the secret token is the guard
def reminders_unsubscribe(request, manage_token: str):
    registration = Registration.objects.filter(manage_token=manage_token).select_related("offering").first()
    if registration is None or not manage_token:
        raise Http404
    done = False
    if request.method == "POST":
        reminders.reminders_opt_out(registration=registration)
        done = True
    return render(
        request,
        "registrations/messages/reminders_unsubscribe.html",
        {"registration": registration, "offering": registration.offering, "done": done},
    )
