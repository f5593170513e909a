import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.permissions import managed_organisations
from registrations.models import Registration
from webinars.models import Audience, Course, Session, Status, Topic


def document_upload_to(instance, filename: str) -> str:
    # The visitor's file name never reaches the disk: a random name keeps two uploads
    # from colliding and makes traversal tricks in the name irrelevant.
    suffix = PurePath(filename).suffix.lower()
    return f"library/documents/{uuid.uuid4().hex}{suffix}"


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Resource.Status.PUBLISHED)

    def public(self):
        return self.published().filter(visibility=Resource.Visibility.PUBLIC)

    def visible_to(self, user):
        """Published resources `user` may open: public ones, signed-in ones for any
        signed-in user, registrant-only ones for confirmed registrants of the session
        (or of its course, or of the course), and everything of the offices they organise."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.public()
        mine = Registration.objects.filter(status=Registration.Status.CONFIRMED).filter(
            Q(user=user) | Q(email__iexact=user.email)
        )
        registrant = Exists(mine.filter(offering__sessions=OuterRef("session_id"))) | Exists(
            mine.filter(offering__course=OuterRef("course_id"))
        )
        return self.published().filter(
            Q(visibility__in=[Resource.Visibility.PUBLIC, Resource.Visibility.SIGNED_IN])
            | Q(visibility=Resource.Visibility.REGISTRANTS) & registrant
            | Q(organisation__in=managed_organisations(user))
        )

    def viewable_by(self, user):
        """What a detail page may show: visible resources plus the drafts of one's own offices."""
        return self.visible_to(user) | self.filter(organisation__in=managed_organisations(user))

    def with_listing(self):
        """What a card shows: the office, the tags and, for a recording, its webinar."""
        return (
            self.select_related("organisation", "session__offering")
            .defer("session__description")
            .prefetch_related("topics", "audiences")
        )

    def latest_activity(self):
        """Newest first by the later of publication and review (what Aktuelt shows)."""
        return self.annotate(
            activity_at=Greatest(
                Coalesce("published_at", "created_at"),
                Coalesce("reviewed_at", "published_at", "created_at"),
            )
        ).order_by("-activity_at", "-id")


class Resource(models.Model):
    """A recording, guide, document or link in the resource bank."""

    class Kind(models.TextChoices):
        RECORDING = "recording", _("Opptak")
        GUIDE = "guide", _("Veileder")
        DOCUMENT = "document", _("Dokument")
        LINK = "link", _("Lenke")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publisert")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Alle (offentlig)")
        SIGNED_IN = "signed_in", _("Innloggede brukere")
        REGISTRANTS = "registrants", _("Påmeldte til webinaret eller kurset")

    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.GUIDE)
    title = models.CharField(_("tittel"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=220, unique=True)
    summary = models.CharField(_("kort beskrivelse"), max_length=300, blank=True)
    body = models.TextField(_("innhold (Markdown)"), blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="resources", verbose_name=_("musikkontor")
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="resources", verbose_name=_("temaer"))
    audiences = models.ManyToManyField(Audience, blank=True, related_name="resources", verbose_name=_("målgrupper"))
    language = models.CharField(_("språk"), max_length=8, choices=settings.LANGUAGES, default="nb")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(
        _("hvem kan se den"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # The session a recording records; also the session whose registrants may see it.
    session = models.ForeignKey(
        Session,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
        verbose_name=_("webinar"),
    )
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="resources", verbose_name=_("kurs")
    )
    related = models.ManyToManyField("self", blank=True, verbose_name=_("relaterte ressurser"))
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("sist gjennomgått"), null=True, blank=True)

    # Recording
    video_url = models.URLField(_("videolenke"), max_length=500, blank=True)
    duration_minutes = models.PositiveIntegerField(_("varighet (minutter)"), null=True, blank=True)
    transcript = models.TextField(_("teksting eller transkripsjon"), blank=True)
    rights_cleared = models.BooleanField(_("tredjepartsmusikk i opptaket er klarert"), default=False)
    followups_sent_at = models.DateTimeField(_("oppfølging sendt"), null=True, blank=True, editable=False)

    # Document
    file = models.FileField(_("fil"), upload_to=document_upload_to, blank=True, max_length=200)
    file_name = models.CharField(_("filnavn"), max_length=200, blank=True)
    file_size = models.PositiveIntegerField(_("filstørrelse"), null=True, blank=True, editable=False)

    # Link
    url = models.URLField(_("lenke"), max_length=500, blank=True)
    partner = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_resources",
        verbose_name=_("organisasjonen lenken går til"),
    )

    # Kept up to date by a PostgreSQL trigger (see migration 0002); NULL on SQLite.
    search_vector = SearchVectorField(_("søkeindeks"), null=True, editable=False)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("ressurs")
        verbose_name_plural = _("ressurser")
        indexes = [models.Index(fields=["status", "visibility", "-published_at"], name="resource_listing")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resource_detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def last_reviewed_at(self):
        """When someone last checked this is still right; publication counts as a review."""
        return self.reviewed_at or self.published_at

    @property
    def recorded_session(self) -> Session | None:
        """The webinar a recording records, when that webinar has a public page (published, or
        cancelled like Session.objects.visible()); a draft's title is not shown."""
        session = self.session if self.kind == self.Kind.RECORDING else None
        public = (Status.PUBLISHED, Status.CANCELLED)
        if session and session.status in public and session.offering.status in public:
            return session
        return None


class Contributor(models.Model):
    """A performer or speaker heard or seen in a recording, and their consent to publish it."""

    class Role(models.TextChoices):
        PERFORMER = "performer", _("Utøver")
        SPEAKER = "speaker", _("Foredragsholder")

    class Consent(models.TextChoices):
        PENDING = "pending", _("Venter på svar")
        GIVEN = "given", _("Samtykke gitt")
        REFUSED = "refused", _("Samtykke nektet")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="contributors")
    name = models.CharField(_("navn"), max_length=150)
    role = models.CharField(_("rolle"), max_length=16, choices=Role.choices, default=Role.SPEAKER)
    consent = models.CharField(_("samtykke"), max_length=16, choices=Consent.choices, default=Consent.PENDING)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("medvirkende")
        verbose_name_plural = _("medvirkende")

    def __str__(self):
        return self.name


class SearchEntry(models.Model):
    """The site search's index row for one item: its words, folded (library/textsearch.py),
    kept current by library/search_index.py. Whether the item may be shown is never stored
    here: every search checks the item's own row (published, public), so a status changed by a
    queryset update can never leak a draft."""

    class Kind(models.TextChoices):
        SESSION = "session", _("Webinar")
        COURSE = "course", _("Kurs")
        RESOURCE = "resource", _("Ressurs")
        ORGANISATION = "organisation", _("Organisasjon")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    session = models.OneToOneField(Session, null=True, on_delete=models.CASCADE, related_name="search_entry")
    course = models.OneToOneField(Course, null=True, on_delete=models.CASCADE, related_name="search_entry")
    resource = models.OneToOneField(Resource, null=True, on_delete=models.CASCADE, related_name="search_entry")
    organisation = models.OneToOneField(Organisation, null=True, on_delete=models.CASCADE, related_name="search_entry")
    # Folded words between spaces: " kompensasjonsordninger for frilansere ".
    title_terms = models.TextField()
    body_terms = models.TextField()

    class Meta:
        verbose_name = _("søkeoppføring")
        verbose_name_plural = _("søkeoppføringer")
        indexes = [models.Index(fields=["kind"], name="search_entry_kind")]


class SearchWord(models.Model):
    """Every word the index has seen, as written and folded: the vocabulary "did you mean" picks from."""

    word = models.CharField(max_length=60, unique=True)
    folded = models.CharField(max_length=60)
    length = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["folded"], name="search_word_folded")]
