from django.conf import settings
from django.db import models
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from webinars.models import (
    Audience,
    SeatsLeft,
    Session,
    Status,
    Topic,
    confirmed_count_subquery,
    default_reminder_offsets,
    text_search_q,
)


class CourseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible(self):
        return self.filter(status__in=[Status.PUBLISHED, Status.CANCELLED])

    def with_schedule(self):
        """First start, last end and the number of (non-cancelled) sessions."""
        active = ~Q(course_sessions__session__status=Status.CANCELLED)
        return self.annotate(
            first_starts_at=Min("course_sessions__session__starts_at", filter=active),
            last_ends_at=Max("course_sessions__session__ends_at", filter=active),
            session_count=Count("course_sessions", filter=active),
        )

    def upcoming(self, now=None):
        return self.with_schedule().filter(last_ends_at__gte=now or timezone.now())

    def with_confirmed_count(self):
        return self.annotate(confirmed_count=confirmed_count_subquery(self.model, "course"))

    def search(self, query: str):
        return self.filter(text_search_q(query, ["title", "summary", "description", "organisation__short_name"]))


class Course(SeatsLeft, models.Model):
    """A series of sessions under one registration."""

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
    capacity = models.PositiveIntegerField(_("antall plasser"), null=True, blank=True)
    registration_opens_at = models.DateTimeField(_("påmelding åpner"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("påmelding stenger"), null=True, blank=True)
    reminder_offsets = models.JSONField(_("påminnelser (minutter før start)"), default=default_reminder_offsets)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    featured = models.BooleanField(_("fremhevet på forsiden"), default=False)
    revision = models.PositiveIntegerField(_("kalenderrevisjon"), default=0)
    sessions = models.ManyToManyField(Session, through="CourseSession", related_name="courses")
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


class CourseSession(models.Model):
    """A session's place in a course; a session belongs to at most one course."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="course_sessions")
    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="course_link")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "session__starts_at"]
        verbose_name = _("kursøkt")
        verbose_name_plural = _("kursøkter")
