"""How this app hooks into registrations without registrations naming it
(registrations/signals.py): it adds its links under a person's registrations, and forgets an
erased person's answers and certificates in the erasure's transaction."""

from __future__ import annotations

from urllib.parse import urlencode

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from outcomes.certificates import course_attendance
from outcomes.services import registrations_forget
from outcomes.tokens import download_token, feedback_token
from registrations.models import Registration
from registrations.signals import registration_links, registrations_anonymised
from webinars.models import Status


def certificate_link(registration: Registration) -> dict:
    query = urlencode({"sprak": get_language() or "nb"})
    return {
        "text": _("Du har fullført kurset."),
        "label": _("Last ned kursbevis (PDF)"),
        "url": reverse("certificate_download", args=[download_token(registration.pk)]) + "?" + query,
    }


@receiver(registration_links)
def links_for_registrations(sender, registrations, session=None, **kwargs) -> dict[int, list[dict]]:
    """On "Mine påmeldinger": a course certificate where the person qualifies (from what the page
    loaded). In the follow-up after a session: the survey for those who joined it, and after a
    course's last session the certificate."""
    found: dict[int, list[dict]] = {}
    for registration in registrations:
        if registration.erased_at or registration.status != Registration.Status.CONFIRMED:
            continue
        links = []
        if session is not None and any(
            link.session_id == session.pk and link.first_joined_at for link in registration.join_links.all()
        ):
            links.append(
                {
                    "text": _("Hvordan var det? Svar på to korte spørsmål, gjerne anonymt."),
                    "label": _("Gi tilbakemelding"),
                    "url": reverse("feedback_survey", args=[feedback_token(registration.pk, session.pk)]),
                }
            )
        if registration.offering.is_course and (session is None or _is_last(session, registration)):
            if course_attendance(registration).qualifies:
                links.append(certificate_link(registration))
        if links:
            found[registration.pk] = links
    return found


def _is_last(session, registration: Registration) -> bool:
    live = [s for s in registration.offering.sessions.all() if s.status != Status.CANCELLED]
    return bool(live) and max(live, key=lambda s: (s.ends_at, s.pk)).pk == session.pk


@receiver(registrations_anonymised)
def forget_erased(sender, registration_ids, now, **kwargs) -> None:
    registrations_forget(registration_ids=registration_ids, now=now)
