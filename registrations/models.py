import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from webinars.models import Audience, Offering, Session


def new_token() -> str:
    # 32 random bytes: 256 bits, URL-safe, unguessable.
    return secrets.token_urlsafe(32)


class Question(models.Model):
    """An organiser's extra question on an offering's registration form."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Kort tekst")
        CHOICE = "choice", _("Ett valg")
        MULTIPLE = "multiple", _("Flere valg")
        BOOLEAN = "boolean", _("Ja/nei")

    offering = models.ForeignKey(
        Offering, verbose_name=_("påmeldingstilbud"), on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.TEXT)
    label = models.CharField(_("spørsmål (bokmål)"), max_length=200)
    label_en = models.CharField(_("spørsmål (engelsk)"), max_length=200, blank=True)
    choices = models.JSONField(_("svaralternativer"), default=list, blank=True)
    required = models.BooleanField(_("påkrevd"), default=False)
    # Answers that reveal more than an office needs to pass around (health, needs, beliefs):
    # left out of a CSV export unless the organiser ticks the column.
    sensitive = models.BooleanField(
        _("sensitivt"),
        default=False,
        help_text=_("Svarene tas bare med i CSV-eksporten når du krysser av for dem."),
    )
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("spørsmål")
        verbose_name_plural = _("spørsmål")

    def __str__(self):
        return self.label


class County(models.TextChoices):
    """Norway's 15 counties (fylker) from 1 January 2024, keyed by their official numbers."""

    OSLO = "03", "Oslo"
    ROGALAND = "11", "Rogaland"
    MORE_OG_ROMSDAL = "15", "Møre og Romsdal"
    NORDLAND = "18", "Nordland"
    OSTFOLD = "31", "Østfold"
    AKERSHUS = "32", "Akershus"
    BUSKERUD = "33", "Buskerud"
    INNLANDET = "34", "Innlandet"
    VESTFOLD = "39", "Vestfold"
    TELEMARK = "40", "Telemark"
    AGDER = "42", "Agder"
    VESTLAND = "46", "Vestland"
    TRONDELAG = "50", "Trøndelag"
    TROMS = "55", "Troms"
    FINNMARK = "56", "Finnmark"


def county_choices() -> list[tuple[str, str]]:
    """The counties in alphabetical order, as a form lists them."""
    return sorted(County.choices, key=lambda pair: pair[1].replace("Ø", "ø~"))


class ParticipantProfile(models.Model):
    """What a person says about themselves once, under "Min konto", so the registration form
    can fill it in: their role (an audience such as musician or freelancer) and county. Both
    optional; deleted with the account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant_profile")
    audience = models.ForeignKey(
        Audience, verbose_name=_("rolle"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    county = models.CharField(_("fylke"), max_length=2, choices=County.choices, blank=True)

    class Meta:
        verbose_name = _("deltakerprofil")
        verbose_name_plural = _("deltakerprofiler")


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status="cancelled")

    def not_erased(self):
        """The registrations that still name a person (an erased one is an anonymous count)."""
        return self.filter(erased_at__isnull=True)

    def with_waitlist_position(self):
        """Annotate `waitlist_position`: the rank among the offering's waitlisted
        registrations by (waitlisted_at, id), 1-based and gap-free; None otherwise."""
        ahead = Q(status="waitlisted", offering=models.OuterRef("offering")) & (
            Q(waitlisted_at__lt=models.OuterRef("waitlisted_at"))
            | Q(waitlisted_at=models.OuterRef("waitlisted_at"), id__lte=models.OuterRef("id"))
        )
        rank = (
            Registration.objects.filter(ahead).order_by().values("offering").annotate(n=models.Count("id")).values("n")
        )
        return self.annotate(
            waitlist_position=models.Case(
                models.When(status="waitlisted", then=models.Subquery(rank)),
                default=None,
                output_field=models.IntegerField(),
            )
        )


class Registration(models.Model):
    """A person's registration for an offering (a standalone webinar or a whole course)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Venter på bekreftelse")
        CONFIRMED = "confirmed", _("Påmeldt")
        WAITLISTED = "waitlisted", _("På venteliste")
        CANCELLED = "cancelled", _("Avmeldt")

    offering = models.ForeignKey(
        Offering, verbose_name=_("påmeldingstilbud"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    name = models.CharField(_("navn"), max_length=150)
    email = models.EmailField(_("e-post"))
    language = models.CharField(_("språk"), max_length=8, choices=settings.LANGUAGES, default="nb")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    answers = models.JSONField(_("svar"), default=dict, blank=True)
    # Bumped on every change of this registration a calendar must hear about;
    # an invite's SEQUENCE is the offering's revision plus this.
    revision = models.PositiveIntegerField(_("revisjon"), default=0)
    optin_token = models.CharField(_("bekreftelsesnøkkel"), max_length=64, blank=True, db_index=True)
    optin_expires_at = models.DateTimeField(_("bekreftelseslenken utløper"), null=True, blank=True)
    manage_token = models.CharField(_("nøkkel til påmeldingssiden"), max_length=64, default=new_token, unique=True)
    created_at = models.DateTimeField(_("registrert"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("fikk plass"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("satt på venteliste"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("avmeldt"), null=True, blank=True)
    # When a waitlisted registration got a seat (automatically or by an organiser): the
    # offices' waitlist conversions (docs/insight.md). Never cleared.
    promoted_at = models.DateTimeField(_("fikk plass fra ventelisten"), null=True, blank=True)
    # When a guest accepted the privacy terms (signed-in users accepted them at signup).
    consented_at = models.DateTimeField(_("samtykke gitt"), null=True, blank=True)
    # Set when the person's data was erased (on request or by retention): the row stays as an
    # anonymous count. The address stays only until the cancellation email is delivered
    # (registrations/erasure.py).
    erased_at = models.DateTimeField(_("personopplysninger slettet"), null=True, blank=True)
    # What the person chose to say about themselves, for the offices' reach figures
    # (docs/insight.md): never required. They stay on an anonymised row as counts (docs/privacy.md).
    audience = models.ForeignKey(
        Audience, verbose_name=_("rolle"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    county = models.CharField(_("fylke"), max_length=2, choices=County.choices, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("påmelding")
        verbose_name_plural = _("påmeldinger")
        constraints = [
            # One active registration per person and offering, emails compared case-insensitively.
            # An anonymised one names nobody (its address is blank): it is left out.
            models.UniqueConstraint(
                "offering",
                Lower("email"),
                condition=~Q(status="cancelled") & Q(erased_at__isnull=True),
                name="registration_active_offering_email",
            ),
        ]
        indexes = [
            models.Index(fields=["offering", "status"], name="registration_offering_status"),
            # The erasures still waiting for their cancellation email (erasure_complete).
            models.Index(
                fields=["erased_at"],
                condition=Q(erased_at__isnull=False) & ~Q(email=""),
                name="registration_erasure_open",
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    @property
    def offering_state(self) -> str:
        """The offering's real state, as every page showing this registration says it
        (`Offering.state`: cancelled, ended, full or open). Reads the offering's sessions
        (prefetch them on lists)."""
        return self.offering.state

    @property
    def is_current(self) -> bool:
        """Listed under "Kommende": not cancelled by anyone and not over."""
        return self.status != self.Status.CANCELLED and self.offering_state not in ("cancelled", "ended")


class JoinLink(models.Model):
    """A registrant's personal join link for one session, and the attendance it records."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="join_links")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="join_links")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    first_joined_at = models.DateTimeField(null=True, blank=True)
    last_joined_at = models.DateTimeField(null=True, blank=True)
    join_count = models.PositiveIntegerField(default=0)
    # A revoked link never redirects (e.g. its session left the course).
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="joinlink_registration_session")
        ]

    def get_absolute_url(self):
        return reverse("join", args=[self.token])


class Message(models.Model):
    """An organiser's message to an offering's registrants, sent one email per person."""

    class Audience(models.TextChoices):
        CONFIRMED = "confirmed", _("Påmeldte")
        WAITLISTED = "waitlisted", _("På venteliste")
        ATTENDED = "attended", _("Deltok")

    offering = models.ForeignKey(
        Offering, verbose_name=_("påmeldingstilbud"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("avsender"), null=True, on_delete=models.SET_NULL
    )
    audience = models.CharField(_("mottakere"), max_length=16, choices=Audience.choices)
    subject = models.CharField(_("emne"), max_length=200)
    body = models.TextField(_("melding"))
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("melding til påmeldte")
        verbose_name_plural = _("meldinger til påmeldte")


class Notification(models.Model):
    """One email in the outbox. Written in the same transaction as the change
    that causes it (registrations/outbox.py); delivered by the sweeper
    (registrations/delivery.py)."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("Konto-e-post")
        OPTIN = "optin", _("Bekreft påmelding")
        CONFIRMED = "confirmed", _("Påmelding bekreftet")
        WAITLISTED = "waitlisted", _("Satt på venteliste")
        PROMOTED = "promoted", _("Fått plass")
        CANCELLED = "cancelled", _("Avmeldt")
        RESCHEDULED = "rescheduled", _("Nytt tidspunkt")
        UPDATED = "updated", _("Oppdatert")
        SESSION_CANCELLED = "session_cancelled", _("Webinar avlyst")
        REMINDER = "reminder", _("Påminnelse")
        FOLLOWUP = "followup", _("Oppfølging")
        RECORDING = "recording", _("Opptak")
        MESSAGE = "message", _("Melding fra arrangør")
        ERASURE = "erasure", _("Bekreft sletting")
        FOLLOW_OPTIN = "follow_optin", _("Bekreft følging")
        DIGEST = "digest", _("Ukesoppsummering")

    class State(models.TextChoices):
        PENDING = "pending", _("Venter")
        SENT = "sent", _("Sendt")
        FAILED = "failed", _("Feilet")
        SKIPPED = "skipped", _("Ikke sendt")

    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    state = models.CharField(_("tilstand"), max_length=16, choices=State.choices, default=State.PENDING)
    to_email = models.EmailField(_("mottaker"))
    language = models.CharField(_("språk"), max_length=8, default="nb")
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("påmelding"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("webinar"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    message = models.ForeignKey(
        Message,
        verbose_name=_("melding til påmeldte"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    reminder_offset = models.PositiveIntegerField(_("påminnelse (minutter før start)"), null=True, blank=True)
    # Pre-rendered content (account emails) or extra context for the builder.
    payload = models.JSONField(_("innhold"), default=dict, blank=True)
    due_at = models.DateTimeField(_("skal sendes"), default=timezone.now)
    claimed_until = models.DateTimeField(_("reservert til"), null=True, blank=True)
    claimed_by = models.CharField(_("reservert av"), max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    last_error = models.TextField(_("siste feil"), blank=True)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("e-post i utboksen")
        verbose_name_plural = _("e-poster i utboksen")
        constraints = [
            # A reminder for one registration, session and offset exists (and is sent) at most once.
            models.UniqueConstraint(
                fields=["registration", "session", "reminder_offset"],
                condition=Q(kind="reminder"),
                name="notification_reminder_once",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_at"], name="notification_due"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.to_email} ({self.state})"


class PrivacyRecord(models.Model):
    """What an erasure or a retention run did, in counts only: the log the admin shows."""

    class Kind(models.TextChoices):
        ACCOUNT_DELETED = "account_deleted", _("Konto slettet")
        GUEST_ERASED = "guest_erased", _("Gjest slettet opplysningene sine")
        ORGANISER_ERASED = "organiser_erased", _("Arrangør slettet en påmeldts opplysninger")
        SPEAKER_ERASED = "speaker_erased", _("Arrangør slettet en foredragsholders opplysninger")
        RETENTION = "retention", _("Automatisk sletting")

    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    counts = models.JSONField(_("antall"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("personvernlogg")
        verbose_name_plural = _("personvernlogg")

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class ExportRecord(models.Model):
    """One CSV export of an offering's registrations: who took it, when, which columns and
    how many rows. Shown to the office on the registrations page (issue 15)."""

    offering = models.ForeignKey(
        Offering, verbose_name=_("påmeldingstilbud"), on_delete=models.CASCADE, related_name="exports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lastet ned av"), null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    columns = models.JSONField(_("kolonner"), default=list)
    row_count = models.PositiveIntegerField(_("rader"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("CSV-eksport")
        verbose_name_plural = _("CSV-eksporter")
