from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.validators import URLValidator
from django.db import connection, models
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation


def default_reminder_offsets() -> list[int]:
    # Minutes before each session: 24 hours and 1 hour.
    return [24 * 60, 60]


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


def confirmed_count_subquery(model, field: str):
    """Confirmed registrations per offering, as a correlated subquery over the reverse
    relation `registrations` (so webinars and courses never import the registrations app).
    A subquery rather than a JOIN + GROUP BY keeps the page query cheap under LIMIT."""
    registration = model._meta.get_field("registrations").related_model
    counts = (
        registration.objects.filter(**{field: OuterRef("pk")}, status="confirmed")
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), Value(0))


def count_confirmed(offering) -> int:
    """How many registrations hold a seat in `offering` (a Session or a Course), counted by a
    new statement on each call, so that after the offering's row lock it sees every seat
    committed before it. Written out rather than compiled by the ORM: it runs for every
    registration (config/rows.py). Through the reverse relation, so webinars never imports
    the registrations app."""
    relation = type(offering)._meta.get_field("registrations")
    table = relation.related_model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE {relation.field.column} = %s AND status = %s",
            [offering.pk, "confirmed"],
        )
        return cursor.fetchone()[0]


class SeatsLeft:
    """`seats_left` for an offering with `capacity` (Session and Course)."""

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        confirmed = getattr(self, "confirmed_count", None)  # set by attach_confirmed_counts or an annotation
        if confirmed is None:
            confirmed = count_confirmed(self)
        return max(self.capacity - confirmed, 0)


def attach_confirmed_counts(offerings, field: str = "session") -> list:
    """Set `confirmed_count` on each of `offerings` (one page of them) with one query.

    On a list page this beats an annotation: PostgreSQL evaluates a correlated subquery in
    the select list for every matching row before sorting, not just for the page."""
    offerings = list(offerings)
    if not offerings:
        return offerings
    registration = type(offerings[0])._meta.get_field("registrations").related_model
    counts = dict(
        registration.objects.filter(**{f"{field}__in": [o.pk for o in offerings]}, status="confirmed")
        .order_by()
        .values_list(field)
        .annotate(n=Count("pk"))
    )
    for offering in offerings:
        offering.confirmed_count = counts.get(offering.pk, 0)
    return offerings


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
    "reminder_offsets",
    "organisation__description",
    "organisation__helps_with",
    "course_link__course__description",
    "course_link__course__reminder_offsets",
]


class SessionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def _in_course_not(self, statuses: list[str]):
        # NOT EXISTS rather than LEFT JOIN … IS NULL OR …: PostgreSQL estimates the OR across
        # the join at ~1% of the rows, so it sorted every upcoming session instead of walking
        # the starts_at index and stopping at one page. The course model is reached through
        # the reverse relation (courses sits above webinars).
        course_session = self.model._meta.get_field("course_link").related_model
        return ~Exists(
            course_session.objects.filter(session=OuterRef("pk")).exclude(course__status__in=statuses).order_by()
        )

    def listed(self):
        """What the public catalogue lists: published, and if part of a course, a published course."""
        return self.filter(self._in_course_not([Status.PUBLISHED]), status=Status.PUBLISHED)

    def visible(self):
        """What has a public page: listed sessions plus cancelled ones (registrants follow old links)."""
        public = [Status.PUBLISHED, Status.CANCELLED]
        return self.filter(self._in_course_not(public), status__in=public)

    def with_confirmed_count(self):
        return self.annotate(confirmed_count=confirmed_count_subquery(self.model, "session"))

    def for_cards(self):
        """Everything a session card shows except seats (see attach_confirmed_counts), and
        none of the long texts it does not show."""
        return (
            self.select_related("organisation", "course_link__course")
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
        return self.filter(course_link__isnull=True)


class Session(SeatsLeft, models.Model):
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
    capacity = models.PositiveIntegerField(_("antall plasser"), null=True, blank=True)
    registration_opens_at = models.DateTimeField(_("påmelding åpner"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("påmelding stenger"), null=True, blank=True)
    reminder_offsets = models.JSONField(_("påminnelser (minutter før start)"), default=default_reminder_offsets)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(_("kalenderrevisjon"), default=0)
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

    @property
    def provider(self) -> str:
        return provider_for_url(self.stream_url) if self.stream_url else ""

    def get_provider_display(self) -> str:
        return Provider(self.provider).label if self.provider else ""

    @property
    def course(self):
        # The reverse one-to-one raises when absent; templates want None.
        link = getattr(self, "course_link", None)
        return link.course if link else None

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def join_window_opens_at(self):
        return self.starts_at - timedelta(minutes=self.join_opens_minutes)


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
