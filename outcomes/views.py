"""The survey after a session, the certificate download and the verification page. None needs
a sign-in: the survey and the download are reached through signed links (outcomes/tokens.py),
the verification page through the certificate's code."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from outcomes.forms import FeedbackForm
from outcomes.models import Certificate, Feedback
from outcomes.pdf import certificate_lines, certificate_pdf
from outcomes.services import certificate_issue, feedback_submit
from outcomes.tokens import certificate_code_genuine, download_token_open, feedback_token_open
from registrations.models import Registration
from webinars.models import Session, Status


def _unavailable(request, *, title: str, text: str, status: int = 404):
    return render(request, "outcomes/unavailable.html", {"title": title, "text": text}, status=status)


def _survey_target(token: str) -> tuple[Registration, Session] | None:
    opened = feedback_token_open(token)
    if opened is None:
        return None
    registration = (
        Registration.objects.select_related("offering__course", "offering__organisation").filter(pk=opened[0]).first()
    )
    if registration is None or registration.erased_at or registration.status != Registration.Status.CONFIRMED:
        return None
    session = Session.objects.filter(pk=opened[1], offering_id=registration.offering_id).first()
    if session is None or session.status == Status.CANCELLED or session.starts_at > timezone.now():
        return None
    return registration, session


@never_cache
def feedback_survey(request, token: str):
    target = _survey_target(token)
    if target is None:
        return _unavailable(
            request,
            title=_("Lenken virker ikke"),
            text=_("Lenken til spørreskjemaet er ugyldig eller utløpt, eller økten er avlyst."),
        )
    registration, session = target
    existing = Feedback.objects.filter(registration=registration, session=session).first()
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            feedback_submit(registration=registration, session=session, **form.cleaned_data)
            if existing:
                messages.success(request, _("Takk! Svaret ditt er endret."))
            else:
                messages.success(request, _("Takk for tilbakemeldingen!"))
            return redirect("feedback_survey", token)
    elif existing:
        form = FeedbackForm(
            initial={"rating": existing.rating, "comment": existing.comment, "anonymous": existing.anonymous}
        )
    else:
        form = FeedbackForm()
    context = {
        "form": form,
        "session": session,
        "offering": registration.offering,
        "office": registration.offering.organisation,
        "existing": existing,
    }
    return render(request, "outcomes/survey.html", context)


@never_cache
def certificate_download(request, token: str):
    registration_id = download_token_open(token)
    registration = (
        Registration.objects.select_related("offering__course", "offering__organisation")
        .prefetch_related("offering__sessions", "join_links")
        .filter(pk=registration_id)
        .first()
        if registration_id
        else None
    )
    certificate = certificate_issue(registration=registration) if registration else None
    if certificate is None:
        return _unavailable(
            request,
            title=_("Kursbeviset er ikke tilgjengelig"),
            text=_(
                "Kursbevis gis når kurset er over, til deltakere som var med på nok av øktene. "
                "Lenken kan også være ugyldig, eller opplysningene slettet."
            ),
        )
    language = request.GET.get("sprak")
    if language not in dict(settings.LANGUAGES):
        language = registration.language or settings.LANGUAGE_CODE
    body = certificate_pdf(certificate, language=language)
    response = HttpResponse(body, content_type="application/pdf")
    name = slugify(f"{_('kursbevis')}-{certificate.course_title}")[:80] or "kursbevis"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@never_cache
def certificate_verify(request, code: str):
    certificate = Certificate.objects.filter(code=code).first() if certificate_code_genuine(code) else None
    if certificate is None:
        state, status = "unknown", 404
    elif certificate.voided_at:
        state, status = "voided", 410
    else:
        state, status = "genuine", 200
    context = {
        "state": state,
        "lines": certificate_lines(certificate) if state == "genuine" else None,
        "certificate": certificate if state == "genuine" else None,
    }
    return render(request, "outcomes/verify.html", context, status=status)
