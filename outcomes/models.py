from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registrations.models import Registration
from webinars.models import Offering, Session


class Feedback(models.Model):
    """One attendee's answer to the survey after a session: a 1–5 rating and an optional
    comment. One per registration and session; a second submit changes the first.

    `registration` is kept for that rule (and for erasure) even when the person chose to be
    anonymous: an anonymous answer is never shown with a name (outcomes/summary.py). An erased
    person's answer loses the link and its comment and stays as a rating in the counts."""

    offering = models.ForeignKey(
        Offering, verbose_name=_("påmeldingstilbud"), on_delete=models.CASCADE, related_name="feedback"
    )
    session = models.ForeignKey(Session, verbose_name=_("økt"), on_delete=models.CASCADE, related_name="feedback")
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("påmelding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    rating = models.PositiveSmallIntegerField(_("vurdering"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("kommentar"), blank=True)
    anonymous = models.BooleanField(_("anonym"), default=False)
    created_at = models.DateTimeField(_("gitt"), default=timezone.now)
    updated_at = models.DateTimeField(_("endret"), default=timezone.now)

    class Meta:
        ordering = ["session", "created_at", "id"]
        verbose_name = _("tilbakemelding")
        verbose_name_plural = _("tilbakemeldinger")
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="feedback_registration_session"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"),
        ]
        indexes = [models.Index(fields=["offering", "rating"], name="feedback_offering_rating")]

    def __str__(self):
        return f"{self.session_id}: {self.rating}"


class Certificate(models.Model):
    """A course certificate (kursbevis), issued the first time a participant downloads it.

    It keeps what it certifies as it was issued (the PDF and the verification page show the
    same), and a random code the verification address carries. When the registration is erased,
    the name is blanked and `voided_at` set: the address then says the certificate can no longer
    be verified, and names nobody."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("påmelding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificate",
    )
    offering = models.ForeignKey(
        Offering, verbose_name=_("påmeldingstilbud"), on_delete=models.CASCADE, related_name="certificates"
    )
    code = models.CharField(_("kode"), max_length=80, unique=True)
    name = models.CharField(_("navn"), max_length=150, blank=True)
    course_title = models.CharField(_("kurs"), max_length=200)
    office_name = models.CharField(_("arrangør"), max_length=200)
    first_day = models.DateField(_("første dag"))
    last_day = models.DateField(_("siste dag"))
    minutes = models.PositiveIntegerField(_("minutter"))
    sessions_attended = models.PositiveSmallIntegerField(_("økter deltatt"))
    sessions_total = models.PositiveSmallIntegerField(_("økter i alt"))
    issued_at = models.DateTimeField(_("utstedt"), default=timezone.now)
    voided_at = models.DateTimeField(_("ugyldig fra"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "id"]
        verbose_name = _("kursbevis")
        verbose_name_plural = _("kursbevis")

    def __str__(self):
        # Not the code: it is the verification address's secret part, and a title is shown.
        return f"{self.course_title} ({self.issued_at:%Y-%m-%d})"

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)
