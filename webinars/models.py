from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import connection, models
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from webinars.bounds import CAPACITY_MAX, JOIN_OPENS_MAX_MINUTES, validate_date_in_range

PRIVACY_NOTE_MAX = 1000


def default_reminder_offsets() -> list[int]:
    # Minutes before each session: 24 hours and 1 hour.
    return [24 * 60, 60]


def join_opens_message() -> str:
    return _("Deltakerlenken kan åpne fra 0 til %(max)d minutter før start.") % {"max": JOIN_OPENS_MAX_MINUTES}


def capacity_max_message() -> str:
    return _("Antall plasser kan være høyst %(max)d.") % {"max": CAPACITY_MAX}


def _dates_in_range(instance, names: list[str]) -> dict[str, list[str]]:
    """The bounds of webinars/bounds.py, as model validation errors keyed by field."""
    errors = {}
    for name in names:
        try:
            validate_date_in_range(getattr(instance, name))
        except ValidationError as exc:
            errors[name] = exc.messages
    return errors


class LocalisedNameMixin:
    @property
    def local_name(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Topic(LocalisedNameMixin, models.Model):
    """A subject shared by sessions, courses and library resources."""

    name = models.CharField(_("navn"), max_length=100)
    name_en = models.CharField(_("navn på engelsk"), max_length=100, blank=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tema")
        verbose_name_plural = _("temaer")

    def __str__(self):
        return self.name


class Audience(LocalisedNameMixin, models.Model):
    """Who something is for: selvstendig næringsdrivende, ansatt, frilanser, …"""

    name = models.CharField(_("navn"), max_length=100)
    name_en = models.CharField(_("navn på engelsk"), max_length=100, blank=True)
    slug = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("målgruppe")
        verbose_name_plural = _("målgrupper")

    def __str__(self):
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PUBLISHED = "published", _("Publisert")
    CANCELLED = "cancelled", _("Avlyst")


class Provider(models.TextChoices):
    ZOOM = "zoom", "Zoom"
    TEAMS = "teams", "Microsoft Teams"
    YOUTUBE = "youtube", "YouTube"
    VIMEO = "vimeo", "Vimeo"
    WHEREBY = "whereby", "Whereby"
    MEET = "meet", "Google Meet"
    OTHER = "other", _("Annen tjeneste")


_PROVIDER_HOSTS = [
    ("zoom.us", Provider.ZOOM),
    ("zoom.com", Provider.ZOOM),
    ("teams.microsoft.com", Provider.TEAMS),
    ("teams.live.com", Provider.TEAMS),
    ("youtube.com", Provider.YOUTUBE),
    ("youtu.be", Provider.YOUTUBE),
    ("vimeo.com", Provider.VIMEO),
    ("whereby.com", Provider.WHEREBY),
    ("meet.google.com", Provider.MEET),
]


def provider_for_url(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    for suffix, provider in _PROVIDER_HOSTS:
        if host == suffix or host.endswith("." + suffix):
            return provider
    return Provider.OTHER


# Only web links: a stream URL is handed to browsers through the join redirect.
stream_url_validator = URLValidator(
    schemes=["http", "https"],
    message=_("Strømmelenken må være en nettadresse som begynner med http:// eller https://."),
)


def text_search_q(query: str, fields: list[str]) -> Q:
    """Every word must occur in one of `fields`; on PostgreSQL the Norwegian stemmer
    also matches inflections (utgivelser ~ utgivelse)."""
    condition = Q()
    for word in query.split()[:8]:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition


# Columns a card never reads; a deferred column read in a template would cost a query per card,
# which the catalogue's query-count tests would catch.
CARD_DEFERRED = [
    "description",
    "organisation__description",
    "organisation__helps_with",
    "offering__reminder_offsets",
    "offering__course__description",
]


class OfferingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def seat_taken(self, pk: int) -> bool:
        """Take one seat of offering `pk` if one is free and the offering is published: one
        conditional UPDATE, run inside the registration's transaction. Under READ COMMITTED
        PostgreSQL re-checks the WHERE on the row as a concurrent writer left it, so two
        writers never take the last seat and nobody takes a seat of an offering cancelled
        meanwhile; SQLite's IMMEDIATE transactions run writers one after another. The updated
        row stays locked until the commit, which also orders the waitlist's promotions."""
        free = Q(capacity__isnull=True) | Q(seats_taken__lt=F("capacity"))
        return self.filter(free, pk=pk, status=Status.PUBLISHED).update(seats_taken=F("seats_taken") + 1) == 1

    def seat_given_back(self, pk: int) -> None:
        """Give one seat of offering `pk` back (a confirmed registration was cancelled)."""
        self.filter(pk=pk, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)

    def seat_forced(self, pk: int) -> None:
        """Take a seat even beyond the capacity: an organiser's deliberate override."""
        self.filter(pk=pk).update(seats_taken=F("seats_taken") + 1)


class Offering(models.Model):
    """The thing people register for: a standalone webinar (an offering with one session) or a
    course (an offering with several). It owns everything registration needs: the state, the
    capacity and the seats taken, the registration window, the reminder offsets and the
    calendar revision shared by all of its sessions' invites. Registrations, questions and
    messages point to it. What a visitor reads (title, texts, page) is the session's or the
    course's."""

    class Kind(models.TextChoices):
        WEBINAR = "webinar", _("Webinar")
        COURSE = "course", _("Kurs")

    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.WEBINAR)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("arrangør")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    capacity = models.PositiveIntegerField(_("antall plasser"), null=True, blank=True)
    # Confirmed registrations, kept by the registration services (see OfferingQuerySet.seat_taken).
    seats_taken = models.PositiveIntegerField(_("plasser tatt"), default=0)
    registration_opens_at = models.DateTimeField(_("påmelding åpner"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("påmelding stenger"), null=True, blank=True)
    reminder_offsets = models.JSONField(_("påminnelser (minutter før start)"), default=default_reminder_offsets)
    revision = models.PositiveIntegerField(_("kalenderrevisjon"), default=0)
    # A course's certificate (kursbevis): the share of its sessions, in per cent, a participant
    # must have joined (outcomes/certificates.py).
    certificate_threshold = models.PositiveSmallIntegerField(
        _("oppmøte for kursbevis (prosent)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # The office's own short privacy note for this offering (plain text, docs/privacy.md): shown
    # beside the consent on its registration form and on the privacy notice reached from it.
    privacy_note = models.TextField(_("personvernmerknad"), max_length=PRIVACY_NOTE_MAX, blank=True)
    privacy_note_en = models.TextField(_("personvernmerknad på engelsk"), max_length=PRIVACY_NOTE_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("påmeldingstilbud")
        verbose_name_plural = _("påmeldingstilbud")

    def __str__(self):
        return str(self.presentation)

    def get_absolute_url(self) -> str:
        return self.presentation.get_absolute_url()

    def clean(self):
        errors = _dates_in_range(self, ["registration_opens_at", "registration_closes_at"])
        if self.capacity is not None and self.capacity > CAPACITY_MAX:
            errors["capacity"] = [capacity_max_message()]
        if errors:
            raise ValidationError(errors)

    @property
    def is_course(self) -> bool:
        return self.kind == self.Kind.COURSE

    @property
    def local_privacy_note(self) -> str:
        """The office's privacy note in the visitor's language: the English one for an English
        page when there is one, the Bokmål one otherwise."""
        if self.privacy_note_en and (get_language() or "").startswith("en"):
            return self.privacy_note_en
        return self.privacy_note

    def state_of(self, *, cancelled: bool, last_ends_at: datetime | None) -> str:
        """The one rule for what every page says of an offering (or of one of its sessions):
        "cancelled" (the offering, or what is shown of it), "ended" (what is shown is over),
        "full" (no seat left: a registration becomes a waitlist place) or "open"."""
        if self.status == Status.CANCELLED or cancelled:
            return "cancelled"
        if last_ends_at is not None and last_ends_at < timezone.now():
            return "ended"
        if self.seats_left == 0:
            return "full"
        return "open"

    @property
    def state(self) -> str:
        """The whole offering's state: cancelled when all of its sessions are, ended when every
        live one is over. Reads its sessions (prefetch them on lists)."""
        return self.state_from(self.sessions.all())

    def state_from(self, sessions) -> str:
        """`state`, from sessions the caller has already read."""
        sessions = list(sessions)
        live = [s for s in sessions if s.status != Status.CANCELLED]
        return self.state_of(
            cancelled=bool(sessions) and not live, last_ends_at=max((s.ends_at for s in live), default=None)
        )

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    @cached_property
    def presentation(self):
        """What a visitor sees of this offering: its course, or its one session."""
        if self.is_course:
            return self.course
        return self.sessions.first()

    @property
    def title(self) -> str:
        return self.presentation.title

    @property
    def timezone(self) -> str:
        """The zone its times are shown in: a webinar's own, Norwegian time for a course."""
        return "Europe/Oslo" if self.is_course else self.presentation.timezone

    def sessions_in_order(self):
        return self.sessions.order_by("position", "starts_at", "id")


class SessionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def listed(self):
        """What the public catalogue lists: a published session of a published offering."""
        return self.filter(status=Status.PUBLISHED, offering__status=Status.PUBLISHED)

    def visible(self):
        """What has a public page: listed sessions plus cancelled ones (registrants follow old links)."""
        public = [Status.PUBLISHED, Status.CANCELLED]
        return self.filter(status__in=public, offering__status__in=public)

    def for_cards(self):
        """Everything a session card shows (seats come with the offering's row), and none of
        the long texts it does not show."""
        return (
            self.select_related("organisation", "offering__course")
            .defer(*CARD_DEFERRED)
            .prefetch_related("topics", "audiences")
        )

    def search(self, query: str):
        condition = text_search_q(query, ["title", "summary", "description", "organisation__short_name"])
        condition |= Exists(Speaker.objects.filter(session=OuterRef("pk"), name__icontains=query))
        if connection.vendor == "postgresql":
            vector = SearchVector("title", "summary", "description", config="norwegian")
            matches = Session.objects.annotate(_sv=vector).filter(
                _sv=SearchQuery(query, config="norwegian", search_type="websearch")
            )
            condition |= Q(pk__in=matches.values("pk"))
        return self.filter(condition)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())

    def standalone(self):
        return self.filter(offering__kind=Offering.Kind.WEBINAR)


class Session(models.Model):
    """One scheduled live occurrence with an external stream."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("arrangør")
    )
    cohosts = models.ManyToManyField(
        Organisation, blank=True, related_name="cohosted_sessions", verbose_name=_("medarrangører")
    )
    title = models.CharField(_("tittel"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=220, unique=True)
    summary = models.CharField(_("kort beskrivelse"), max_length=300, blank=True)
    description = models.TextField(_("beskrivelse (Markdown)"), blank=True)
    starts_at = models.DateTimeField(_("starter"), db_index=True)
    ends_at = models.DateTimeField(_("slutter"))
    timezone = models.CharField(_("tidssone"), max_length=64, default="Europe/Oslo")
    language = models.CharField(_("språk"), max_length=8, choices=settings.LANGUAGES, default="nb")
    topics = models.ManyToManyField(Topic, blank=True, related_name="sessions", verbose_name=_("temaer"))
    audiences = models.ManyToManyField(Audience, blank=True, related_name="sessions", verbose_name=_("målgrupper"))
    stream_url = models.URLField(_("strømmelenke"), max_length=500, blank=True, validators=[stream_url_validator])
    join_opens_minutes = models.PositiveIntegerField(_("minutter før start deltakerlenken åpner"), default=15)
    # The occurrence's own state: a course's session can be cancelled while the course goes on.
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # The start it had before it was last moved, and when (session_reschedule): pages strike
    # the old time through, and a registrant hears "flyttet" if they registered before the move.
    moved_from = models.DateTimeField(_("flyttet fra"), null=True, blank=True)
    moved_at = models.DateTimeField(_("flyttet"), null=True, blank=True)
    # This session's calendar object; an invite's SEQUENCE adds the offering's and the registration's.
    revision = models.PositiveIntegerField(_("kalenderrevisjon"), default=0)
    offering = models.ForeignKey(
        "Offering", on_delete=models.CASCADE, related_name="sessions", verbose_name=_("påmelding gjelder")
    )
    position = models.PositiveSmallIntegerField(_("rekkefølge i kurset"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("webinar")
        verbose_name_plural = _("webinarer")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
        ]
        indexes = [models.Index(fields=["status", "ends_at"], name="session_status_ends")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("session_detail", args=[self.slug])

    def clean(self):
        errors = _dates_in_range(self, ["starts_at", "ends_at"])
        if self.join_opens_minutes is not None and not 0 <= self.join_opens_minutes <= JOIN_OPENS_MAX_MINUTES:
            errors["join_opens_minutes"] = [join_opens_message()]
        if errors:
            raise ValidationError(errors)

    @property
    def provider(self) -> str:
        return provider_for_url(self.stream_url) if self.stream_url else ""

    def get_provider_display(self) -> str:
        return Provider(self.provider).label if self.provider else ""

    @property
    def course(self):
        """The course this session is part of, or None for a standalone webinar."""
        return self.offering.course if self.offering.kind == Offering.Kind.COURSE else None

    @property
    def state(self) -> str:
        """This session's state as a card or its page shows it: its own cancellation and end,
        its offering's cancellation and seats (Offering.state_of)."""
        return self.offering.state_of(cancelled=self.status == Status.CANCELLED, last_ends_at=self.ends_at)

    def moved_from_for(self, registered_at: datetime) -> datetime | None:
        """The start before the last move, for someone who registered before it (they had the
        old time); None for a session never moved or someone who only ever knew the new time."""
        if self.moved_at is not None and registered_at < self.moved_at:
            return self.moved_from
        return None

    @property
    def full_title(self) -> str:
        """The title where the session stands on its own (a calendar event, the join page): a
        course's session names the course, "<course> – <session>", as its invites do."""
        course = self.course
        if course is not None and course.title != self.title:
            return f"{course.title} – {self.title}"
        return self.title

    # What registration needs lives on the offering; a session shows its offering's.
    @property
    def capacity(self) -> int | None:
        return self.offering.capacity

    @property
    def seats_left(self) -> int | None:
        return self.offering.seats_left

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def join_window_opens_at(self):
        # Bounded here too: a row written before the bound existed never opens the link days early.
        return self.starts_at - timedelta(minutes=min(self.join_opens_minutes, JOIN_OPENS_MAX_MINUTES))


class Speaker(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("navn"), max_length=150)
    bio = models.CharField(_("kort presentasjon"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("foredragsholder")
        verbose_name_plural = _("foredragsholdere")

    def __str__(self):
        return self.name


class CourseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(offering__status=Status.PUBLISHED)

    def visible(self):
        return self.filter(offering__status__in=[Status.PUBLISHED, Status.CANCELLED])

    def with_schedule(self):
        """First start, last end and the number of (non-cancelled) sessions."""
        active = ~Q(offering__sessions__status=Status.CANCELLED)
        return self.annotate(
            first_starts_at=Min("offering__sessions__starts_at", filter=active),
            last_ends_at=Max("offering__sessions__ends_at", filter=active),
            session_count=Count("offering__sessions", filter=active),
        )

    def upcoming(self, now=None):
        return self.with_schedule().filter(last_ends_at__gte=now or timezone.now())

    def search(self, query: str):
        return self.filter(text_search_q(query, ["title", "summary", "description", "organisation__short_name"]))


class Course(models.Model):
    """A course's page: what a visitor reads about a series of sessions under one registration
    (its offering, which holds the sessions and everything registration needs)."""

    offering = models.OneToOneField(Offering, on_delete=models.CASCADE, related_name="course")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="courses", verbose_name=_("arrangør")
    )
    title = models.CharField(_("tittel"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=220, unique=True)
    summary = models.CharField(_("kort beskrivelse"), max_length=300, blank=True)
    description = models.TextField(_("beskrivelse (Markdown)"), blank=True)
    language = models.CharField(_("språk"), max_length=8, choices=settings.LANGUAGES, default="nb")
    topics = models.ManyToManyField(Topic, blank=True, related_name="courses", verbose_name=_("temaer"))
    audiences = models.ManyToManyField(Audience, blank=True, related_name="courses", verbose_name=_("målgrupper"))
    featured = models.BooleanField(_("fremhevet på forsiden"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("kurs")
        verbose_name_plural = _("kurs")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("course_detail", args=[self.slug])

    # Registration state lives on the offering; a course shows its offering's.
    @property
    def status(self) -> str:
        return self.offering.status

    def get_status_display(self) -> str:
        return self.offering.get_status_display()

    @property
    def capacity(self) -> int | None:
        return self.offering.capacity

    @property
    def seats_left(self) -> int | None:
        return self.offering.seats_left

    @property
    def sessions(self):
        return self.offering.sessions

    @property
    def state(self) -> str:
        """The course's state; on a list, from its schedule (`with_schedule`: the last live
        session's end) instead of reading every session."""
        if hasattr(self, "last_ends_at"):
            return self.offering.state_of(cancelled=False, last_ends_at=self.last_ends_at)
        return self.offering.state
