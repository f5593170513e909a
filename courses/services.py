"""Writes to courses. As in webinars.services, changes registrants must hear about bump
`revision` and send their signal inside the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import Organisation
from courses.models import Course, CourseSession
from webinars import signals
from webinars.models import Session, Status
from webinars.page_cache import catalogue_cache_bump
from webinars.services import unique_slug, validate_capacity

EDITABLE_FIELDS = [
    "organisation",
    "title",
    "slug",
    "summary",
    "description",
    "language",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "featured",
]


def validate_registration_window(opens_at: datetime | None, closes_at: datetime | None) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"registration_closes_at": _("Påmeldingen må stenge etter at den åpner.")})


@transaction.atomic
def course_create(*, organisation: Organisation, title: str, **fields) -> Course:
    relations = {k: fields.pop(k) for k in ("topics", "audiences") if k in fields}
    validate_registration_window(fields.get("registration_opens_at"), fields.get("registration_closes_at"))
    if fields.get("capacity") is not None and fields["capacity"] < 0:
        raise ValidationError({"capacity": _("Antall plasser kan ikke være negativt.")})
    fields["slug"] = fields.get("slug") or unique_slug(Course, title)
    course = Course(organisation=organisation, title=title, **fields)
    course.full_clean(exclude=["topics", "audiences", "sessions"])
    course.save()
    for name, values in relations.items():
        getattr(course, name).set(values)
    return course


@transaction.atomic
def course_update(*, course: Course, **changes) -> Course:
    locked = Course.objects.select_for_update().get(pk=course.pk)
    relations = {k: changes.pop(k) for k in ("topics", "audiences") if k in changes}
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"course_update cannot change {sorted(unknown)}")
    validate_registration_window(
        changes.get("registration_opens_at", locked.registration_opens_at),
        changes.get("registration_closes_at", locked.registration_closes_at),
    )
    old_capacity = locked.capacity
    if "capacity" in changes:
        validate_capacity(locked, changes["capacity"])
    # The course's title is in every invite's description; its other texts are in none.
    title_changed = "title" in changes and changes["title"] != locked.title
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.full_clean(exclude=["topics", "audiences", "sessions"])
    if title_changed:
        locked.revision = F("revision") + 1
    locked.save()
    locked.refresh_from_db()
    for name, values in relations.items():
        getattr(locked, name).set(values)
    if title_changed:
        signals.course_details_changed.send(sender=Course, course=locked, changed={"title"})
    if locked.capacity != old_capacity:
        signals.capacity_changed.send(sender=Course, offering=locked, old_capacity=old_capacity)
    return locked


@transaction.atomic
def course_publish(*, course: Course) -> Course:
    """Publish the course and its draft sessions (a course's sessions are listed with it)."""
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if locked.status == Status.CANCELLED:
        raise ValidationError(_("Et avlyst kurs kan ikke publiseres."))
    if not locked.course_sessions.exists():
        raise ValidationError(_("Legg til minst én økt før kurset publiseres."))
    Session.objects.filter(course_link__course=locked, status=Status.DRAFT).update(status=Status.PUBLISHED)
    catalogue_cache_bump()  # queryset updates send no post_save
    if locked.status != Status.PUBLISHED:
        locked.status = Status.PUBLISHED
        locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def course_cancel(*, course: Course) -> Course:
    """Cancel the course and every session in it. Registrants hold course registrations,
    so they hear through `course_cancelled`; no per-session signal is sent."""
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if locked.status == Status.CANCELLED:
        return locked
    Session.objects.filter(course_link__course=locked).exclude(status=Status.CANCELLED).update(
        status=Status.CANCELLED, revision=F("revision") + 1
    )
    Course.objects.filter(pk=locked.pk).update(status=Status.CANCELLED, revision=F("revision") + 1)
    catalogue_cache_bump()  # queryset updates send no post_save
    locked.refresh_from_db()
    signals.course_cancelled.send(sender=Course, course=locked)
    return locked


@transaction.atomic
def course_sessions_set(*, course: Course, sessions: Sequence[Session]) -> Course:
    """Make `sessions`, in this order, the course's sessions. A session belongs to at most
    one course, must be the same office's, and must not carry registrations of its own."""
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if locked.status == Status.CANCELLED:
        raise ValidationError(_("Et avlyst kurs kan ikke endres."))
    wanted = list(dict.fromkeys(sessions))
    current = {link.session_id: link for link in locked.course_sessions.select_related("session")}
    for session in wanted:
        if session.organisation_id != locked.organisation_id:
            raise ValidationError(_("«%(title)s» tilhører et annet kontor.") % {"title": session.title})
        if session.pk in current:
            continue
        if CourseSession.objects.filter(session=session).exists():
            raise ValidationError(_("«%(title)s» er allerede med i et annet kurs.") % {"title": session.title})
        if session.registrations.exclude(status="cancelled").exists():
            raise ValidationError(
                _("«%(title)s» har egne påmeldinger og kan ikke legges inn i et kurs.") % {"title": session.title}
            )
    wanted_ids = [s.pk for s in wanted]
    removed = [link.session for pk, link in current.items() if pk not in wanted_ids]
    added = [s for s in wanted if s.pk not in current]
    CourseSession.objects.filter(course=locked, session__in=[s.pk for s in removed]).delete()
    # A session taken out of a published course must not turn up as a standalone webinar
    # nobody has decided to publish: it goes back to being a draft.
    Session.objects.filter(pk__in=[s.pk for s in removed], status=Status.PUBLISHED).update(status=Status.DRAFT)
    for position, session in enumerate(wanted):
        CourseSession.objects.update_or_create(course=locked, session=session, defaults={"position": position})
    if locked.status == Status.PUBLISHED and added:
        Session.objects.filter(pk__in=[s.pk for s in added], status=Status.DRAFT).update(status=Status.PUBLISHED)
    if added or removed:
        Course.objects.filter(pk=locked.pk).update(revision=F("revision") + 1)
        catalogue_cache_bump()  # queryset updates send no post_save
        locked.refresh_from_db()
        signals.course_sessions_changed.send(sender=Course, course=locked, added=added, removed=removed)
    return locked
