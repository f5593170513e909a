"""Writes of the outcomes app: feedback answers, course certificates, and what erasure
removes from both."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outcomes.certificates import OSLO, course_attendance
from outcomes.models import Certificate, Feedback
from outcomes.tokens import certificate_code_new
from registrations.models import Registration
from webinars.models import Session


@transaction.atomic
def feedback_submit(
    *, registration: Registration, session: Session, rating: int, comment: str = "", anonymous: bool = False
) -> tuple[Feedback, bool]:
    """Record the person's answer for the session, or change the one they gave before (one
    answer per person and session). Returns (the answer, whether it was new)."""
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("Velg en vurdering fra 1 til 5.")})
    now = timezone.now()
    values = {"rating": rating, "comment": comment.strip(), "anonymous": anonymous, "updated_at": now}
    # Locking the registration's row makes two submits at once queue: the second changes the first.
    Registration.objects.select_for_update().filter(pk=registration.pk).first()
    feedback, created = Feedback.objects.update_or_create(
        registration=registration,
        session=session,
        defaults=values,
        create_defaults={**values, "offering_id": session.offering_id, "created_at": now},
    )
    return feedback, created


def certificate_issue(*, registration: Registration) -> Certificate | None:
    """The registration's certificate: the one issued before, or a new one when it qualifies
    now (outcomes/certificates.py). None when it does not qualify or was voided."""
    existing = Certificate.objects.filter(registration=registration).first()
    if existing is not None:
        return None if existing.voided_at else existing
    attendance = course_attendance(registration)
    if not attendance.qualifies:
        return None
    offering = registration.offering
    certificate = Certificate(
        registration=registration,
        offering=offering,
        code=certificate_code_new(),
        name=registration.name,
        course_title=offering.course.title,
        office_name=offering.organisation.name,
        first_day=timezone.localtime(attendance.live[0].starts_at, OSLO).date(),
        last_day=timezone.localtime(attendance.live[-1].ends_at, OSLO).date(),
        minutes=sum(int(s.duration.total_seconds() // 60) for s in attendance.attended),
        sessions_attended=len(attendance.attended),
        sessions_total=attendance.total,
    )
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        # Two downloads at once: the other one issued it.
        return Certificate.objects.filter(registration=registration, voided_at__isnull=True).first()
    return certificate


@transaction.atomic
def registrations_forget(*, registration_ids: list[int], now: datetime) -> None:
    """Erasure (registrations_anonymised): the answers of these registrations lose their link
    and their comment and stay as ratings in the counts; their certificates name nobody and
    verify no more."""
    Feedback.objects.filter(registration_id__in=registration_ids).update(registration=None, comment="", anonymous=True)
    Certificate.objects.filter(registration_id__in=registration_ids).update(name="", registration=None, voided_at=now)
