from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.text import plain_line


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: email is the login, there are no usernames."""

    email = models.EmailField(_("e-post"), unique=True)
    display_name = models.CharField(_("visningsnavn"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("foretrukket språk"), max_length=8, choices=settings.LANGUAGES, default="nb"
    )
    calendar_token = models.CharField(_("kalendernøkkel"), max_length=64, blank=True, db_index=True)
    is_staff = models.BooleanField(_("plattformansatt"), default=False)
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("registrert"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        # The admin's user form (the one other place a display name is typed) saves it clean.
        self.display_name = plain_line(self.display_name)

    def get_full_name(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email.split("@")[0]


class OrganisationQuerySet(models.QuerySet):
    def offices(self):
        return self.filter(kind=Organisation.Kind.OFFICE)

    def partners(self):
        return self.filter(kind=Organisation.Kind.PARTNER)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        OFFICE = "office", _("Regionalt musikkontor")
        PARTNER = "partner", _("Partnerorganisasjon")

    name = models.CharField(_("navn"), max_length=200)
    short_name = models.CharField(_("kortnavn"), max_length=40)
    slug = models.SlugField(_("adresse"), unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.OFFICE)
    region = models.CharField(_("region"), max_length=120, blank=True)
    website = models.URLField(_("nettsted"), blank=True)
    contact_email = models.EmailField(_("kontakt-e-post"), blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    helps_with = models.TextField(_("kan hjelpe med"), blank=True)
    # Whether the registration form asks for the person's county (fylke): an office's choice,
    # for its reporting (docs/insight.md). Off by default: nobody is asked more than needed.
    asks_county = models.BooleanField(
        _("spør om fylke ved påmelding"),
        default=False,
        help_text=_("Påmeldingsskjemaet spør da (frivillig) hvilket fylke deltakeren bor i."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("organisation_detail", args=[self.slug])


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        ORGANISER = "organiser", _("Arrangør")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rolle"), max_length=16, choices=Role.choices, default=Role.ORGANISER)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"
