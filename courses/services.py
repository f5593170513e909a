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
from webinars import signals
from webinars.models import Course, Offering, Session, Status
from webinars.page_cache import catalogue_cache_bump
from webinars.services import (
    OFFERING_FIELDS,
    PublishCheck,
    offering_update,
    session_create,
    unique_slug,
    validate_capacity,
)
from webinars.zones import DEFAULT_ZONE

EDITABLE_FIELDS = [
    "organisation",
    "title",
    "slug",
    "summary",
    "description",
    "language",
    *OFFERING_FIELDS,
    # The attendance a course certificate needs, on the course's offering.
    "certificate_threshold",
    "featured",
]
COURSE_OFFERING_FIELDS = [*OFFERING_FIELDS, "certificate_threshold"]


def validate_registration_window(opens_at: datetime | None, closes_at: datetime | None) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"registration_closes_at": _("Påmeldingen må stenge etter at den åpner.")})


@transaction.atomic
def course_create(*, organisation: Organisation, title: str, **fields) -> Course:
    relations = {k: fields.pop(k) for k in ("topics", "audiences") if k in fields}
    validate_registration_window(fields.get("registration_opens_at"), fields.get("registration_closes_at"))
    validate_capacity(None, fields.get("capacity"))
    offering = Offering(
        kind=Offering.Kind.COURSE,
        organisation=organisation,
        **{name: fields.pop(name) for name in [*COURSE_OFFERING_FIELDS, "reminder_offsets"] if name in fields},
    )
    fields["slug"] = fields.get("slug") or unique_slug(Course, title)
    course = Course(organisation=organisation, title=title, **fields)
    course.full_clean(exclude=["topics", "audiences", "offering"])
    offering.full_clean()
    offering.save()
    course.offering = offering
    course.save()
    for name, values in relations.items():
        getattr(course, name).set(values)
    return course


@transaction.atomic
def course_update(*, course: Course, **changes) -> Course:
    locked = Course.objects.select_for_update().select_related("offering").get(pk=course.pk)
    relations = {k: changes.pop(k) for k in ("topics", "audiences") if k in changes}
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"course_update cannot change {sorted(unknown)}")
    offering_changes = {name: changes.pop(name) for name in COURSE_OFFERING_FIELDS if name in changes}
    validate_registration_window(
        offering_changes.get("registration_opens_at", locked.offering.registration_opens_at),
        offering_changes.get("registration_closes_at", locked.offering.registration_closes_at),
    )
    # The course's title is in every invite's description; its other texts are in none.
    title_changed = "title" in changes and changes["title"] != locked.title
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.full_clean(exclude=["topics", "audiences", "offering"])
    locked.save()
    offering = locked.offering
    if "organisation" in changes:
        Offering.objects.filter(pk=offering.pk).update(organisation=locked.organisation)
    if title_changed:
        Offering.objects.filter(pk=offering.pk).update(revision=F("revision") + 1)
    for name, values in relations.items():
        getattr(locked, name).set(values)
    offering.refresh_from_db()
    if title_changed:
        signals.offering_details_changed.send(sender=Offering, offering=offering, changed={"title"})
    if offering_changes:
        offering_update(offering=offering, **offering_changes)
    locked.refresh_from_db()
    return locked


def course_publish_check(course: Course) -> PublishCheck:
    offering = course.offering
    sessions = list(offering.sessions.all())
    missing, advice = [], []
    if offering.status == Status.CANCELLED:
        missing.append(_("Et avlyst kurs kan ikke publiseres."))
    if not [s for s in sessions if s.status != Status.CANCELLED]:
        missing.append(_("Legg til minst én økt før kurset publiseres."))
    without_stream = [s.title for s in sessions if s.status != Status.CANCELLED and not s.stream_url]
    if without_stream:
        advice.append(
            _("Disse øktene mangler strømmelenke: %(titles)s. Deltakerlenkene virker ikke før den er lagt inn.")
            % {"titles": ", ".join(without_stream)}
        )
    if not course.summary:
        advice.append(_("Den korte beskrivelsen mangler. Den vises i katalogen."))
    return PublishCheck(missing, advice)


@transaction.atomic
def course_publish(*, course: Course) -> Course:
    """Publish the course and its draft sessions (a course's sessions are listed with it)."""
    locked = Course.objects.select_related("offering").get(pk=course.pk)
    offering = locked.offering = Offering.objects.select_for_update().get(pk=locked.offering_id)
    check = course_publish_check(locked)
    if not check.publishable:
        raise ValidationError(check.missing)
    offering.sessions.filter(status=Status.DRAFT).update(status=Status.PUBLISHED)
    if offering.status != Status.PUBLISHED:
        offering.status = Status.PUBLISHED
        offering.save(update_fields=["status", "updated_at"])
    catalogue_cache_bump()  # queryset updates send no post_save
    locked.refresh_from_db()
    return locked


@transaction.atomic
def course_cancel(*, course: Course) -> Course:
    """Cancel the course and every session in it. Registrants hold course registrations,
    so they hear through `offering_cancelled`; no per-session signal is sent."""
    locked = Course.objects.select_related("offering").get(pk=course.pk)
    offering = Offering.objects.select_for_update().get(pk=locked.offering_id)
    if offering.status == Status.CANCELLED:
        return locked
    offering.sessions.exclude(status=Status.CANCELLED).update(status=Status.CANCELLED, revision=F("revision") + 1)
    Offering.objects.filter(pk=offering.pk).update(status=Status.CANCELLED, revision=F("revision") + 1)
    catalogue_cache_bump()  # queryset updates send no post_save
    offering.refresh_from_db()
    signals.offering_cancelled.send(sender=Offering, offering=offering)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def course_sessions_set(*, course: Course, sessions: Sequence[Session]) -> Course:
    """Make `sessions`, in this order, the course's sessions (its offering's). A session
    belongs to one offering: a webinar joins the course only when it is the same office's,
    not cancelled, and nobody has registered for it, and its own offering goes; a session
    leaving the course becomes a draft webinar with an offering of its own. A cancelled
    session of the course stays, in its place by date, whether or not `sessions` names it:
    its registrants were told, and taking it out would tell them a second time."""
    locked = Course.objects.select_related("offering").get(pk=course.pk)
    offering = Offering.objects.select_for_update().get(pk=locked.offering_id)
    if offering.status == Status.CANCELLED:
        raise ValidationError(_("Et avlyst kurs kan ikke endres."))
    wanted = list(dict.fromkeys(sessions))
    current = {session.pk: session for session in offering.sessions.all()}
    for cancelled in sorted(current.values(), key=lambda s: s.starts_at):
        if cancelled.status == Status.CANCELLED and cancelled not in wanted:
            later = next((i for i, s in enumerate(wanted) if s.starts_at > cancelled.starts_at), len(wanted))
            wanted.insert(later, cancelled)
    joining: dict[int, Offering] = {}
    for session in wanted:
        if session.pk in current:
            continue  # a session of the course stays, also after the course moved to another office
        if session.organisation_id != locked.organisation_id:
            raise ValidationError(_("«%(title)s» tilhører et annet kontor.") % {"title": session.title})
        if session.status == Status.CANCELLED:
            raise ValidationError(
                _("«%(title)s» er avlyst og kan ikke legges inn i et kurs.") % {"title": session.title}
            )
        own = Offering.objects.select_for_update().get(pk=session.offering_id)
        if own.is_course:
            raise ValidationError(_("«%(title)s» er allerede med i et annet kurs.") % {"title": session.title})
        if own.registrations.exists():
            raise ValidationError(
                _("«%(title)s» har egne påmeldinger og kan ikke legges inn i et kurs.") % {"title": session.title}
            )
        joining[session.pk] = own
    wanted_ids = [s.pk for s in wanted]
    removed = [session for pk, session in current.items() if pk not in wanted_ids]
    added = [s for s in wanted if s.pk not in current]
    for session in removed:
        # A session taken out of a published course must not turn up as a standalone webinar
        # nobody has decided to publish: it goes back to being a draft, with its own offering.
        own = Offering.objects.create(
            kind=Offering.Kind.WEBINAR, organisation_id=session.organisation_id, capacity=offering.capacity
        )
        status = Status.DRAFT if session.status == Status.PUBLISHED else session.status
        Session.objects.filter(pk=session.pk).update(offering=own, position=0, status=status)
    for position, session in enumerate(wanted):
        Session.objects.filter(pk=session.pk).update(offering=offering, position=position)
    # The webinars' own offerings had no registrations; their questions and messages go with them.
    Offering.objects.filter(pk__in=[own.pk for own in joining.values()]).delete()
    if offering.status == Status.PUBLISHED and added:
        Session.objects.filter(pk__in=[s.pk for s in added], status=Status.DRAFT).update(status=Status.PUBLISHED)
    if added or removed:
        Offering.objects.filter(pk=offering.pk).update(revision=F("revision") + 1)
        catalogue_cache_bump()  # queryset updates send no post_save
        offering.refresh_from_db()
        added = list(Session.objects.filter(pk__in=[s.pk for s in added]))
        removed = list(Session.objects.filter(pk__in=[s.pk for s in removed]))
        signals.offering_sessions_changed.send(sender=Offering, offering=offering, added=added, removed=removed)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def course_sessions_add(
    *, course: Course, sessions: Sequence[dict], stream_url: str = "", timezone: str = DEFAULT_ZONE
) -> list[Session]:
    """Create new sessions (each a dict of title, starts_at, ends_at) and add them to the
    course after its own, in order of time. Each is made by `session_create` and joins through
    `course_sessions_set`, so a published course publishes them and its registrants get their
    invites (`offering_sessions_changed`), as when a webinar is ticked into the course."""
    locked = Course.objects.select_related("offering").get(pk=course.pk)
    if locked.offering.status == Status.CANCELLED:
        raise ValidationError(_("Et avlyst kurs kan ikke endres."))
    created = [
        session_create(
            organisation=locked.organisation,
            title=row["title"],
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            timezone=timezone,
            language=locked.language,
            stream_url=stream_url,
        )
        for row in sessions
    ]
    current = list(locked.offering.sessions.order_by("position", "starts_at"))
    course_sessions_set(course=locked, sessions=sorted([*current, *created], key=lambda s: s.starts_at))
    return created
